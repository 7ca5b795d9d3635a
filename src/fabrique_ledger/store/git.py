"""Git, through GitPython: the ledger's history is its audit trail.

A write commits exactly the files it wrote (``git commit --only``), so whatever else the user has
staged or changed stays as it was.  Every way a commit can fail is turned into ``GitProblem`` with
a sentence saying what to do, and the caller puts the working tree back as it found it.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import git

from ..i18n import N_, _
from ..problems import FabError
from .safe import printable

AUTHOR = re.compile(r"^[^<>]+ <[^<>\s]+>$")


class GitProblem(FabError):
    """Git refused or failed; the message tells the user what to do.

    ``unfinished`` is set when the failure could not be completely undone (the index could not be put
    back): the caller keeps its journal so that ``fab check --repair`` can finish the job.
    """

    unfinished = False


_OPENED: list[git.Repo] = []  # closed by close_repos at the end of a command


def open_repo(root: Path) -> git.Repo | None:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    _OPENED.append(repo)
    return repo


def init(root: Path) -> git.Repo:
    repo = open_repo(root)
    if repo is None:
        repo = git.Repo.init(root)
        _OPENED.append(repo)
    return repo


def close_repos() -> None:
    """Stop the git processes GitPython keeps for each repository opened (``git cat-file``): a command
    that ends frees them, but fab used as a library, or many commands in one process, would pile them up."""
    while _OPENED:
        _OPENED.pop().close()


def ready_to_commit(root: Path, branch: str | None = None) -> git.Repo:
    """The repository, once sure a commit can be made now; raise before anything is written.

    With ``branch`` (``--branch``) the commit goes on a new branch, so a detached HEAD is fine.
    """
    repo = open_repo(root)
    if repo is None:
        raise GitProblem(_("{root} is not inside a git repository; run 'git init' there, or use --no-commit").format(root=root))
    if repo.bare or repo.working_tree_dir is None:
        raise GitProblem(_("{path} is a bare repository: clone it and run fab in the clone").format(path=repo.git_dir))
    gitdir = Path(repo.git_dir)
    if (gitdir / "index.lock").exists():
        raise GitProblem(
            _("another git command is running, or one crashed and left {path}; wait for it, or if no git command "
              "is running, run fab check --repair (it removes that file), then try again").format(path=gitdir / "index.lock")
        )
    for marker, what in (("MERGE_HEAD", N_("a merge")), ("rebase-merge", N_("a rebase")), ("rebase-apply", N_("a rebase")),
                         ("CHERRY_PICK_HEAD", N_("a cherry-pick")), ("REVERT_HEAD", N_("a revert"))):
        if (gitdir / marker).exists():
            raise GitProblem(
                _("the repository is in the middle of {what}; finish or abort it first (see 'git status'), "
                  "or use --no-commit to only write the file").format(what=_(what))
            )
    if branch is not None:
        check_new_branch(repo, branch)
    if repo.head.is_detached and not branch:
        raise GitProblem(
            _("HEAD is detached (at {sha}, on no branch): a commit here would be on no branch and easily lost; "
              "switch to a branch first (git switch main), or commit on a new branch with --branch NAME, "
              "or use --no-commit to only write the file").format(sha=repo.head.commit.hexsha[:10])
        )
    return repo


_FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
_UNINFORMATIVE = ("Needed a single revision", "ambiguous argument")
_DOUBTFUL = ("log for ", "is ambiguous")  # git's warnings of an answer that is not the one asked for


def resolve(repo: git.Repo, rev: str) -> git.Commit:
    """The commit a revision argument names (a branch, a tag, a sha, HEAD~2, main@{1}...), resolved by git
    itself (``git rev-parse --verify --end-of-options``), never read as an option; anything else is a
    ``GitProblem`` of one line: a revision that starts with '-' or holds control characters, one git cannot
    resolve (``@{-1}`` with no previous branch, ``main@{99}``) or only with a warning (``HEAD@{1.year.ago}``
    older than the reflog: git would answer with its oldest entry), or that is not a commit."""
    shown = printable(rev)
    if not rev.strip() or rev.startswith("-") or not rev.isprintable() or len(rev) > 1000:
        raise GitProblem(_("'{rev}' is not a revision: it is empty, starts with '-' or holds control characters; "
                           "give a branch, a tag or a sha from git log").format(rev=shown))
    if _FULL_SHA.fullmatch(rev):
        sha = rev
    else:
        status, out, err = repo.git.execute(["git", "rev-parse", "--verify", "--end-of-options", rev],
                                            with_extended_output=True, with_exceptions=False)
        said = [line.split(": ", 1)[-1].strip() for line in err.splitlines() if line.strip()]
        reason = next((line for line in reversed(said) if not line.startswith(_UNINFORMATIVE)), None)
        doubtful = any(warning in line for line in said for warning in _DOUBTFUL)
        if status != 0 or doubtful or not _FULL_SHA.fullmatch(out.strip()):
            if reason:
                raise GitProblem(_("'{rev}' is not a commit of this repository ({reason}); try a branch, a tag or "
                                   "a sha from git log").format(rev=shown, reason=printable(reason)))
            raise GitProblem(_("'{rev}' is not a commit of this repository (try a branch, a tag or a sha from git log)").format(rev=shown))
        sha = out.strip()
    try:
        return repo.commit(sha)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise GitProblem(_("'{rev}' is not a commit of this repository (try a branch, a tag or a sha from git log)").format(rev=shown)) from None


def head_of(repo: git.Repo) -> str | None:
    """The sha of HEAD, or None in a repository without commits yet."""
    try:
        return repo.head.commit.hexsha if repo.head.is_valid() else None
    except ValueError:
        return None


def current_branch(repo: git.Repo) -> str | None:
    """The branch checked out, or None on a detached HEAD."""
    return None if repo.head.is_detached else repo.active_branch.name


def work_tree(repo: git.Repo) -> Path:
    """The repository's working tree.  GitPython says None for a bare repository, but fab only commits in, and
    repairs, the repositories ``ready_to_commit`` accepted, which are never bare."""
    assert repo.working_tree_dir is not None, "a bare repository (ready_to_commit refuses them)"
    return Path(repo.working_tree_dir)


def commit(repo: git.Repo, paths: list[Path], message: str, author: str | None = None) -> str:
    """Commit exactly ``paths`` (absolute), nothing else; return the new commit's sha.

    On failure the index entries of ``paths`` are put back as they were.
    """
    rel = [str(Path(p).resolve().relative_to(work_tree(repo).resolve())) for p in paths]
    args = ["--only", "--no-verify", "-m", _arg(message)]
    if author:
        args += ["--author", _arg(author)]
    started = time.time()
    try:
        repo.git.add("--", *rel)
        repo.git.commit(*args, "--", *rel, env=_committer(repo, author))
    except git.GitCommandError as error:
        problem = GitProblem(_explain(error))
        if not restore_index(repo, rel, since=started):
            problem = GitProblem(_("{problem}; git's index could not be put back: once the cause is fixed, "
                                   "run: fab check --repair").format(problem=problem))
            problem.unfinished = True
        raise problem from None
    except BaseException:
        restore_index(repo, rel, since=started)
        raise
    return repo.head.commit.hexsha


def _committer(repo: git.Repo, author: str | None) -> dict[str, str] | None:
    """With ``--author`` and no git identity on this machine, the author commits too (issue 15: the hint
    that offers --author must not lead to the same failure); with an identity, it stays the committer."""
    if not author:
        return None
    try:
        repo.git.var("GIT_COMMITTER_IDENT")
        return None
    except git.GitCommandError:
        name, _lt, email = author.partition("<")
        return {"GIT_COMMITTER_NAME": name.strip(), "GIT_COMMITTER_EMAIL": email.rstrip(">").strip()}


def _arg(text: str) -> str:
    """A command-line argument cannot hold a NUL character (a record's text can): written \\0 instead."""
    return text.replace("\0", "\\0")


def restore_index(repo: git.Repo, rel: list[str], since: float | None = None) -> bool:
    """After a failed commit: remove the lock files left by a git command of ours that died (made after
    ``since``, and no git process runs), then put the index entries of ``rel`` back as in HEAD.  True when
    the index is as it was."""
    remove_dead_locks(repo, since)
    if staged(repo, rel):
        unstage(repo, rel)
        remove_dead_locks(repo, since)
    return not (Path(repo.git_dir) / "index.lock").exists() and not staged(repo, rel)


def remove_dead_locks(repo: git.Repo, since: float | None = None) -> bool:
    """Remove ``index.lock`` (and the temporary indexes of ``commit --only``) once sure that no git
    process runs in the repository: they were left by one that died.  With ``since``, only lock files
    made since then (by our own git commands: another tool's lock, even unseen, is never taken).
    True if some were removed."""
    gitdir = Path(repo.git_dir)
    locks = [lock for lock in [gitdir / "index.lock", *gitdir.glob("next-index-*.lock")] if _made_since(lock, since)]
    if not locks or git_processes(work_tree(repo)) != []:
        return False
    for lock in locks:
        lock.unlink(missing_ok=True)
    return True


def _made_since(path: Path, since: float | None) -> bool:
    try:
        return since is None or path.stat().st_mtime >= since - 1  # a second of slack for coarse file system clocks
    except FileNotFoundError:
        return False


def staged(repo: git.Repo, rel: list[str]) -> bool:
    """Whether the index differs from HEAD for any of ``rel`` (plumbing: the index is only read)."""
    try:
        if head_of(repo) is None:
            return bool(repo.git.ls_files("--", *rel).strip())
        repo.git.diff_index("--cached", "--quiet", "HEAD", "--", *rel)
        return False
    except git.GitCommandError:
        return True


def committed(repo: git.Repo, head: str | None, message: str) -> bool:
    """Whether HEAD is a commit made on ``head`` with ``message`` (the commit of an interrupted command)."""
    now = head_of(repo)
    if now is None or now == head:
        return False
    commit_ = repo.head.commit
    parents = [p.hexsha for p in commit_.parents]
    return parents == ([head] if head else []) and commit_.message.strip() == message.strip()


_SPECIAL_REF = re.compile(r"^(?:@|[A-Z_]*HEAD|refs/.*)$")


def check_new_branch(repo: git.Repo, name: str) -> None:
    """Refuse (``GitProblem``) a name that ``--branch`` cannot give a new branch: one ``git check-ref-format
    --branch`` refuses or rewrites (``@{-1}``), one starting with '-', a special reference (``@``, ``HEAD``,
    ``FETCH_HEAD``, ``refs/heads/main``...), an existing branch, or a name git already resolves (a tag, a
    remote branch, a commit's sha): a branch of that name would be ambiguous."""
    shown = printable(name)
    if _SPECIAL_REF.match(name):
        raise GitProblem(_("'{name}' names a special git reference, not a new branch; choose a name like "
                           "contribution-gtfs").format(name=shown))
    status, out, _err = repo.git.execute(["git", "check-ref-format", "--branch", name],
                                         with_extended_output=True, with_exceptions=False)
    if status != 0 or out.strip() != name or name.startswith("-") or not name.isprintable():
        raise GitProblem(_("'{name}' is not a valid branch name").format(name=shown))
    if name in [head.name for head in repo.heads]:
        raise GitProblem(_("the branch '{name}' already exists; choose another name, or switch to it with: "
                           "git switch {name}").format(name=name))
    status, _out, _err = repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", name],
                                          with_extended_output=True, with_exceptions=False)
    if status == 0:
        raise GitProblem(_("'{name}' already names something in this repository (a tag, a remote branch or a "
                           "commit: git rev-parse {name}); choose another name").format(name=name))


def start_branch(repo: git.Repo, name: str) -> str | None:
    """Switch to a new branch ``name`` made from the current one; return the branch left (None if detached)."""
    check_new_branch(repo, name)
    previous = None if repo.head.is_detached else repo.active_branch.name
    try:
        repo.git.switch("-c", name)
    except git.GitCommandError as error:
        raise GitProblem(_explain(error)) from None
    return previous


def abandon_branch(repo: git.Repo, name: str, previous: str | None, sha: str | None) -> None:
    """Undo ``start_branch`` after a failed commit: back to where the user was, branch deleted."""
    try:
        if previous:
            repo.git.switch(previous)
        elif sha:
            repo.git.switch("--detach", sha)
        repo.git.branch("-D", name)
    except git.GitCommandError:
        pass


def abandon_branch_if_empty(repo: git.Repo, name: str, previous: str | None, sha: str | None) -> None:
    """``abandon_branch`` for a killed command: only when the branch still points where it was made."""
    if name not in [head.name for head in repo.heads] or repo.heads[name].commit.hexsha != sha:
        return
    if current_branch(repo) == name:
        abandon_branch(repo, name, previous, sha)
    else:
        try:
            repo.git.branch("-D", name)
        except git.GitCommandError:
            pass


def unstage(repo: git.Repo, rel: list[str]) -> None:
    """Put the index entries of ``rel`` back as in HEAD (absent when HEAD does not have them)."""
    try:
        if repo.head.is_valid():
            repo.git.reset("-q", "HEAD", "--", *rel)
        else:
            repo.git.rm("-q", "--cached", "--ignore-unmatch", "--", *rel)
    except git.GitCommandError:
        pass


def git_processes(root: Path) -> list[int] | None:
    """Ids of the git processes running in the repository around ``root``; None when it cannot be known
    (no /proc: not Linux).  ``git cat-file`` readers (GitPython keeps some running) never hold the index:
    they are left out.  A git process whose folder cannot be read counts as running in the repository.
    """
    repo = open_repo(root)
    if repo is None:
        return []
    if not Path("/proc/self/cwd").exists():
        return None
    places = {Path(repo.git_dir).resolve(), Path(repo.working_tree_dir or repo.git_dir).resolve()}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if not (entry / "comm").read_text().strip().startswith("git"):
                continue
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            if b"cat-file" in cmdline:
                continue
            cwd = Path(os.readlink(entry / "cwd")).resolve()
        except FileNotFoundError:
            continue  # it ended meanwhile
        except OSError:
            found.append(int(entry.name))
            continue
        if any(cwd == place or place in cwd.parents for place in places):
            found.append(int(entry.name))
    return sorted(found)


def _explain(error: git.GitCommandError) -> str:
    text = (error.stderr or "").strip().replace("stderr: ", "").strip("' \n")
    if "tell me who you are" in text.lower() or "user.email" in text:
        return _("git does not know who you are: run  git config user.name 'Your Name'  and  "
                 "git config user.email you@example.org  (or pass --author 'Name <email>')")
    return _("git could not commit: {reason}").format(reason=text.splitlines()[-1] if text else error)


def head_sha(root: Path) -> str | None:
    repo = open_repo(root)
    return head_of(repo) if repo is not None else None


def uncommitted(root: Path, folder: str = "ledger") -> list[str]:
    """The files under ``root/folder`` whose content in the working tree or the index differs from HEAD,
    untracked and deleted ones included, relative to ``root`` (both sides of a rename); [] outside git."""
    repo = open_repo(root)
    if repo is None or repo.working_tree_dir is None:
        return []
    prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    try:  # --no-optional-locks: a read never writes git's index (nor leaves its lock if killed)
        out = repo.git(no_optional_locks=True).status("--porcelain=v1", "-z", "--untracked-files=all", "--",
                                                      str(Path(root) / folder))
    except git.GitCommandError:
        return []
    entries, paths = iter(out.split("\0")), []
    for entry in entries:
        if entry:
            paths.append(entry[3:])
            if entry[0] in "RC":
                paths.append(next(entries, ""))
    return sorted({p[len(prefix):] for p in paths if p and p.startswith(prefix)})


def is_signed(root: Path, sha: str) -> bool:
    """Whether the commit carries a signature (GPG or SSH), whoever made it (fab verify says whose)."""
    repo = open_repo(root)
    try:
        return repo is not None and bool(repo.commit(sha).gpgsig)
    except (ValueError, git.BadName):
        return False
