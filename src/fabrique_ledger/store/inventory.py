"""Reading the ledger of the working tree: which files there are (and their blob ids, from git's index
when that is quicker), read whole or only the folders a command needs (``Scope``), and ``fab check``'s
answer kept in the result cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from ..ledger import Ledger, blob_id
from ..problems import Problem
from ..settings import CHARTER_PATH as CHARTER
from ..settings import SETTINGS_PATH as SETTINGS
from ..settings import Settings
from . import cache, safe
from .paths import _record_files
from .reading import Progress, assemble, read_settings
from .root import LEDGER_DIR, _bytes


def read_ledger(root: Path, today: date | None = None, use_cache: bool | None = None,
                progress: Progress | None = None, scope: Scope | None = None) -> Ledger:
    """Read every record under ``root/ledger`` in the working tree; never raises for a file's content.

    Unchanged files are taken from the parse cache by their blob id, which git's index already
    knows for tracked files that ``git diff-files`` does not report as modified.
    """
    use_cache = cache.enabled() if use_cache is None else use_cache
    with cache.no_gc():
        found = _inventory(root, scope, use_cache)
        store = cache.ParseCache(cache.location(root) if use_cache else None)
        ledger = assemble(found.settings_raw, found.files, found.charter_raw, today, found.problems, store, progress)
        store.save()
    if found.folders != ("",):
        ledger = replace(ledger, folders=found.folders)
    if found.listed:
        read = {rel.rpartition("/")[0] for rel, _blob, _read in found.files}
        ledger = replace(ledger, other_files={folder: names for kind in found.listed
                                              for folder, names in _names(root, kind) if folder not in read})
    return ledger


def read_checked(root: Path, today: date, check: Callable[[Ledger], list[Problem]],
                 progress: Progress | None = None) -> tuple[list[Problem], int]:
    """``check`` of the working tree's ledger, and how many records it holds.

    The answer is kept in the result cache under a digest of everything it depends on (every
    file's path and blob id, the charter, today, fab's version; not the language: the problems are kept as data and worded when shown): when nothing
    changed since a run that asked the same, no record is rebuilt (0.9 s instead of 2.5 s at
    100 000 records); when anything changed, the ledger is read (unchanged files from the parse
    cache) and checked again.  A cached answer is the same as a fresh one (tests/test_speed.py).
    """
    if not cache.enabled():
        ledger = read_ledger(root, today, use_cache=False, progress=progress)
        return check(ledger), len(ledger.records)
    with cache.no_gc():
        found = _inventory(root, None, True)
        digest = found.digest(today)
        results = cache.ResultCache(cache.results_location(root))
        answer = results.get(digest)
        if answer is None:
            store = cache.ParseCache(cache.location(root))
            ledger = assemble(found.settings_raw, found.files, found.charter_raw, today, found.problems, store, progress)
            store.save()
            answer = check(ledger), len(ledger.records)
            results.put(digest, *answer)
    return answer


@dataclass
class _Found:
    """What a read starts from: the settings and charter bytes, each record file with its blob id
    when git knows it (else None) and a way to read it, and the problems of the listing itself."""

    settings_raw: bytes | None
    charter_raw: bytes | None
    files: list[tuple[str, str | None, Callable[[], bytes]]]
    problems: list[Problem]
    listed: list[str]
    folders: tuple[str, ...] = ("",)  # the folders under ledger/ read ("": all of it)

    def digest(self, today: date) -> str:
        """sha256 of every input of a check; files git does not know are read (and kept) for their id."""
        sha = hashlib.sha256(f"{cache.stamp()}\0{today.isoformat()}\0".encode())  # not the language: answers are data
        for raw in (self.settings_raw, self.charter_raw):
            sha.update(b"-" if raw is None else blob_id(raw).encode())
        for problem in self.problems:
            sha.update(repr(problem.as_dict()).encode())
        for index, (rel, blob, read) in enumerate(self.files):
            if blob is None:
                raw = read()
                blob = blob_id(raw)
                self.files[index] = (rel, blob, partial(_itself, raw))
            sha.update(f"\0{rel}\0{blob}".encode())
        return sha.hexdigest()


def _itself(raw: bytes) -> bytes:
    return raw  # (not bytes(raw): a safe.Refused must stay one)


ASK_GIT_ABOVE = 2000  # files: below, reading and hashing them is quicker than a git command


def _inventory(root: Path, scope: Scope | None, use_cache: bool) -> _Found:
    problems: list[Problem] = []
    base = str(root)
    settings_raw = _bytes(root, SETTINGS)
    if isinstance(settings_raw, safe.Refused) and settings_raw.path == LEDGER_DIR:  # ledger/ is a link: said once, there
        return _Found(settings_raw, _bytes(root, CHARTER), [], problems, [])
    folders, listed = scope(read_settings(settings_raw)[0], _present(root)) if scope is not None else ([""], [])
    paths = [rel for folder in folders for rel in _record_files(root, problems, folder)]
    # git's index gives the blob ids of unchanged files without reading them; but git reads its whole
    # index (12 MB at 100 000 files) to answer, which costs more than hashing a few hundred small files.
    worth_asking = use_cache and len(paths) > ASK_GIT_ABOVE
    known = _index_blobs(root, [f"{LEDGER_DIR}/{f}".rstrip("/") for f in folders]) if worth_asking else {}
    files: list[tuple[str, str | None, Callable[[], bytes]]] = [(rel, known.get(rel), partial(_read, f"{base}/{rel}")) for rel in paths]
    return _Found(settings_raw, _bytes(root, CHARTER), files, problems, listed, tuple(folders))


# A write (or a split) reads only what it needs (DESIGN §10): from the settings, the folders to read
# (like "members", "contributions/2026-H2") and the kind folders whose file names are enough.  It is
# given the settings and the sub-folders present in each kind's folder (the periods that exist).
Scope = Callable[[Settings, Mapping[str, list[str]]], tuple[list[str], list[str]]]


def _present(root: Path) -> dict[str, list[str]]:
    """kind folder -> its sub-folders (the period folders of a periodic kind), sorted."""
    top = root / LEDGER_DIR
    with os.scandir(top) as kinds:
        folders = [entry for entry in kinds if entry.is_dir() and not entry.is_symlink()]
    return {kind.name: sorted(e.name for e in os.scandir(kind.path) if e.is_dir() and not e.is_symlink())
            for kind in folders}


def _names(root: Path, kind: str) -> Iterator[tuple[str, _Names]]:
    """Each period folder of a kind's folder with the names of its files (nothing is read)."""
    top = root / LEDGER_DIR / kind
    for period in sorted(os.listdir(top)) if top.is_dir() else ():
        if (top / period).is_dir():
            yield f"{LEDGER_DIR}/{kind}/{period}", _Names(top / period)


class _Names:
    """The names of a folder's files, asked one at a time rather than listed: whether an id is free
    costs one stat per period folder, however many files the folders hold."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and "/" not in name and (self.folder / name).is_file()

    def __bool__(self) -> bool:
        with os.scandir(self.folder) as entries:
            return any(entry.is_file() for entry in entries)


def _read(path: str) -> bytes:
    """A record file's bytes; a file that became a link, a FIFO... since it was listed, or that is over the
    size limit, is not read (``safe.Refused``: its problem)."""
    return safe.read_regular(path) or b""


def _index_blobs(root: Path, folders: list[str]) -> dict[str, str]:
    """Blob ids of the ledger's tracked files whose content git knows to be unchanged (rel -> blob); not those
    git is told to assume unchanged or to skip (``git update-index --assume-unchanged``, sparse checkouts)."""
    def git(*args: str) -> subprocess.Popen:
        return subprocess.Popen(["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def output(process: subprocess.Popen) -> bytes:
        out = process.communicate()[0]
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)
        return out

    try:  # the three at once: diff-files, which looks at every file, takes the longest
        running = [git("diff-files", "--name-only", "-z", "--", *folders), git("ls-files", "-s", "-v", "-z", "--", *folders),
                   git("rev-parse", "--show-prefix")]
        dirty_out, staged_out, prefix_out = (output(p) for p in running)
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix, staged, dirty = prefix_out.decode().strip(), staged_out.split(b"\0"), set(dirty_out.split(b"\0"))
    blobs = {}
    for line in staged:
        # -v tags each entry: 'H' a plain one; lower case when git is told to assume it unchanged, 'S' to skip
        # it (diff-files says nothing of their edits: they are read and hashed instead)
        if line.startswith(b"H "):
            info, _ignored, path = line[2:].partition(b"\t")
            repo_path = (prefix.encode() + path) if prefix else path
            if repo_path not in dirty and path not in dirty:
                blobs[path.decode("utf-8", "surrogateescape")] = info.split()[1].decode()
    return blobs


def folders_holding(root: Path, rels: Callable[[str], list[str]]) -> Scope:
    """A scope of the folders (under ledger/) that hold one of the files ``rels(folder)`` names, found by
    listing folder names only (``os.scandir``, not a file opened): ``fab log RECORD`` reads those, not the
    100 000 records around.  Hidden folders and links are skipped, as a whole read skips them."""
    def scope(_settings: Settings, _present: Mapping[str, list[str]]) -> tuple[list[str], list[str]]:
        found: list[str] = []

        def walk(path: str, rel: str) -> None:
            with os.scandir(path) as entries:
                subs = [e for e in entries if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
            if any(os.path.isfile(f"{path}/{name}") and not os.path.islink(f"{path}/{name}") for name in rels(rel)):
                found.append(rel)
                return  # (a folder is read with its sub-folders)
            for entry in sorted(subs, key=lambda e: e.name):
                walk(entry.path, f"{rel}/{entry.name}".lstrip("/"))

        top = root / LEDGER_DIR
        if top.is_dir() and not top.is_symlink():
            walk(str(top), "")
        return found, []
    return scope
