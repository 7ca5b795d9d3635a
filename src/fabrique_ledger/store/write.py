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

def control_dir(root: Path) -> Path:
    """The git directory of the repository around ``root`` (fab's lock and journal live there, out of
    the working tree); for a ledger outside any repository, a folder of the system's temporary directory."""
    from .cache import find_git_dir

    found = find_git_dir(root)
    if found is not None:
        return found
    private = Path(tempfile.gettempdir()) / f"fab-{hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]}"
    private.mkdir(mode=0o700, exist_ok=True)
    return private


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

    lock = _lock_for(root)
    outermost = not lock.is_locked
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        from .git import GitProblem

        raise GitProblem(
            _("another fab command has been writing to this ledger for more than {seconds} s (it holds {path}); "
              "wait for it to finish, then try again").format(seconds=f"{timeout:.0f}", path=lock.lock_file)) from None
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

    lock = _lock_for(root)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
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

def _journal_path(root: Path) -> Path:
    return control_dir(root) / JOURNAL_NAME


def _read_journal(root: Path) -> dict | None:
    path = _journal_path(root)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"broken": True, "paths": {}}
    return data if isinstance(data, dict) else {"broken": True, "paths": {}}


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
            raise gitstore.GitProblem(_("{interrupted}; undo what it left first with: fab check --repair").format(
                interrupted=_interrupted(journal)))
        repo = gitstore.ready_to_commit(root, branch=branch) if commit else None
        paths = {rel: root / rel for rel in changes}
        _refuse_concurrent_changes(root, paths, read_since)
        before = {rel: p.read_bytes() if p.is_file() else None for rel, p in paths.items()}
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

def _temporary_files(root: Path) -> list[Path]:
    """The temporary files of ``write_file`` left by a kill: at the root (fab init), in ledger/, and of
    the journal."""
    found = [p for p in root.iterdir() if p.is_file() and TEMPORARY.match(p.name)] if root.is_dir() else []
    found.extend(control_dir(root).glob(f".{JOURNAL_NAME}.*.tmp"))
    for folder, dirs, files in os.walk(root / "ledger"):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder) / name for name in files if TEMPORARY.match(name))
    return sorted(found)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def leftovers(root: Path) -> list[str]:
    """What an interrupted fab command (or git) left behind, each with what to do; [] when all is well.

    Says nothing while another fab command is writing (its journal is then no leftover)."""
    root = Path(root)
    gitdir = control_dir(root)
    journal_exists = (gitdir / JOURNAL_NAME).exists()
    temporaries = _temporary_files(root)
    index_lock = (gitdir / "index.lock").exists()
    if not (journal_exists or temporaries or index_lock) or not _lock_is_free(root):
        return []
    found = []
    journal = _read_journal(root)
    if journal is not None:
        found.append(_("{interrupted}; undo it with: fab check --repair").format(interrupted=_interrupted(journal)))
    if temporaries:
        names = ", ".join(_shown(p, root) for p in temporaries)
        found.append(_("temporary files of an interrupted write are left: {names}; remove them with: "
                       "fab check --repair").format(names=names))
    if index_lock:
        found.append(_("git's {path} is left; if no git command is running, remove it with: "
                       "fab check --repair").format(path=gitdir / "index.lock"))
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
        repo = gitstore.open_repo(root)
        journal = _read_journal(root)
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
        for path in _temporary_files(root):
            path.unlink(missing_ok=True)
            done.append(_("removed {path}, a temporary file of an interrupted write").format(path=_shown(path, root)))
        if journal is not None and not left:
            done.extend(_undo(root, repo, journal))
            _journal_path(root).unlink(missing_ok=True)
    return done, left


def _undo(root: Path, repo, journal: dict) -> list[str]:
    from . import git as gitstore

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
        now = path.read_bytes() if path.is_file() else None
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
