"""The ledger as git's index holds it: what the next commit will contain (``fab check --staged``).

A pre-commit hook must judge the commit being made, not the working tree: an untracked draft or an
unstaged edit in ``ledger/`` is not part of it.  The index lists each staged path with its mode, blob
id and stage (``git ls-files -s``); the blobs are read in one ``git cat-file --batch`` process, and
only those the parse cache does not already know.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..i18n import M_, _
from ..ledger import Ledger
from ..problems import Problem
from ..settings import CHARTER_PATH as CHARTER
from ..settings import SETTINGS_PATH as SETTINGS
from . import cache
from .git import GitProblem
from .paths import is_record_path
from .reading import assemble
from .root import LEDGER_DIR
from .safe import SUBMODULE, symlink, too_large
from .yamlio import MAX_BYTES

SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"


def read_staged(root: Path, today: date | None = None) -> Ledger:
    """The ledger of git's index under ``root``."""
    entries, problems = _index(root)
    blobs = _Blobs(root)
    try:
        files = [(rel, sha, blobs.reader(sha, rel)) for rel, sha in sorted(entries.items())
                 if rel not in (SETTINGS, CHARTER) and is_record_path(rel)]
        settings = blobs.read(entries[SETTINGS], SETTINGS) if SETTINGS in entries else None
        charter = blobs.read(entries[CHARTER], CHARTER) if CHARTER in entries else None
        store = cache.ParseCache(cache.location(root) if cache.enabled() else None)
        ledger = assemble(settings, files, charter, today, problems, store)
        store.save()
    finally:
        blobs.close()
    return ledger


def _index(root: Path) -> tuple[dict[str, str], list[Problem]]:
    """path (relative to ``root``) -> blob id of each staged file of the ledger, and the problems of the
    listing (symbolic links); an unmerged path (a conflict) is a ``GitProblem``."""
    out = _git(root, "ls-files", "-s", "-z", "--", LEDGER_DIR, CHARTER)
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    for line in out.split(b"\0"):
        if not line:
            continue
        info, _tab, path = line.partition(b"\t")
        mode, sha, stage = info.decode().split()
        rel = path.decode("utf-8", "surrogateescape")
        if mode == GITLINK_MODE:  # a submodule: another repository's files
            problems.append(Problem(rel, 1, 1, "not-a-file", M_(SUBMODULE, name=rel.rsplit("/", 1)[-1])))
            continue
        if stage != "0":  # git itself refuses to commit then; say it rather than judge one side
            raise GitProblem(_("{rel} has a merge conflict in git's index: resolve it and stage the file "
                               "(git add {rel}), then check again").format(rel=rel))
        if mode == SYMLINK_MODE:
            refused = symlink(rel.rsplit("/", 1)[-1])
            problems.append(Problem(rel, 1, 1, refused.code, refused.message))
            continue
        entries[rel] = sha
    return entries, problems


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError as error:
        raise GitProblem(_("could not run git: {error}").format(error=error)) from error
    if done.returncode:
        raise GitProblem(_("git {command} failed in {root}: {error}").format(
            command=args[0], root=root, error=done.stderr.decode(errors="replace").strip()))
    return done.stdout


class _Blobs:
    """Blobs read from git's object store through one ``git cat-file --batch`` process, on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process: subprocess.Popen | None = None

    def reader(self, sha: str, rel: str) -> Callable[[], bytes]:
        return lambda: self.read(sha, rel)

    def read(self, sha: str, rel: str) -> bytes:
        """A blob's bytes, unless it is over the size limit (``Refused``, with only its header read)."""
        if self.process is None:
            self.process = subprocess.Popen(["git", "-C", str(self.root), "cat-file", "--batch"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:  # "<sha> missing": the index names an object the repository lacks
            raise GitProblem(_("git's index names {sha} for {rel}, which the repository does not hold").format(sha=sha, rel=rel))
        size = int(header[2])
        raw = stdout.read(size)
        stdout.read(1)  # the newline after each object
        return too_large(size) if size > MAX_BYTES else raw

    def close(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()
