"""The ledger at any revision, read from git objects (never from the working tree).

A record's identity across history is its path; its content at a revision is a blob, whose
id is also what seals record.  Commands reach history through these few functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import git

from ..ledger import Ledger
from ..problems import Problem
from ..settings import SETTINGS_PATH
from .files import CHARTER, LEDGER_DIR, assemble, is_record_path
from .git import GitProblem, open_repo

SYMLINK_MODE = 0o120000


class Revision:
    """One commit of the repository, seen from the ledger's root folder."""

    def __init__(self, root: Path, rev: str) -> None:
        repo = open_repo(root)
        if repo is None:
            raise GitProblem(f"{root} is not inside a git repository: there is no history to read")
        try:
            self.commit = repo.commit(rev)
        except (git.BadName, ValueError, git.GitCommandError):
            raise GitProblem(f"'{rev}' is not a commit of this repository (try a branch, a tag or a sha from git log)") from None
        self.repo = repo
        self.prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
        self.prefix = "" if self.prefix == "." else self.prefix + "/"

    def read(self, rel: str) -> bytes | None:
        """The bytes of ``rel`` (relative to the ledger root) at this revision, or None."""
        try:
            item = self.commit.tree / (self.prefix + rel)
        except KeyError:
            return None
        return item.data_stream.read() if item.type == "blob" else None

    def files(self, problems: list[Problem]) -> Iterator[tuple[str, bytes]]:
        """Every record file under ledger/ at this revision; symlinks become problems."""
        try:
            tree = self.commit.tree / (self.prefix + LEDGER_DIR)
        except KeyError:
            return
        for item in sorted(tree.traverse(), key=lambda i: i.path):
            if item.type != "blob":
                continue
            rel = item.path[len(self.prefix):]
            if not is_record_path(rel):
                continue
            if item.mode == SYMLINK_MODE:
                problems.append(Problem(rel, 1, 1, "symlink", f"'{rel}' is a symbolic link"))
                continue
            yield rel, item.data_stream.read()

    def ledger(self, today: date | None = None) -> Ledger:
        problems: list[Problem] = []
        return assemble(self.read(SETTINGS_PATH), self.files(problems), self.read(CHARTER), today, problems)


def read_ledger_at(root: Path, rev: str, today: date | None = None) -> Ledger:
    return Revision(root, rev).ledger(today)
