"""What is committed, compared with what fab read (issue 12): ``fab close`` never seals, and no write ever
commits, what depends on a file that is not committed.

A file fab read "differs" when its blob id (the one the Ledger read it under) is not the blob id HEAD holds
at its path, or when one side has no file there: untracked, added, modified, staged, deleted, renamed — and
also edited while git is told to assume it unchanged, which ``git status`` does not show.  One ``git
ls-tree`` of HEAD gives every committed blob id; the working tree's are those the Ledger already holds.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ..ledger import Ledger, blob_id
from ..settings import CHARTER_PATH as CHARTER
from ..settings import SETTINGS_PATH as SETTINGS
from . import cache, safe
from .blobs import read_blobs
from .paths import is_record_path
from .reading import assemble
from .root import LEDGER_DIR, _bytes, find_git_dir


@dataclass(frozen=True)
class Pending:
    """The files fab read (and those HEAD holds where fab read) that differ from HEAD, sorted; of those,
    the ones git ignores (fab never force-adds them) and the ones marked skip-worktree (git will not add
    them); ``head``: path -> blob id at HEAD of the files compared."""

    paths: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    head: Mapping[str, str] | None = None


def _git(root: Path, *args: str, stdin: bytes | None = None) -> tuple[int, bytes]:
    done = subprocess.run(["git", "-C", str(root), "--no-optional-locks", *args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    return done.returncode, done.stdout


def in_git(root: Path) -> bool:
    code, out = _git(root, "rev-parse", "--is-inside-work-tree")
    return code == 0 and out.strip() == b"true"


def head_blobs(root: Path, folders: Iterable[str] = ("",)) -> dict[str, str]:
    """path (relative to ``root``) -> blob id at HEAD of every file under ``folders`` of ledger/ ('' for all
    of it), the settings and the charter; {} before the first commit.  (READMEs and hidden files included:
    ``pending`` leaves out those fab does not read.)"""
    specs = [f"{LEDGER_DIR}/{f}".rstrip("/") for f in folders]
    code, out = _git(root, "ls-tree", "-r", "-z", "HEAD", "--", *dict.fromkeys([*specs, SETTINGS, CHARTER]))
    if code != 0:
        return {}  # no commit yet: nothing is committed
    found = {}
    for line in out.split(b"\0"):  # "100644 blob <id>\t<path>" (the mode has 6 digits); paths relative to root
        info, _tab, name = line.partition(b"\t")
        if info[7:12] == b"blob ":
            found[name.decode("utf-8", "surrogateescape")] = info[12:].decode()
    return found


def charter_blob(root: Path) -> str | None:
    """The charter's blob id as it is in the working tree (None: missing, or not a regular file)."""
    raw = _bytes(root, CHARTER)
    return None if raw is None or isinstance(raw, safe.Refused) else blob_id(raw)


def read_ids(ledger: Ledger, charter: str | None) -> dict[str, str]:
    """Every file ``ledger`` was read from with its blob id, and the charter's."""
    return {**ledger.blobs, **({CHARTER: charter} if charter is not None else {})}


def pending(root: Path, ledger: Ledger, folders: Iterable[str] | None = None) -> Pending | None:
    """The files of ``ledger`` (read from ``root``'s working tree) that differ from HEAD, with the charter;
    only under ``folders`` of ledger/ (default: those the ledger was read from).  None outside git."""
    if not in_git(root):
        return None
    folders = tuple(ledger.folders if folders is None else folders)
    head = head_blobs(root, folders)
    read = read_ids(ledger, charter_blob(root))
    paths = tuple(sorted(p for p in {*head, *read} if head.get(p) != read.get(p)
                         and (p in read or p in (SETTINGS, CHARTER) or is_record_path(p))))
    if not paths:
        return Pending(head=head)
    present = [p for p in paths if p in read]
    return Pending(paths, _ignored(root, [p for p in present if p not in head]), _skipped(root, present), head)


def _ignored(root: Path, paths: list[str]) -> tuple[str, ...]:
    """Of ``paths`` (not committed), those git ignores (a .gitignore, .git/info/exclude, core.excludesFile),
    unless already in the index."""
    if not paths:
        return ()
    _code, out = _git(root, "check-ignore", "-z", "--stdin", stdin=b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths))
    return tuple(sorted(p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p))


def _skipped(root: Path, paths: list[str]) -> tuple[str, ...]:
    """Of ``paths``, those the index marks skip-worktree (``git add`` refuses them)."""
    if not paths:
        return ()
    _code, out = _git(root, "ls-files", "-v", "-z", "--", *paths)
    return tuple(sorted(e[2:].decode("utf-8", "surrogateescape") for e in out.split(b"\0") if e[:2] == b"S "))


def as_committed(root: Path, ledger: Ledger, found: Pending, keep: Collection[str] = ()) -> Ledger:
    """``ledger`` as HEAD holds it: each file of ``found`` (but those in ``keep``, to be committed as they
    are) read as HEAD holds it, or absent when HEAD has none; the other files as they were read (unchanged
    ones come from the parse cache, by blob id)."""
    head = found.head or {}
    swapped = {p for p in found.paths if p not in keep}
    git_dir = find_git_dir(root)
    kept = read_blobs(git_dir, [head[p] for p in swapped if p in head]) if git_dir is not None else {}

    def committed(rel: str) -> Callable[[], bytes]:
        return lambda: kept.get(head[rel], b"")  # one over the size limit is not read (store.blobs)

    def working(rel: str) -> Callable[[], bytes]:
        return partial(_read_or_empty, root, rel)

    files: list[tuple[str, str | None, Callable[[], bytes]]] = []
    for rel in sorted({*ledger.blobs, *(p for p in swapped if p in head)} - {SETTINGS, CHARTER}):
        if rel in swapped:
            if rel in head:
                files.append((rel, head[rel], committed(rel)))
        else:
            files.append((rel, ledger.blobs[rel], working(rel)))

    def side(rel: str) -> bytes | None:
        if rel not in swapped:
            return _bytes(root, rel)
        return kept.get(head[rel], b"") if rel in head else None

    store = cache.ParseCache(cache.location(root) if cache.enabled() else None)
    view = assemble(side(SETTINGS), files, side(CHARTER), ledger.today, [], store)
    store.save()
    return replace(view, other_files=ledger.other_files, folders=ledger.folders)


def _read_or_empty(root: Path, rel: str) -> bytes:
    found = _bytes(root, rel)
    return b"" if found is None else found
