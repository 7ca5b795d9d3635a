"""Writing records: atomically, committed alone, and undone completely if anything fails, even a kill.

Three mechanisms make a write safe whatever happens to the process (docs/guarantees.md): the ledger's
**lock** (``lock.py``), a **journal** of what each path held (``journal.py``), and **atomic files**
(``atomic.py``).  ``save`` uses the three.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..i18n import _
from .atomic import write_file
from .journal import JOURNAL_LIMIT, b64, blob_of, foreign, interrupted, journal_path, put_back, read_journal, write_journal
from .lock import control_dir, held_since, ledger_lock


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
    read_since = held_since(root)  # held since before the ledger was read: nothing can have changed since
    with ledger_lock(root):
        journal = read_journal(root)
        if journal is not None:
            if "foreign" in journal:
                raise gitstore.GitProblem(foreign(journal_path(root), journal))
            raise gitstore.GitProblem(_("{interrupted}; undo what it left first with: fab check --repair").format(
                interrupted=interrupted(journal)))
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
        write_journal(root, {
            "pid": os.getpid(), "message": message, "commit": repo is not None, "head": head,
            "branch": branch if repo is not None else None, "previous": previous,
            "paths": {rel: {"before": b64(before[rel]), "after": blob_of(after[rel])} for rel in changes},
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
            sha = gitstore.commit(repo, list(paths.values()), message, author) if repo is not None else None
        except BaseException as error:
            unfinished = getattr(error, "unfinished", False)
            try:
                put_back(root, {rel: before[rel] for rel in touched}, created)
            except OSError as second:
                unfinished = True
                error = gitstore.GitProblem(_("{error}; then the files could not be put back ({reason}): once the cause "
                                              "is fixed, run: fab check --repair").format(error=error, reason=second.strerror or second))
            if branched and repo is not None and branch:  # (branched says both; the type checker needs them said)
                gitstore.abandon_branch(repo, branch, previous, head)
            if unfinished:  # the journal stays, for fab check --repair
                if isinstance(error, gitstore.GitProblem):
                    raise error from None
                raise
            journal_path(root).unlink(missing_ok=True)
            raise
        journal_path(root).unlink(missing_ok=True)
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
