"""A push, as the server-side guard sees it (``fab guard``, the pre-receive hook of a bare repository):
each ref it updates, read from git objects (the pushed ones are visible to the hook), for ``guard.judge``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import git

from ..guard import ZERO, Push
from ..i18n import _
from .git import GitProblem, open_repo
from .history import History


def read_pushes(repo_dir: Path, updates: list[tuple[str, str, str]], today: date | None = None) -> Iterator[Push]:
    """What ``fab guard`` judges of each ref a push updates (``updates``: old, new, ref as the hook reads
    them): the ledger at the new commit, its history with the seal files' versions, and the commits judged:
    for the main branch those new to it (``rev-list NEW --not OLD``, whatever other refs hold), for another
    branch those main does not hold, its history read with main's (judged as it would reach main).  A tag
    is read for whether the main branch holds its commit, as the push leaves main."""
    repo = open_repo(repo_dir)
    if repo is None:
        raise GitProblem(_("{root} is not a git repository: fab guard runs as the pre-receive hook of one").format(root=repo_dir))
    try:
        main = repo.git.symbolic_ref("HEAD").strip()
    except git.GitCommandError:
        main = "refs/heads/main"
    main_now = _commit(repo, main)
    main_after = next((new for _old, new, ref in updates if ref == main), main_now)
    for old, new, ref in updates:
        if new == ZERO or not ref.startswith("refs/heads/"):
            tagged = _commit(repo, new) if ref.startswith("refs/tags/") and new != ZERO else None
            held = tagged is not None and main_after not in (None, ZERO) and _is_ancestor(repo, tagged, str(main_after))
            yield Push(ref, old, new, ref == main, True, frozenset(), held=held)
            continue
        if ref == main:
            fast = old == ZERO or _is_ancestor(repo, old, new)
            line = old == ZERO or (fast and old in repo.git.rev_list("--first-parent", new).split())
            pushed = frozenset(repo.git.rev_list(new, *(["--not", old] if old != ZERO else [])).split())
            history = History(repo_dir, new)
        else:
            fast = line = True
            pushed = frozenset(repo.git.rev_list(new, *(["--not", main_now] if main_now else [])).split())
            history = History(repo_dir, new, also=(main_now,) if main_now else ())
        yield Push(ref, old, new, ref == main, fast, pushed, history.ledger_at(new, today), history.with_seals(), history.commits(),
                   history.read_data, line, history.merged, history.graph())


def _commit(repo: git.Repo, rev: str) -> str | None:
    """The commit ``rev`` names (a tag peeled), or None."""
    try:
        return repo.git.rev_parse("--verify", "-q", f"{rev}^{{commit}}").strip() or None
    except git.GitCommandError:
        return None


def _is_ancestor(repo: git.Repo, old: str, new: str) -> bool:
    try:
        repo.git.merge_base("--is-ancestor", old, new)
    except git.GitCommandError:
        return False
    return True
