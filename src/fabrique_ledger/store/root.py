"""Where the ledger is: its root folder (holding ``ledger/fabrique.yaml``), the git directory of its
repository (``find_git_dir``: only one git itself would use), and reading one of its files safely, as a
regular file inside it."""

from __future__ import annotations

import os
import stat
import subprocess
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


def find_git_dir(root: Path) -> Path | None:
    """The git directory of the repository around ``root`` (a worktree's or submodule's too), or None;
    found without GitPython, which read-only commands need not import.

    Only a repository git itself would use: its folder, ``.git`` and the git directory owned by the
    user (git's ``safe.directory`` rule), or else one git accepts when asked from ``root`` (a
    ``safe.directory`` of the user's configuration).  A ``.git`` that another user made in a parent
    folder (``/tmp/shared/.git`` above a ledger outside git) is not the ledger's repository: fab keeps
    neither its lock, journal nor caches there."""
    root = Path(root).resolve()
    for folder in (root, *root.parents):
        dot = folder / ".git"
        try:
            info = os.stat(dot)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            found = dot
        elif stat.S_ISREG(info.st_mode):  # a worktree or submodule: "gitdir: <path>"
            try:
                text = dot.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if not text.startswith("gitdir:"):
                return None
            target = Path(text.removeprefix("gitdir:").strip())
            found = target if target.is_absolute() else (folder / target).resolve()
        else:
            continue
        return found if _owned(folder, dot, found) or _git_dir_of(root) == found.resolve() else None
    return None


def _owned(*paths: Path) -> bool:
    """Whether each path (not followed if a link) belongs to the user running fab."""
    try:
        return all(os.lstat(path).st_uid == os.geteuid() for path in paths)
    except OSError:
        return False


def _git_dir_of(root: Path) -> Path | None:
    """The git directory git itself uses for ``root``, if it accepts one."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--absolute-git-dir"],
                              capture_output=True, text=True, check=False)
    except OSError:
        return None
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 and done.stdout.strip() else None
