"""The journal: before touching any file, ``save`` records in ``<git dir>/fab-journal.json`` what each path
held (or that it did not exist), the branch and HEAD; it removes the journal once the commit is made or the
files are put back.  A journal found while holding the lock was left by a killed command: writes refuse to
start until ``fab check --repair`` (``repair``) has undone it.  A journal is used only if it is fab's: every
path it names inside the ledger (``not_fabs``)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

from ..i18n import _
from .atomic import TEMPORARY, write_file
from .lock import control_dir, ledger_lock, lock_is_free

JOURNAL_NAME = "fab-journal.json"
JOURNAL_LIMIT = 64 * 1024 * 1024  # the previous content of a few records, in base64: far less than this
_SHA = re.compile(r"^[0-9a-f]{40}$")
_BRANCH = re.compile(r"^(?![-.])(?!.*(?:\.\.|@\{|//|\.lock$|/\.|\.$|/$))[^\x00-\x20\x7f~^:?*\[\\]+$")


def journal_path(root: Path) -> Path:
    return control_dir(root) / JOURNAL_NAME


def read_journal(root: Path, folder: Path | None = None) -> dict | None:
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
    why = not_fabs(root, data)
    return {"foreign": why, "paths": {}} if why else data


def not_fabs(root: Path, journal: dict) -> str | None:
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


def foreign(path: Path, journal: dict) -> str:
    """Why a journal (at ``path``) is refused, and what to do."""
    return _("{path} is not a journal fab wrote ({why}): fab will not act on it, and nothing was written; if no "
             "fab command of yours was interrupted, remove it:  rm {path}").format(path=path, why=journal["foreign"])


def blob_of(data: bytes | None) -> str | None:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() if data is not None else None


def interrupted(journal: dict) -> str:
    what = ", ".join(sorted(journal.get("paths", {}))) or _("the ledger")
    message = journal.get("message")
    if message:
        return _("an earlier fab command ({message}) was killed while recording {what}").format(message=repr(message), what=what)
    return _("an earlier fab command was killed while recording {what}").format(what=what)


def b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data is not None else None


def write_journal(root: Path, data: dict) -> None:
    from .git import GitProblem

    path = journal_path(root)
    try:
        write_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError as error:
        raise GitProblem(
            _("could not write fab's journal {path} ({reason}); check that the disk is not full "
              "and that the .git folder is writable").format(path=path, reason=error.strerror or error)) from None


def put_back(root: Path, before: dict[str, bytes | None], created: list[Path]) -> None:
    """Each path back to its previous content or absence, and the folders made for them removed."""
    for rel, old in before.items():
        path = root / rel
        if old is None:
            path.unlink(missing_ok=True)
        elif not path.is_file() or path.read_bytes() != old:  # untouched files are left alone (a read-only folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, old)
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
    journal_file = folder / JOURNAL_NAME if folder is not None and os.path.lexists(folder / JOURNAL_NAME) else None
    temporaries = _temporary_files(root, folder)
    index_lock = folder / "index.lock" if folder is not None and (folder / "index.lock").exists() else None
    if not (journal_file or temporaries or index_lock) or not lock_is_free(root):
        return []
    found = []
    journal = read_journal(root, journal_file.parent) if journal_file is not None else None
    if journal_file is not None and journal is not None and "foreign" in journal:
        found.append(foreign(journal_file, journal))
    elif journal is not None:
        found.append(_("{interrupted}; undo it with: fab check --repair").format(interrupted=interrupted(journal)))
    if temporaries:
        names = ", ".join(_shown(p, root) for p in temporaries)
        found.append(_("temporary files of an interrupted write are left: {names}; remove them with: "
                       "fab check --repair").format(names=names))
    if index_lock is not None:
        found.append(_("git's {path} is left; if no git command is running, remove it with: "
                       "fab check --repair").format(path=index_lock))
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
        journal = read_journal(root, gitdir)
        if journal is not None and "foreign" in journal:  # before anything is touched
            raise gitstore.GitProblem(foreign(gitdir / JOURNAL_NAME, journal))
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
            journal_path(root).unlink(missing_ok=True)
    return done, left


def _undo(root: Path, repo, journal: dict) -> list[str]:
    from . import git as gitstore
    from .safe import read_regular

    if journal.get("broken"):
        return [_("removed {path}, which could not be read; check the ledger with git status").format(path=journal_path(root))]
    message, head, branch = journal.get("message", ""), journal.get("head"), journal.get("branch")
    if journal.get("commit") and repo is not None and gitstore.committed(repo, head, message):
        return [_("the interrupted command had committed its change ({message}, {sha}); nothing to undo").format(
            message=repr(message), sha=(gitstore.head_of(repo) or "")[:10])]
    done = []
    restore: dict[str, bytes | None] = {}
    for rel, entry in journal.get("paths", {}).items():
        path = root / rel
        now = read_regular(path, JOURNAL_LIMIT)  # the journal's paths are regular files of the ledger, or absent
        old = base64.b64decode(entry["before"]) if entry.get("before") is not None else None
        if blob_of(now) in (entry.get("after"), blob_of(old)):
            restore[rel] = old
        else:
            done.append(_("left {rel} as it is: it was changed after the interrupted command; check it (git diff)").format(rel=rel))
    put_back(root, restore, [root / rel for rel in journal.get("folders", [])])
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
