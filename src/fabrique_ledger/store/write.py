"""Writing records: atomically, committed alone, and undone completely if anything fails, even a kill.

Three mechanisms make a write safe whatever happens to the process (docs/guarantees.md):

- **a lock**: ``ledger_lock(root)`` is a real file lock (``filelock``) on ``<git dir>/fab.lock``, held by
  ``save`` around write and commit, and meant to be held by write commands from before they read the ledger
  until after the commit (``hold_ledger_lock``), so that two fab processes never validate, write or commit
  at the same time.  The operating system releases it when the process dies: it is never left stale.  A
  write that did not hold it while reading refuses to overwrite a file another fab process recorded
  meanwhile (two commands drafting the same new id), rather than replace that record.
- **a journal**: before touching any file, ``save`` records in ``<git dir>/fab-journal.json`` what each
  path held (or that it did not exist), the branch and HEAD; it removes the journal once the commit is made
  or the files are put back.  A journal found while holding the lock was left by a killed command: writes
  refuse to start until ``fab check --repair`` (``repair``) has undone it.
- **atomic files**: each file is written to a temporary file that is renamed over the record, so a record is
  never half-written; a temporary file left by a kill is removed by ``repair``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..i18n import _

LOCK_NAME = "fab.lock"
JOURNAL_NAME = "fab-journal.json"
LOCK_TIMEOUT = 60.0
TEMPORARY = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")  # what write_file's mkstemp leaves if killed


def _test_pause(stage: str) -> None:
    """TEST-ONLY hook (tests/test_faults.py): with ``FAB_TEST_PAUSE=<stage>`` in the environment, say so on
    stderr and sleep at that point, so that a test can kill the process exactly there.  Stages:
    ``before-rename`` (a temporary file is written), ``after-write`` (every file is written, nothing is
    staged), ``after-stage`` (the files are staged, ``git commit`` has not started).  Never set it otherwise."""
    if os.environ.get("FAB_TEST_PAUSE") == stage:
        sys.stderr.write(f"FAB_TEST_PAUSE {stage}\n")
        sys.stderr.flush()
        time.sleep(600)


# --- where fab keeps its lock and journal: the git directory, never the working tree

STATE_FOLDER = "fab"  # under the user's state folder ($XDG_STATE_HOME, else ~/.local/state), for a ledger outside git


def control_dir(root: Path, create: bool = True) -> Path | None:
    """Where fab keeps the lock and the journal of the ledger at ``root``: the git directory of the
    repository around it, out of the working tree; for a ledger outside any repository, a folder of the
    user's own state folder (``$XDG_STATE_HOME/fab/<digest of the ledger's path>``, by default under
    ``~/.local/state``), made with mode 0700 and checked before each use (owned by the user, not a
    symbolic link, no permission for group or others): never a shared folder such as /tmp, where another
    user could plant a journal.  A state folder rather than $XDG_RUNTIME_DIR or a cache folder, because
    the journal must outlive a crash or a reboot, and a cache may be emptied at any time.

    Without ``create`` (a read), None when that folder does not exist.  Raises ``GitProblem`` when the
    folder is not the user's own, or cannot be made."""
    from .cache import find_git_dir
    from .git import GitProblem
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


def _held_since(root: Path) -> int | None:
    """When this process took the ledger's lock, if it holds it."""
    lock = _lock_for(root)
    return _TAKEN.get(lock.lock_file) if lock.is_locked else None


def _lock_is_free(root: Path) -> bool:
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


# --- atomic files

def write_file(path: Path, data: bytes, *, _stage: str | None = "before-rename") -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a record."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if _stage:
            _test_pause(_stage)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the journal

JOURNAL_LIMIT = 64 * 1024 * 1024  # the previous content of a few records, in base64: far less than this
_SHA = re.compile(r"^[0-9a-f]{40}$")
_BRANCH = re.compile(r"^(?![-.])(?!.*(?:\.\.|@\{|//|\.lock$|/\.|\.$|/$))[^\x00-\x20\x7f~^:?*\[\\]+$")


def _journal_path(root: Path) -> Path:
    return control_dir(root) / JOURNAL_NAME


def _read_journal(root: Path, folder: Path | None = None) -> dict | None:
    """The journal left by an interrupted command, or None.  One fab did not write (a link, not a regular
    file, or naming a path fab never writes: outside the ledger, absolute, through a symbolic link...) is
    ``{"foreign": why}``: fab never acts on it.  One that cannot be read as JSON is ``{"broken": True}``."""
    from .safe import Refused, read_regular

    folder = folder or control_dir(root)
    try:
        raw = read_regular(folder / JOURNAL_NAME, JOURNAL_LIMIT)
    except OSError:
        return {"broken": True, "paths": {}}
    if raw is None:
        return None
    if isinstance(raw, Refused):
        return {"foreign": raw.message, "paths": {}}
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return {"broken": True, "paths": {}}
    if not isinstance(data, dict):
        return {"broken": True, "paths": {}}
    why = _not_fabs(root, data)
    return {"foreign": why, "paths": {}} if why else data


def _not_fabs(root: Path, journal: dict) -> str | None:
    """Why ``journal`` is not one that ``save`` wrote for the ledger at ``root`` (None when it is)."""
    from .safe import checked_relative

    paths, folders = journal.get("paths"), journal.get("folders", [])
    if not isinstance(paths, dict) or not isinstance(folders, list):
        return _("its content is not what fab writes")
    for rel, entry in paths.items():
        reason = checked_relative(root, rel)
        if reason is None and not (isinstance(entry, dict) and _b64_or_none(entry.get("before"))
                                   and (entry.get("after") is None or _SHA.fullmatch(str(entry.get("after"))))):
            reason = _("its content is not what fab writes")
        if reason is not None:
            return _("it names {path}: {reason}").format(path=repr(rel), reason=reason)
    for rel in folders:
        reason = checked_relative(root, rel, folder=True)
        if reason is not None:
            return _("it names {path}: {reason}").format(path=repr(rel), reason=reason)
    for key, pattern in (("head", _SHA), ("branch", _BRANCH), ("previous", _BRANCH)):
        value = journal.get(key)
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value) and value not in ("HEAD", "@")):
            return _("it names {what} {value}, which is not a commit or a branch name").format(what=key, value=repr(value))
    if not isinstance(journal.get("message", ""), str):
        return _("its content is not what fab writes")
    return None


def _b64_or_none(value: object) -> bool:
    if value is None:
        return True
    try:
        base64.b64decode(str(value), validate=True)
    except ValueError:
        return False
    return isinstance(value, str)


def _foreign(path: Path, journal: dict) -> str:
    """Why a journal (at ``path``) is refused, and what to do."""
    return _("{path} is not a journal fab wrote ({why}): fab will not act on it, and nothing was written; if no "
             "fab command of yours was interrupted, remove it:  rm {path}").format(path=path, why=journal["foreign"])


def _blob(data: bytes | None) -> str | None:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() if data is not None else None


def _interrupted(journal: dict) -> str:
    what = ", ".join(sorted(journal.get("paths", {}))) or _("the ledger")
    message = journal.get("message")
    if message:
        return _("an earlier fab command ({message}) was killed while recording {what}").format(message=repr(message), what=what)
    return _("an earlier fab command was killed while recording {what}").format(what=what)


# --- save

def save(root: Path, changes: dict[str, str | None], *, message: str, author: str | None, commit: bool,
         branch: str | None = None) -> str | None:
    """Write (text) or delete (None) each ``root/rel``, then commit exactly those paths.

    With ``branch``, the commit goes on a new branch made from the current one, for a pull request.
    Return the commit sha (None with ``commit=False``).  On any failure every file's previous content,
    or absence, the folders, the index and the branch are restored: the ledger is left as it was.  If the
    process is killed instead, the journal lets ``repair`` (``fab check --repair``) do the same later.
    """
    from . import git as gitstore

    root = Path(root)
    read_since = _held_since(root)  # held since before the ledger was read: nothing can have changed since
    with ledger_lock(root):
        journal = _read_journal(root)
        if journal is not None:
            if "foreign" in journal:
                raise gitstore.GitProblem(_foreign(_journal_path(root), journal))
            raise gitstore.GitProblem(_("{interrupted}; undo what it left first with: fab check --repair").format(
                interrupted=_interrupted(journal)))
        _refuse_outside(root, changes)
        repo = gitstore.ready_to_commit(root, branch=branch) if commit else None
        paths = {rel: root / rel for rel in changes}
        _refuse_concurrent_changes(root, paths, read_since)
        before = {rel: _current(root, rel) for rel in changes}
        after = {rel: text.encode("utf-8") if text is not None else None for rel, text in changes.items()}
        if after == before:
            rel = next(iter(changes))
            raise gitstore.GitProblem(_("{rel} already holds exactly this record, so there is nothing new to record "
                                        "(see when it was recorded: git log -- {rel})").format(rel=rel))
        created = sorted({q for p in paths.values() for q in p.parents if not q.exists()}, key=lambda q: -len(q.parts))
        head = gitstore.head_of(repo) if repo is not None else None
        previous = gitstore.current_branch(repo) if repo is not None and branch else None
        _write_journal(root, {
            "pid": os.getpid(), "message": message, "commit": repo is not None, "head": head,
            "branch": branch if repo is not None else None, "previous": previous,
            "paths": {rel: {"before": _b64(before[rel]), "after": _blob(after[rel])} for rel in changes},
            "folders": [q.relative_to(root).as_posix() for q in created],
        })
        touched: list[str] = []
        branched = False
        try:
            if repo is not None and branch:
                gitstore.start_branch(repo, branch)
                branched = True
            for rel, data in after.items():
                touched.append(rel)
                if data is None:
                    paths[rel].unlink(missing_ok=True)
                else:
                    paths[rel].parent.mkdir(parents=True, exist_ok=True)
                    write_file(paths[rel], data)
            _test_pause("after-write")
            sha = gitstore.commit(repo, list(paths.values()), message, author,
                                  before_commit=lambda: _test_pause("after-stage")) if repo is not None else None
        except BaseException as error:
            unfinished = getattr(error, "unfinished", False)
            try:
                _put_back(root, {rel: before[rel] for rel in touched}, created)
            except OSError as second:
                unfinished = True
                error = gitstore.GitProblem(_("{error}; then the files could not be put back ({reason}): once the cause "
                                              "is fixed, run: fab check --repair").format(error=error, reason=second.strerror or second))
            if branched:
                gitstore.abandon_branch(repo, branch, previous, head)
            if unfinished:  # the journal stays, for fab check --repair
                if isinstance(error, gitstore.GitProblem):
                    raise error from None
                raise
            _journal_path(root).unlink(missing_ok=True)
            raise
        _journal_path(root).unlink(missing_ok=True)
        _note_save(root)
        return sha


def _refuse_outside(root: Path, changes: dict[str, str | None]) -> None:
    """Refuse, before anything is written, a path that is not a file of the ledger fab may write: outside
    the ledger, through a symbolic link, or not a regular file (a FIFO, a folder...)."""
    from .git import GitProblem
    from .safe import checked_relative

    for rel in changes:
        reason = checked_relative(root, rel)
        if reason is not None:
            raise GitProblem(_("fab does not write {path}: {reason}").format(path=repr(rel), reason=reason))


def _current(root: Path, rel: str) -> bytes | None:
    """What ``root/rel`` (a path ``_refuse_outside`` let through) holds now, or None."""
    from .git import GitProblem
    from .safe import Refused, read_regular

    data = read_regular(root / rel, JOURNAL_LIMIT)
    if isinstance(data, Refused):
        raise GitProblem(_("fab does not replace {path}: {reason}").format(path=repr(rel), reason=data.message))
    return data


def _refuse_concurrent_changes(root: Path, paths: dict[str, Path], read_since: int | None) -> None:
    """Refuse to overwrite or delete a file that another fab process changed while this one ran.

    A write command that held the lock since before it read the ledger (``read_since``) cannot have
    missed a change.  Otherwise the ledger was read at some point after this process started, so a file
    changed after that start by another fab process (one saved since) may be a record this command never
    saw: two commands that drafted the same new id at the same time.  The later one is refused; it
    would otherwise silently replace the record just committed by the other.
    """
    from .git import GitProblem

    since = read_since if read_since is not None else _process_start_ns()
    if since is None or (read_since is None and not _saved_by_others_since(root, since)):
        return
    for rel, path in paths.items():
        try:
            changed = path.stat().st_mtime_ns > since
        except FileNotFoundError:
            continue
        if changed:
            raise GitProblem(_("{rel} was recorded or changed by another fab command while this one was running; "
                               "run the command again (it will see that record)").format(rel=rel))


def _process_start_ns() -> int | None:
    """When this process started (Linux), a little early rather than late; None where unknown."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
        return int((boot - 1 + ticks / os.sysconf("SC_CLK_TCK")) * 1e9)
    except (OSError, ValueError, IndexError, StopIteration):
        return None


SAVES_NAME = "fab-saves"  # "pid time_ns" of the latest saves, to know whether another process saved meanwhile


def _note_save(root: Path) -> None:
    path = control_dir(root) / SAVES_NAME
    try:
        lines = path.read_text("ascii").splitlines()[-31:] if path.exists() else []
        tmp = path.with_name(f".{SAVES_NAME}.{os.getpid()}.tmp")
        tmp.write_text("".join(f"{line}\n" for line in [*lines, f"{os.getpid()} {time.time_ns()}"]), "ascii")
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # only a safeguard: never fail a write that is committed


def _saved_by_others_since(root: Path, since: int) -> bool:
    try:
        lines = (control_dir(root) / SAVES_NAME).read_text("ascii").splitlines()
    except OSError:
        return False
    for line in lines:
        pid, _, when = line.partition(" ")
        if pid.isdigit() and when.isdigit() and int(pid) != os.getpid() and int(when) > since:
            return True
    return False


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data is not None else None


def _write_journal(root: Path, data: dict) -> None:
    from .git import GitProblem

    path = _journal_path(root)
    try:
        write_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), _stage=None)
    except OSError as error:
        raise GitProblem(
            _("could not write fab's journal {path} ({reason}); check that the disk is not full "
              "and that the .git folder is writable").format(path=path, reason=error.strerror or error)) from None


def _put_back(root: Path, before: dict[str, bytes | None], created: list[Path]) -> None:
    """Each path back to its previous content or absence, and the folders made for them removed."""
    for rel, old in before.items():
        path = root / rel
        if old is None:
            path.unlink(missing_ok=True)
        elif not path.is_file() or path.read_bytes() != old:  # untouched files are left alone (a read-only folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, old, _stage=None)
    for folder in sorted(created, key=lambda q: -len(q.parts)):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


# --- after a kill: what is left, and putting it back

def _temporary_files(root: Path, folder: Path | None) -> list[Path]:
    """The temporary files of ``write_file`` left by a kill: at the root (fab init), in ledger/, and of
    the journal (in ``folder``, where fab keeps it).  A symbolic link is never followed: a symlinked
    ledger/ folder is not the ledger's (``fab check`` reports it)."""
    def regular(path: Path) -> bool:
        return path.is_file() and not path.is_symlink()

    found = [p for p in root.iterdir() if regular(p) and TEMPORARY.match(p.name)] if root.is_dir() else []
    if folder is not None:
        found.extend(p for p in folder.glob(f".{JOURNAL_NAME}.*.tmp") if regular(p))
    if not (root / "ledger").is_symlink():
        for here, dirs, files in os.walk(root / "ledger"):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(here) / name for name in files if TEMPORARY.match(name) and regular(Path(here) / name))
    return sorted(found)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def leftovers(root: Path) -> list[str]:
    """What an interrupted fab command (or git) left behind, each with what to do; [] when all is well.

    Says nothing while another fab command is writing (its journal is then no leftover).  Writes nothing:
    for a ledger outside git, fab's folder is looked at, not made; one that is not the user's own is said."""
    from .git import GitProblem

    root = Path(root)
    try:
        folder = control_dir(root, create=False)
    except GitProblem as error:
        return [str(error)]
    journal_exists = folder is not None and os.path.lexists(folder / JOURNAL_NAME)
    temporaries = _temporary_files(root, folder)
    index_lock = folder is not None and (folder / "index.lock").exists()
    if not (journal_exists or temporaries or index_lock) or not _lock_is_free(root):
        return []
    found = []
    journal = _read_journal(root, folder) if journal_exists else None
    if journal is not None and "foreign" in journal:
        found.append(_foreign(folder / JOURNAL_NAME, journal))
    elif journal is not None:
        found.append(_("{interrupted}; undo it with: fab check --repair").format(interrupted=_interrupted(journal)))
    if temporaries:
        names = ", ".join(_shown(p, root) for p in temporaries)
        found.append(_("temporary files of an interrupted write are left: {names}; remove them with: "
                       "fab check --repair").format(names=names))
    if index_lock:
        found.append(_("git's {path} is left; if no git command is running, remove it with: "
                       "fab check --repair").format(path=folder / "index.lock"))
    return found


def repair(root: Path) -> tuple[list[str], list[str]]:
    """Undo what an interrupted fab command left: (what was done, what is left for the user to do).

    Under the lock, so no fab command is writing: the journal's paths get their previous content back
    (unless they changed since), the paths are unstaged, a branch made by ``--branch`` is removed, the
    temporary files of ``write_file`` are deleted, and git's ``index.lock`` is removed once no git process
    is running in the repository.  A command that had already committed is left as it is.
    """
    from . import git as gitstore

    root = Path(root)
    done: list[str] = []
    left: list[str] = []
    with ledger_lock(root):
        gitdir = control_dir(root)
        journal = _read_journal(root, gitdir)
        if journal is not None and "foreign" in journal:  # before anything is touched
            raise gitstore.GitProblem(_foreign(gitdir / JOURNAL_NAME, journal))
        repo = gitstore.open_repo(root)
        if (gitdir / "index.lock").exists():
            running = gitstore.git_processes(root)
            if running is None:
                left.append(_("{path} is left; fab cannot tell whether a git command is running here: "
                              "if none is, remove that file, then run fab check --repair again").format(path=gitdir / "index.lock"))
            elif running:
                left.append(_("git is running in this repository (process {ids}) and holds {path}; wait for it to "
                              "finish, then run fab check --repair again").format(ids=", ".join(map(str, running)),
                                                                                  path=gitdir / "index.lock"))
            elif repo is not None and gitstore.remove_dead_locks(repo):
                done.append(_("removed {path}, left by a git command that was interrupted").format(path=gitdir / "index.lock"))
        for path in _temporary_files(root, gitdir):
            path.unlink(missing_ok=True)
            done.append(_("removed {path}, a temporary file of an interrupted write").format(path=_shown(path, root)))
        if journal is not None and not left:
            done.extend(_undo(root, repo, journal))
            _journal_path(root).unlink(missing_ok=True)
    return done, left


def _undo(root: Path, repo, journal: dict) -> list[str]:
    from . import git as gitstore
    from .safe import read_regular

    if journal.get("broken"):
        return [_("removed {path}, which could not be read; check the ledger with git status").format(path=_journal_path(root))]
    message, head, branch = journal.get("message", ""), journal.get("head"), journal.get("branch")
    if journal.get("commit") and repo is not None and gitstore.committed(repo, head, message):
        return [_("the interrupted command had committed its change ({message}, {sha}); nothing to undo").format(
            message=repr(message), sha=gitstore.head_of(repo)[:10])]
    done = []
    restore: dict[str, bytes | None] = {}
    for rel, entry in journal.get("paths", {}).items():
        path = root / rel
        now = read_regular(path, JOURNAL_LIMIT)  # the journal's paths are regular files of the ledger, or absent
        old = base64.b64decode(entry["before"]) if entry.get("before") is not None else None
        if _blob(now) in (entry.get("after"), _blob(old)):
            restore[rel] = old
        else:
            done.append(_("left {rel} as it is: it was changed after the interrupted command; check it (git diff)").format(rel=rel))
    _put_back(root, restore, [root / rel for rel in journal.get("folders", [])])
    if repo is not None and restore:
        gitstore.unstage(repo, [str(Path(root / rel).resolve().relative_to(Path(repo.working_tree_dir).resolve()))
                                for rel in restore])
    if branch and repo is not None:
        gitstore.abandon_branch_if_empty(repo, branch, journal.get("previous"), head)
    if restore:
        done.append(_("undid the interrupted {message}: {what}").format(message=repr(message), what=", ".join(
            (_("restored {rel}") if old is not None else _("removed {rel}")).format(rel=rel)
            for rel, old in sorted(restore.items()))))
    return done
