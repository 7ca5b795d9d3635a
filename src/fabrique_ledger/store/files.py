"""Reading a ledger from the working tree: files -> records (with problems) -> Ledger.

The layout rules of DESIGN §2 that concern paths (kind folders, period folders, ids, symlinks)
are checked here, because only here is the path known before a record exists.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..ledger import Ledger
from ..periods import Period
from ..problems import Problem
from ..records import BY_FOLDER, ID_PATTERN, REVIEW_ID, Record, Review, Source
from ..settings import Settings
from . import yamlio

LEDGER_DIR = "ledger"
SETTINGS = "ledger/fabrique.yaml"
CHARTER = "charter.md"
IGNORED = {"README.md", ".gitkeep", ".gitignore"}


class NoLedger(Exception):
    """No ledger where one was expected; the message says where fab looked and what to do."""


def find_root(start: Path | None) -> Path:
    """The folder holding ``ledger/fabrique.yaml``: ``start`` itself, or the nearest one above it."""
    if start is not None:
        start = Path(start).resolve()
        if start.name == LEDGER_DIR and (start / "fabrique.yaml").is_file():
            return start.parent
        if (start / SETTINGS).is_file():
            return start
        raise NoLedger(f"no ledger at {start} (there is no {SETTINGS} there); create one with: fab init {start}")
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS).is_file():
            return folder
        if (folder / ".git").exists():
            break
    raise NoLedger(
        f"no ledger found in {here} or the folders above it; "
        "run fab inside a ledger's repository, pass --ledger PATH (or set FAB_LEDGER), or create one with: fab init DIR"
    )


def read_settings(root: Path) -> tuple[Settings, list[Problem]]:
    path = root / SETTINGS
    if not path.is_file():
        return Settings(), [Problem(SETTINGS, 1, 1, "settings", f"{SETTINGS} is missing", "create it with fab init")]
    parsed = yamlio.parse(path.read_bytes(), SETTINGS)
    if parsed.problems:
        return Settings(), parsed.problems
    if not isinstance(parsed.data, dict):
        return Settings(), [Problem(SETTINGS, 1, 1, "not-a-mapping", "the settings must be a mapping of keys to values")]
    try:
        return Settings.model_validate(parsed.data), []
    except ValidationError as error:
        return Settings(), validation_problems(error, parsed, SETTINGS, Settings.model_fields, settings=True)


def charter_sha256(root: Path) -> str | None:
    path = root / CHARTER
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def read_ledger(root: Path, today: date | None = None) -> Ledger:
    """Read every record under ``root/ledger``; never raises for the content of a file."""
    settings, problems = read_settings(root)
    records: list[Record] = []
    for rel in _record_files(root, problems):
        record, found = read_record(rel, (root / rel).read_bytes(), settings)
        problems.extend(found)
        if record is not None:
            records.append(record)
    sha = charter_sha256(root)
    if sha is None:
        problems.append(Problem(CHARTER, 1, 1, "charter", f"{CHARTER} is missing"))
    return Ledger(settings, tuple(records), tuple(problems), sha, today or date.today())


def _record_files(root: Path, problems: list[Problem]) -> list[str]:
    """Relative paths of the record files, in a stable order; symlinks are reported, not followed."""
    found = []
    for folder, dirs, files in os.walk(root / LEDGER_DIR):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                problems.append(_at((here / name).relative_to(root), "symlink", f"'{name}' is a symbolic link"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink() and not d.startswith("."))
        for name in sorted(files):
            rel = (here / name).relative_to(root).as_posix()
            if name in IGNORED or rel == SETTINGS:
                continue
            if (here / name).is_symlink():
                problems.append(_at(rel, "symlink", f"'{name}' is a symbolic link"))
            else:
                found.append(rel)
    return found


def _at(path: Any, code: str, message: str, hint: str = "") -> Problem:
    return Problem(Path(path).as_posix(), 1, 1, code, message, hint)


def placement(rel: str, settings: Settings) -> tuple[type[Record] | None, str, list[Problem]]:
    """The record type and id that a path stands for, with any problem of the path itself."""
    parts = rel.split("/")
    stem, suffix = os.path.splitext(parts[-1])
    if suffix != ".yaml":
        return None, stem, [_at(rel, "bad-path", f"'{parts[-1]}' is not a record file", "record files end in .yaml; remove or rename this file")]
    kind = BY_FOLDER.get(parts[1]) if len(parts) > 2 else None
    if kind is None:
        known = ", ".join(sorted(BY_FOLDER))
        return None, stem, [_at(rel, "bad-path", f"'{rel}' is not in a known folder", f"records go under ledger/<kind>/ with kind one of: {known}")]
    depth = 4 if kind.periodic else 3
    if len(parts) != depth:
        where = f"ledger/{kind.folder}/<period>/<id>.yaml" if kind.periodic else f"ledger/{kind.folder}/<id>.yaml"
        return None, stem, [_at(rel, "bad-path", f"a {kind.record_kind} file must be at {where}")]
    if kind.periodic:
        try:
            Period.parse(parts[2], settings.period)
        except ValueError as error:
            return None, stem, [_at(rel, "wrong-period", f"the folder '{parts[2]}' is not a period: {error}", "use the period of the record's date as folder name")]
    if not (REVIEW_ID if kind is Review else ID_PATTERN).match(stem):
        return None, stem, [_at(rel, "bad-id", f"'{stem}' is not a valid id")]
    return kind, stem, []


def read_record(rel: str, raw: bytes, settings: Settings) -> tuple[Record | None, list[Problem]]:
    """One file -> one record, or the problems that stop it from being one."""
    kind, stem, problems = placement(rel, settings)
    if kind is None:
        return None, problems
    parsed = yamlio.parse(raw, rel)
    if parsed.problems:
        return None, parsed.problems
    if not isinstance(parsed.data, dict):
        what = "a list" if isinstance(parsed.data, list) else "a single value"
        return None, [Problem(rel, 1, 1, "not-a-mapping", f"the file holds {what}, not 'key: value' lines")]
    reserved = [k for k in ("id", "source") if k in parsed.data]
    if reserved:
        line, col = parsed.keys[(reserved[0],)]
        return None, [Problem(rel, line, col, "unknown-key", f"unknown key '{reserved[0]}'", "the id is the file's name; remove this key")]
    try:
        record = kind.model_validate({**parsed.data, "id": stem, "source": Source(rel, *parsed.where(()))})
    except ValidationError as error:
        return None, validation_problems(error, parsed, rel, kind.yaml_keys())
    return record, []


def validation_problems(error: ValidationError, parsed: yamlio.Parsed, rel: str, keys: Any, settings: bool = False) -> list[Problem]:
    """Pydantic's errors, worded for people, at the line and column of the offending value."""
    problems = []
    keys = [k for k in keys if k not in ("id", "source")]
    for item in error.errors():
        loc = tuple(item["loc"])
        line, col = parsed.where(loc)
        name = ".".join(str(p) for p in loc) or "settings"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            code, message, hint = "missing-key", f"missing key '{name}'", f"add a line '{loc[-1]}: ...'"
        elif item["type"] == "extra_forbidden":
            code, hint = "unknown-key", _did_you_mean(str(loc[-1]), keys if len(loc) == 1 else [])
            message = f"unknown key '{name}'"
        else:
            code, hint = "bad-value", ""
            message = f"'{name}': {message}" if loc else message
        problems.append(Problem(rel, line, col, "settings" if settings and code == "bad-value" else code, message, hint))
    return problems


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    known = f"known keys: {', '.join(allowed)}" if allowed else "remove it"
    return f"did you mean '{close[0]}'? ({known})" if close else known
