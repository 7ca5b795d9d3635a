"""Git, through GitPython: the ledger's history is its audit trail.

A write commits exactly the files it wrote (``git commit --only``), so whatever else the user has
staged or changed stays as it was.  Every way a commit can fail is turned into ``GitProblem`` with
a sentence saying what to do, and the caller puts the working tree back as it found it.
"""

from __future__ import annotations

import re
from pathlib import Path

import git

AUTHOR = re.compile(r"^[^<>]+ <[^<>\s]+>$")


class GitProblem(Exception):
    """Git refused or failed; the message tells the user what to do."""


def open_repo(root: Path) -> git.Repo | None:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def init(root: Path) -> git.Repo:
    return open_repo(root) or git.Repo.init(root)


def ready_to_commit(root: Path) -> git.Repo:
    """The repository, once sure a commit can be made now; raise before anything is written."""
    repo = open_repo(root)
    if repo is None:
        raise GitProblem(f"{root} is not inside a git repository; run 'git init' there, or use --no-commit")
    gitdir = Path(repo.git_dir)
    if (gitdir / "index.lock").exists():
        raise GitProblem(
            f"another git command is running, or one crashed and left {gitdir / 'index.lock'}; "
            "wait for it, or remove that file if no git command is running, then try again"
        )
    for marker, what in (("MERGE_HEAD", "a merge"), ("rebase-merge", "a rebase"), ("rebase-apply", "a rebase"),
                         ("CHERRY_PICK_HEAD", "a cherry-pick"), ("REVERT_HEAD", "a revert")):
        if (gitdir / marker).exists():
            raise GitProblem(
                f"the repository is in the middle of {what}; finish or abort it first (see 'git status'), "
                "or use --no-commit to only write the file"
            )
    return repo


def commit(repo: git.Repo, paths: list[Path], message: str, author: str | None = None) -> str:
    """Commit exactly ``paths`` (absolute), nothing else; return the new commit's sha."""
    rel = [str(Path(p).resolve().relative_to(Path(repo.working_tree_dir).resolve())) for p in paths]
    args = ["--only", "--no-verify", "-m", message]
    if author:
        args += ["--author", author]
    try:
        repo.git.add("--", *rel)
        repo.git.commit(*args, "--", *rel)
    except git.GitCommandError as error:
        _unstage(repo, rel)
        raise GitProblem(_explain(error)) from None
    return repo.head.commit.hexsha


def start_branch(repo: git.Repo, name: str) -> str | None:
    """Switch to a new branch ``name`` made from the current one; return the branch left (None if detached)."""
    try:
        repo.git.check_ref_format("--branch", name)
    except git.GitCommandError:
        raise GitProblem(f"'{name}' is not a valid branch name") from None
    if name in [head.name for head in repo.heads]:
        raise GitProblem(f"the branch '{name}' already exists; choose another name, or switch to it with: git switch {name}")
    previous = None if repo.head.is_detached else repo.active_branch.name
    try:
        repo.git.switch("-c", name)
    except git.GitCommandError as error:
        raise GitProblem(_explain(error)) from None
    return previous


def abandon_branch(repo: git.Repo, name: str, previous: str | None, sha: str) -> None:
    """Undo ``start_branch`` after a failed commit: back to where the user was, branch deleted."""
    try:
        repo.git.switch(previous) if previous else repo.git.switch("--detach", sha)
        repo.git.branch("-D", name)
    except git.GitCommandError:
        pass


def _unstage(repo: git.Repo, rel: list[str]) -> None:
    try:
        if repo.head.is_valid():
            repo.git.reset("-q", "HEAD", "--", *rel)
        else:
            repo.git.rm("-q", "--cached", "--ignore-unmatch", "--", *rel)
    except git.GitCommandError:
        pass


def _explain(error: git.GitCommandError) -> str:
    text = (error.stderr or "").strip().replace("stderr: ", "").strip("' \n")
    if "tell me who you are" in text.lower() or "user.email" in text:
        return ("git does not know who you are: run  git config user.name 'Your Name'  and  "
                "git config user.email you@example.org  (or pass --author 'Name <email>')")
    return f"git could not commit: {text.splitlines()[-1] if text else error}"


def head_sha(root: Path) -> str | None:
    repo = open_repo(root)
    try:
        return repo.head.commit.hexsha if repo is not None and repo.head.is_valid() else None
    except ValueError:
        return None
