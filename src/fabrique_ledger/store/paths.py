"""The layout rules of DESIGN §2 that concern paths (kind folders, period folders, ids, symlinks): checked
here, because only here is the path known before a record exists."""

from __future__ import annotations

import os
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..i18n import M_, Text, said
from ..periods import Period
from ..problems import Problem
from ..records import BY_FOLDER, ID_PATTERN, REVIEW_ID, Record, Review, Seal, path_of
from ..settings import SETTINGS_PATH as SETTINGS
from ..settings import Settings
from . import safe
from .root import LEDGER_DIR

IGNORED = {"README.md", ".gitkeep", ".gitignore"}


def is_record_path(rel: str) -> bool:
    """Whether a path under ledger/ is read as a record (the settings and READMEs are not)."""
    *folders, name = rel.split("/")
    return rel != SETTINGS and _record_name(name) and not any(part.startswith(".") for part in folders)


def _record_name(name: str) -> bool:
    """A file name read as a record: not hidden, not a README or a git file."""
    return not name.startswith(".") and name not in IGNORED


_name = attrgetter("name")


def _record_files(root: Path, problems: list[Problem], folder: str = "") -> list[str]:
    """Relative paths of the record files (under ``folder`` of the ledger), sorted; symlinks and submodules
    are reported, not followed."""
    found: list[str] = []

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=_name):
                name = entry.name
                path = f"{rel}/{name}"
                if path == SETTINGS:
                    continue  # (read, and said if it is a link, apart)
                if entry.is_symlink():
                    problems.append(_at(path, "symlink", M_("'{name}' is a symbolic link", name=name)))
                elif entry.is_dir(follow_symlinks=False):
                    if name.startswith("."):
                        continue
                    if os.path.lexists(f"{entry.path}/.git"):  # a submodule: another repository's files
                        problems.append(_at(path, "not-a-file", M_(safe.SUBMODULE, name=name)))
                    else:
                        walk(entry.path, path)
                elif not _record_name(name):  # is_record_path, for one name (the folders are not hidden)
                    continue
                elif entry.is_file(follow_symlinks=False):
                    found.append(path)
                else:  # a FIFO, a socket, a device: never opened (a FIFO would block the read forever)
                    refused = safe.special(name, entry.stat(follow_symlinks=False).st_mode)
                    problems.append(_at(path, refused.code, refused.message))

    start = f"{LEDGER_DIR}/{folder}".rstrip("/")
    link = safe.link_on_the_way(root, start + "/")
    if link is not None:
        if link != LEDGER_DIR:  # (a symlinked ledger/ is said once, by the settings read through it)
            problems.append(_at(link, "symlink", M_("'{name}' is a symbolic link", name=link.rsplit("/", 1)[-1])))
    elif (root / start).is_dir():
        walk(str(root / start), start)
    return found


def _at(path: Any, code: str, message: Text, hint: Text = "") -> Problem:
    return Problem(Path(path).as_posix(), 1, 1, code, message, hint)


def placement(rel: str, settings: Settings) -> tuple[type[Record] | None, str, list[Problem]]:
    """The record type and id that a path stands for, with any problem of the path itself."""
    parts = rel.split("/")
    stem, suffix = os.path.splitext(parts[-1])
    if suffix != ".yaml":
        return None, stem, [_at(rel, "bad-path", M_("'{parts}' is not a record file", parts=parts[-1]), M_("record files end in .yaml; remove or rename this file"))]
    kind = BY_FOLDER.get(parts[1]) if len(parts) > 2 else None
    if kind is None:
        known = ", ".join(sorted(BY_FOLDER))
        return None, stem, [_at(rel, "bad-path", M_("'{rel}' is not in a known folder", rel=rel), M_('records go under ledger/<kind>/ with kind one of: {known}', known=known))]
    depth = 4 if kind.periodic else 3
    if len(parts) != depth:
        where = path_of(kind, "<period>", "<id>")
        return None, stem, [_at(rel, "bad-path", M_('a {record_kind} file must be at {where}', record_kind=kind.record_kind, where=where))]
    if kind.periodic:
        try:
            Period.parse(parts[2], settings.period)
        except ValueError as error:
            return None, stem, [_at(rel, "wrong-period", M_("the folder '{parts}' is not a period: {error}", parts=parts[2], error=said(error)), M_("use the period of the record's date as folder name"))]
    if kind is Seal:
        try:
            Period.parse(stem, settings.period)
        except ValueError as error:
            return None, stem, [_at(rel, "bad-id", M_('a seal is named after its period: {error}', error=said(error)))]
    elif not (REVIEW_ID if kind is Review else ID_PATTERN).fullmatch(stem):
        return None, stem, [_at(rel, "bad-id", M_("'{stem}' is not a valid id", stem=stem))]
    return kind, stem, []
