"""The ledger's lock: a real file lock (``filelock``) on ``<git dir>/fab.lock``, held by ``save`` around write
and commit, and by write commands from before they read the ledger until after the commit
(``hold_ledger_lock``), so that two fab processes never validate, write or commit at the same time.  The
operating system releases it when the process dies: it is never left stale.  It lives, with the journal,
in the git directory, or for a ledger outside git in a folder of the user's own (``control_dir``)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, overload

from ..i18n import _

LOCK_NAME = "fab.lock"
LOCK_TIMEOUT = 60.0
STATE_FOLDER = "fab"  # under the user's state folder ($XDG_STATE_HOME, else ~/.local/state), for a ledger outside git


@overload
def control_dir(root: Path, create: Literal[True] = True) -> Path: ...
@overload
def control_dir(root: Path, create: bool) -> Path | None: ...


def control_dir(root: Path, create: bool = True) -> Path | None:
    """Where fab keeps the lock and the journal of the ledger at ``root``: the git directory of the
    repository around it, out of the working tree (only one git itself would use: ``root.find_git_dir``,
    never another user's ``.git`` in a folder above); for a ledger outside any repository, a folder of the
    user's own state folder (``$XDG_STATE_HOME/fab/<digest of the ledger's path>``, by default under
    ``~/.local/state``), made with mode 0700 and checked before each use (owned by the user, not a
    symbolic link, no permission for group or others): never a shared folder such as /tmp, where another
    user could plant a journal.  A state folder rather than $XDG_RUNTIME_DIR or a cache folder, because
    the journal must outlive a crash or a reboot, and a cache may be emptied at any time.

    Without ``create`` (a read), None when that folder does not exist.  Raises ``GitProblem`` when the
    folder is not the user's own, or cannot be made."""
    from .git import GitProblem
    from .root import find_git_dir
    from .safe import UnsafeFolder, private_folder

    found = find_git_dir(root)
    if found is not None:
        return found
    try:
        state = os.environ.get("XDG_STATE_HOME", "")
        base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
        folder = base / STATE_FOLDER
        if create:
            base.mkdir(parents=True, exist_ok=True)
        if private_folder(folder, create, others=0o022) is None:  # (made 0700; 0755 by hand is fine: it only holds ours)
            return None
        folder = folder / hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
        return private_folder(folder, create)
    except UnsafeFolder as error:
        raise GitProblem(_("{path} is where fab keeps the lock and journal of the ledger {root}, but {reason}; fab uses "
                           "only a folder of yours that nobody else can use: if you did not make it, remove it; "
                           "else fix it with  chmod 700 {path}").format(path=folder, root=root, reason=error)) from None
    except (OSError, RuntimeError) as error:  # RuntimeError: no home folder
        raise GitProblem(_("could not make a folder of yours for the lock and journal of the ledger {root} ({reason}); "
                           "set XDG_STATE_HOME to a folder of yours").format(
                               root=root, reason=getattr(error, "strerror", None) or error)) from None


_LOCKS: dict[str, object] = {}
_TAKEN: dict[str, int] = {}  # lock file -> time.time_ns() when this process took it (outermost acquisition)


def _lock_for(root: Path):
    from filelock import FileLock

    path = str(control_dir(root) / LOCK_NAME)
    if path not in _LOCKS:
        # one object per lock file in a process, so that taking the lock again inside it (save within a
        # write command that already holds it) counts up instead of waiting for itself
        _LOCKS[path] = FileLock(path, thread_local=False, preserve_lock_file=True)
    return _LOCKS[path]


@contextmanager
def ledger_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the ledger's write lock (``<git dir>/fab.lock``); re-entrant within a process.

    Write commands should take it before they read the ledger, and keep it until ``save`` has committed,
    so that what they validated is still the ledger they write into.  Raises ``GitProblem`` (saying what
    to do) after ``timeout`` seconds.
    """
    from filelock import Timeout

    from .git import GitProblem

    lock = _lock_for(root)
    outermost = not lock.is_locked
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise GitProblem(
            _("another fab command has been writing to this ledger for more than {seconds} s (it holds {path}); "
              "wait for it to finish, then try again").format(seconds=f"{timeout:.0f}", path=lock.lock_file)) from None
    except OSError as error:  # a read-only .git, a lock file that is a link...
        raise GitProblem(_("could not take the ledger's lock {path} ({reason}): fab writes its lock and journal there; "
                           "make that folder writable (reading the ledger works without it)").format(
                               path=lock.lock_file, reason=error.strerror or error)) from None
    if outermost:
        _TAKEN[lock.lock_file] = time.time_ns()
    try:
        yield
    finally:
        lock.release()


_HELD: list = []  # locks taken by hold_ledger_lock, released by release_held_locks


def hold_ledger_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> None:
    """Take the ledger's lock and keep it until ``release_held_locks``: for a write command, from before
    it reads the ledger until it ends (the CLI releases it when the command's context closes)."""
    manager = ledger_lock(root, timeout)
    manager.__enter__()
    _HELD.append(manager)


def release_held_locks() -> None:
    """Release every lock taken by ``hold_ledger_lock`` (at the end of a command)."""
    while _HELD:
        _HELD.pop().__exit__(None, None, None)


def held_since(root: Path) -> int | None:
    """When this process took the ledger's lock, if it holds it."""
    lock = _lock_for(root)
    return _TAKEN.get(lock.lock_file) if lock.is_locked else None


def lock_is_free(root: Path) -> bool:
    """Whether no other process holds the ledger's lock right now (taken and released at once)."""
    from filelock import Timeout

    from .git import GitProblem

    try:
        lock = _lock_for(root)
        lock.acquire(timeout=0)
    except Timeout:
        return False
    except (OSError, GitProblem):  # a read-only .git: no fab command can be writing there
        return True
    lock.release()
    return True
