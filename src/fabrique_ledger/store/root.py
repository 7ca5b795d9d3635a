"""Where the ledger is: its root folder (holding ``ledger/fabrique.yaml``), and reading one of its files
safely, as a regular file inside it."""

from __future__ import annotations

import os
from pathlib import Path

from ..problems import FabError
from ..settings import SETTINGS_PATH as SETTINGS
from . import safe

LEDGER_DIR = "ledger"


class NoLedger(FabError):
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


def _bytes(root: Path, rel: str) -> bytes | None:
    """A file of the ledger, read only if it is a regular file inside it (else ``safe.Refused``)."""
    return safe.read_inside(root, rel)


def raw(root: Path, rel: str) -> bytes:
    """The bytes of one file of the ledger (b"" when it does not exist, or is not a regular file inside it),
    for editing it."""
    found = safe.read_inside(root, rel)
    return b"" if found is None or isinstance(found, safe.Refused) else found


def inside_ledger(root: Path, given: str) -> str | None:
    """``given`` (a path: absolute, or relative to the ledger's root) as a path relative to the root, or
    None when it leads outside the ledger (``/etc/passwd``, ``../x``)."""
    path = Path(given) if os.path.isabs(given) else Path(root) / given
    try:
        return Path(os.path.normpath(path)).relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            return None


def settings_bytes(root: Path) -> bytes | None:
    """The bytes of the ledger's settings, read safely (see ``safe.read_inside``)."""
    return _bytes(root, SETTINGS)
