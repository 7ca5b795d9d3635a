"""Fault injection: whatever happens during a write command, nothing is lost, forged or left broken.

Every write command (member add, sign, contribute, donate, use, review, request, allocate, alert, alert
--status, close) runs as a real process (``python -m fabrique_ledger``) on a real repository in which the
user has their own staged, unstaged and untracked changes, and is:

- killed (SIGKILL) with a temporary file written, after writing its files, after staging them, during
  ``git commit`` (the whole process group: git dies too, leaving ``index.lock``), and while git finishes
  the commit (fab alone dies);
- run on a read-only ledger folder, a full disk (a file-size limit: writes fail with EFBIG) before
  anything is written or during the commit, a stale ``.git/index.lock``, a merge or a rebase in progress,
  a detached HEAD.

After each: ``fab check`` passes or says how to recover (``fab check --repair``), the repair puts the
repository back exactly as it was, no committed record is lost or changed, the user's changes are
intact, and the command then works.  The pause points come from the test-only hook of
tests/pause/sitecustomize.py (``FAB_TEST_PAUSE``); the kill during the commit uses a real git hook.
"""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Fab, drop_root_privileges, git, isolate, paused_env

pytestmark = pytest.mark.slow

CHLOE = "2026-09-01-chloe-export-mediawiki"  # chloe's contribution of 2026-H2, reviewed and justified below
ALERT = "2026-10-12-velocite-conseil"
DAY = "2026-11-20"
COMMANDS = {
    "member-add": ["member", "add", "david", "--name", "David Nguyen", "--role", "consultant", "--joined", DAY],
    "sign": ["sign", "bruno", "--date", DAY],
    "contribute": ["contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6", "--date", DAY],
    "donate": ["donate", "--by", "bruno", "--amount", "150", "--date", DAY, "--mission", "AMO covoiturage"],
    "use": ["use", "--by", "bruno", "--resource", "wiki: Covoiturage rural", "--date", DAY],
    "review": ["review", CHLOE, "--by", "bruno", "--approve", "--score", "4", "--date", DAY],
    "request": ["request", "--by", "chloe", "--amount", "300", "--justification", CHLOE, "--date", DAY],
    "allocate": ["allocate", "--by", "bruno", "alice=60", "chloe=40", "--period", "2026-H2"],
    "alert": ["alert", "--about", "Mobilis Études", "--evidence", "https://example.org/offre", "--by", "alice", "--date", DAY],
    "alert-status": ["alert", ALERT, "--status", "invited", "--note", "Invited by email"],  # edits an existing file
    "close": ["close", "2026-H1", "--yes"],
}
USER_PATHS = ("todo.md", "notes.txt", "scratch.txt", "ledger/README.md")


# --- a ledger with history, built once, copied for each test

@pytest.fixture(scope="module")
def template(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        isolate(env, home)
        root = tmp_path_factory.mktemp("template") / "fabrique"
        fab = Fab(root)
        for args in (
            ("init", str(root)),
            ("member", "add", "alice", "--name", "Alice Martin", "--email", "alice@example.org", "--joined", "2026-01-05"),
            ("member", "add", "bruno", "--name", "Bruno Lefèvre", "--role", "consultant", "--joined", "2026-01-05"),
            ("member", "add", "chloe", "--name", "Chloé Durand", "--role", "contributor", "--joined", "2026-01-05"),
            ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Guide", "--hours", "4", "--date", "2026-03-02"),
            ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-03-03"),
            ("contribute", "--by", "chloe", "--kind", "code", "--title", "Export MediaWiki", "--hours", "8",
             "--date", "2026-09-01", "--id", CHLOE),
            ("alert", "--about", "Vélocité Conseil", "--evidence", "https://example.org/v", "--by", "alice", "--date", "2026-10-12"),
        ):
            result = fab(*args)
            assert result.code == 0, (args, result.err)
        (root / "todo.md").write_text("v1\n")
        (root / "plan.md").write_text("plan\n")
        git(root, "add", "todo.md", "plan.md")
        git(root, "commit", "-q", "-m", "user: todo and plan")
    return root


def _user_changes(root: Path, staged: bool = True) -> None:
    """The user's own work in progress, which fab must neither commit nor lose."""
    if staged:
        (root / "todo.md").write_text("v2, staged\n")
        (root / "notes.txt").write_text("a new file, staged\n")
        git(root, "add", "todo.md", "notes.txt")
    (root / "todo.md").write_text("v3, not staged\n")
    (root / "scratch.txt").write_text("untracked\n")
    with (root / "ledger/README.md").open("a") as readme:
        readme.write("\nAn unstaged edit.\n")


@pytest.fixture
def repo(template, tmp_path) -> Path:
    root = tmp_path / "fabrique"
    shutil.copytree(template, root, symlinks=True)
    return root


# --- what the repository looks like

def tree(root: Path, rev: str = "HEAD") -> dict[str, str]:
    """path -> blob id of every committed file."""
    return {line.split("\t", 1)[1]: line.split()[2] for line in git(root, "ls-tree", "-r", rev).splitlines()}


def state(root: Path) -> dict:
    """Everything a user could see: HEAD, branches, index (with stages), status, files and folders, git's
    in-progress markers.  Equal before and after means nothing changed."""
    files: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == ".git":
            continue
        files[rel.as_posix()] = path.read_bytes() if path.is_file() else None
    gitdir = root / ".git"
    markers = sorted(name for name in ("index.lock", "MERGE_HEAD", "rebase-merge", "rebase-apply", "fab-journal.json")
                     if (gitdir / name).exists())
    return {
        "head": git(root, "rev-parse", "HEAD").strip(),
        "branch": git(root, "branch", "--show-current").strip(),
        "branches": git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"),
        "index": git(root, "ls-files", "-s"),
        "status": git(root, "status", "--porcelain=v1", "--untracked-files=all"),
        "files": files,
        "markers": markers,
    }


def user_view(root: Path) -> dict:
    """The user's changes: index entries and content of their files."""
    return {rel: (git(root, "ls-files", "-s", "--", rel), (root / rel).read_bytes() if (root / rel).exists() else None)
            for rel in USER_PATHS}


# --- running fab as a process

def command(root: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-m", "fabrique_ledger", *args, "--ledger", str(root)]


def run(root: Path, args: list[str], **popen) -> subprocess.CompletedProcess:
    return subprocess.run(command(root, args), capture_output=True, text=True, timeout=60, **popen)


def start(root: Path, args: list[str], pause: str | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(command(root, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=paused_env(pause), **popen)


def wait_for_pause(proc: subprocess.Popen, stage: str, timeout: float = 30) -> None:
    """Read the process's stderr until the test hook says it is paused at ``stage``."""
    seen = b""
    deadline = time.monotonic() + timeout
    while f"FAB_TEST_PAUSE {stage}".encode() not in seen:
        assert time.monotonic() < deadline, f"never paused at {stage}: {seen!r}"
        ready, _, _ = select.select([proc.stderr], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stderr.fileno(), 4096)
            assert chunk or proc.poll() is None, f"ended before pausing at {stage} ({proc.poll()}): {seen!r}"
            seen += chunk


def wait_until(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def kill(proc: subprocess.Popen, group: bool = False) -> None:
    if group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()


def _hook(root: Path, marker: Path, sleep: int) -> Path:
    """A prepare-commit-msg hook (git runs it during the commit, even with --no-verify) that says it
    started and waits: the test kills fab while git is committing."""
    hook = root / ".git/hooks/prepare-commit-msg"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep {sleep}\n")
    hook.chmod(0o755)
    return hook


def _file_size_limit(size: int):
    """A full disk, seen by the process: any write past ``size`` bytes fails (EFBIG; git dies of SIGXFSZ)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


# --- after a kill

def _recovers(root: Path, name: str, before: dict, committed: bool = False) -> None:
    """What must hold after fab was killed running ``name``: check passes and says how to recover,
    writes refuse until then, the repair restores the repository exactly, and the command then works."""
    fab = Fab(root)
    gitdir = root / ".git"
    before_tree = tree(root, before["head"])
    if committed:  # git finished the commit alone: it holds the new record and nothing else changed
        assert git(root, "rev-parse", "HEAD~1").strip() == before["head"]
        changed = git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
        assert changed and all(path.startswith("ledger/") for path in changed)
        assert {p: b for p, b in tree(root).items() if p not in changed} == {p: b for p, b in before_tree.items() if p not in changed}
    else:
        assert git(root, "rev-parse", "HEAD").strip() == before["head"] and tree(root) == before_tree
    assert user_view(root) == user_view_of(before)
    checked = fab("check")
    assert checked.code == 0, checked.out + checked.err
    assert "fab check --repair" in checked.err, checked.err
    refused = fab(*COMMANDS["donate"], "--amount", "7")
    assert refused.code == 1 and "fab check --repair" in refused.err, refused.err
    repaired = fab("check", "--repair")
    assert repaired.code == 0, repaired.out + repaired.err
    assert "repaired:" in repaired.err
    assert not (gitdir / "fab-journal.json").exists() and not (gitdir / "index.lock").exists()
    assert fab("check").err == ""
    if committed:
        assert "had committed its change" in repaired.err
        assert user_view(root) == user_view_of(before)
    else:
        assert state(root) == before
        again = fab(*COMMANDS[name])
        assert again.code == 0, again.err
    assert fab("check").code == 0


def user_view_of(snapshot: dict) -> dict:
    index = {line.split("\t", 1)[1]: line + "\n" for line in snapshot["index"].splitlines()}
    return {rel: (index.get(rel, ""), snapshot["files"].get(rel)) for rel in USER_PATHS}


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("stage", ["before-rename", "after-write", "after-stage"])
def test_killed_before_the_commit(repo, name, stage):
    _user_changes(repo)
    before = state(repo)
    proc = start(repo, COMMANDS[name], pause=stage)
    wait_for_pause(proc, stage)
    kill(proc)
    if stage == "before-rename":
        assert list(repo.glob("ledger/**/.*.tmp")), "a temporary file is left"
    _recovers(repo, name, before)


def _committing(repo, name: str, tmp_path, sleep: int):
    """The user's changes, then fab's command started and caught while git runs its pre-commit hook
    (which sleeps ``sleep`` seconds): the state before, fab's process and the hook."""
    _user_changes(repo)
    before = state(repo)
    marker = tmp_path / "committing"
    hook = _hook(repo, marker, sleep=sleep)
    proc = start(repo, COMMANDS[name], start_new_session=True)
    wait_until(lambda: marker.exists() or proc.poll() is not None, "git runs the hook")
    return before, proc, hook


@pytest.mark.parametrize("name", COMMANDS)
def test_killed_with_git_during_the_commit(repo, name, tmp_path):
    before, proc, hook = _committing(repo, name, tmp_path, sleep=600)
    assert proc.poll() is None, proc.stderr.read()
    kill(proc, group=True)  # fab, git and the hook
    hook.unlink()
    assert (repo / ".git/index.lock").exists()
    _recovers(repo, name, before)


@pytest.mark.parametrize("name", COMMANDS)
def test_killed_while_git_finishes_the_commit(repo, name, tmp_path):
    before, proc, hook = _committing(repo, name, tmp_path, sleep=1)
    kill(proc)  # fab only: git goes on and commits
    wait_until(lambda: git(repo, "rev-parse", "HEAD").strip() != before["head"] and not (repo / ".git/index.lock").exists(),
               "git has committed")
    hook.unlink()
    _recovers(repo, name, before, committed=True)


def test_killed_on_a_new_branch(repo):
    _user_changes(repo)
    before = state(repo)
    proc = start(repo, [*COMMANDS["contribute"], "--branch", "contribution-rurale"], pause="after-write")
    wait_for_pause(proc, "after-write")
    kill(proc)
    assert git(repo, "branch", "--show-current").strip() == "contribution-rurale"
    repaired = Fab(repo)("check", "--repair")
    assert repaired.code == 0, repaired.err
    assert state(repo) == before  # back on the branch it started from, the new branch gone


# --- refused or failing before anything is committed: every command, one repository each

def _each_command_changes_nothing(root: Path, expected: list[str], **popen) -> None:
    before = state(root)
    for name, args in COMMANDS.items():
        result = run(root, args, **popen)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("error: nothing was recorded: "), (name, result.stderr)
        for words in expected:
            assert words in result.stderr, (name, result.stderr)
        assert state(root) == before, name


def test_read_only_ledger_folder(repo):
    _user_changes(repo)
    folders = [repo / "ledger", *(p for p in (repo / "ledger").rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        _each_command_changes_nothing(repo, ["Permission denied", "hint: check that the folder is writable"],
                                      preexec_fn=drop_root_privileges)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert Fab(repo)("check").code == 0


def test_disk_full_before_anything_is_written(repo):
    _user_changes(repo)
    _each_command_changes_nothing(repo, ["File too large", "check that the disk is not full"], preexec_fn=_file_size_limit(1))


def test_disk_full_while_writing_the_record(repo):
    """The journal fits, the record does not: the write of the file itself fails (EFBIG)."""
    _user_changes(repo)
    before = state(repo)
    result = run(repo, [*COMMANDS["contribute"], "--description", "x" * 4000], preexec_fn=_file_size_limit(2000))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "error: nothing was recorded: could not write ledger/contributions/2026-H2/2026-11-20-alice-covoiturage-rural.yaml: File too large",
        "  hint: check that the folder is writable and the disk is not full"]
    assert state(repo) == before


def test_disk_full_during_the_commit(repo):
    """The record is written, but git cannot write its index: git dies (SIGXFSZ), fab puts everything back."""
    _user_changes(repo)
    before = state(repo)
    limit = (repo / ".git/index").stat().st_size - 100
    for name, args in COMMANDS.items():
        result = run(repo, args, preexec_fn=_file_size_limit(limit))
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert result.stderr.startswith("error: nothing was recorded: git could not commit"), (name, result.stderr)
        assert state(repo) == before, name


def test_stale_index_lock(repo):
    _user_changes(repo)
    (repo / ".git/index.lock").write_text("")
    _each_command_changes_nothing(repo, ["index.lock", "fab check --repair"])
    fab = Fab(repo)
    note = fab("check")
    assert note.code == 0 and "index.lock is left; if no git command is running, remove it with: fab check --repair" in note.err
    repaired = fab("check", "--repair")
    assert repaired.code == 0 and "removed" in repaired.err and not (repo / ".git/index.lock").exists()
    assert fab(*COMMANDS["contribute"]).code == 0


def test_git_still_running_is_never_interrupted(repo, tmp_path):
    """fab check --repair does not take index.lock from a git command that is still running."""
    marker = tmp_path / "committing"
    hook = _hook(repo, marker, sleep=600)
    (repo / "plan.md").write_text("plan v2\n")
    user_git = subprocess.Popen(["git", "-C", str(repo), "commit", "-q", "-m", "user", "plan.md"], start_new_session=True)
    try:
        wait_until(marker.exists, "the user's git commit runs")
        repaired = Fab(repo)("check", "--repair")
        assert repaired.code == 1 and "git is running in this repository" in repaired.err
        assert (repo / ".git/index.lock").exists()
        result = run(repo, COMMANDS["contribute"])
        assert result.returncode == 1 and "index.lock" in result.stderr
    finally:
        os.killpg(user_git.pid, signal.SIGKILL)
        user_git.wait()
        hook.unlink()


def test_merge_in_progress(repo):
    git(repo, "switch", "-q", "-c", "other")
    (repo / "plan.md").write_text("plan, theirs\n")
    git(repo, "commit", "-q", "-am", "theirs")
    git(repo, "switch", "-q", "-")
    (repo / "plan.md").write_text("plan, ours\n")
    git(repo, "commit", "-q", "-am", "ours")
    assert subprocess.run(["git", "-C", str(repo), "merge", "-q", "other"], capture_output=True).returncode == 1
    _user_changes(repo, staged=False)
    _each_command_changes_nothing(repo, ["in the middle of a merge; finish or abort it first (see 'git status')"])
    assert "<<<<<<<" in (repo / "plan.md").read_text()  # the conflict, as the user left it


def test_rebase_in_progress(repo):
    result = subprocess.run(["git", "-C", str(repo), "rebase", "-q", "--exec", "false", "HEAD~1"], capture_output=True, text=True)
    assert result.returncode == 1 and (repo / ".git/rebase-merge").exists(), result.stderr
    _user_changes(repo, staged=False)
    _each_command_changes_nothing(repo, ["in the middle of a rebase; finish or abort it first"])


def test_detached_head(repo):
    git(repo, "switch", "-q", "--detach", "HEAD~1")
    _user_changes(repo)
    _each_command_changes_nothing(repo, ["HEAD is detached", "git switch main", "--branch NAME"])
    # on a new branch, as the message says, it works
    before = state(repo)
    result = run(repo, [*COMMANDS["contribute"], "--branch", "from-detached"])
    assert result.returncode == 0, result.stderr
    assert git(repo, "branch", "--show-current").strip() == "from-detached"
    assert git(repo, "rev-parse", "HEAD~1").strip() == before["head"]
    assert user_view(repo) == user_view_of(before)


def test_every_command_with_the_users_changes_present(repo):
    """Each command commits its record alone; the user's staged, unstaged and untracked work stays as it was."""
    _user_changes(repo)
    fab = Fab(repo)
    for name, args in COMMANDS.items():
        before = state(repo)
        result = run(repo, [*args, "--format", "json"])
        assert result.returncode == 0, (name, result.stderr)
        written = json.loads(result.stdout)
        assert written["commit"] == git(repo, "rev-parse", "HEAD").strip()
        assert git(repo, "rev-parse", "HEAD~1").strip() == before["head"]
        changed = git(repo, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
        assert written["path"] in changed and all(path.startswith("ledger/") for path in changed), (name, changed)
        old = tree(repo, before["head"])
        assert {p: b for p, b in tree(repo).items() if p in old and p not in changed} == {p: b for p, b in old.items() if p not in changed}
        assert user_view(repo) == user_view_of(before), name
        assert not (repo / ".git/fab-journal.json").exists()
    assert fab("check").code == 0


def test_a_failed_commit_keeps_the_users_staged_change_to_the_same_folder(repo):
    """The rollback unstages only fab's paths: a record the user staged by hand in the same folder stays staged."""
    fab = Fab(repo)
    fab.write("ledger/donations/2026-H2/2026-11-01-bruno.yaml", "donor: bruno\namount: 5.00\ndate: 2026-11-01\n")
    git(repo, "add", "ledger/donations/2026-H2/2026-11-01-bruno.yaml")
    git(repo, "config", "user.useConfigOnly", "true")
    before = state(repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))}
    result = run(repo, COMMANDS["donate"], env=env)
    assert result.returncode == 1 and "git does not know who you are" in result.stderr
    assert state(repo) == before


def test_the_journal_never_lands_in_the_working_tree(repo):
    """fab's lock and journal live in the git directory: nothing of them shows in git status."""
    _user_changes(repo)
    result = run(repo, COMMANDS["contribute"])
    assert result.returncode == 0, result.stderr
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert "fab" not in status and "journal" not in status
    assert (repo / ".git/fab.lock").exists() and stat.S_ISREG((repo / ".git/fab.lock").stat().st_mode)


def test_an_unfinished_rollback_is_finished_by_repair(repo):
    """When even the rollback fails (here: git's index cannot be put back), the journal stays, the command
    says to run fab check --repair once the cause is fixed, and that repair restores everything."""
    from fabrique_ledger.store import git as gitstore

    _user_changes(repo)
    before = state(repo)
    fab = Fab(repo)
    with pytest.MonkeyPatch.context() as patch:
        git(repo, "config", "user.useConfigOnly", "true")
        for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
            patch.delenv(var)
        patch.setattr(gitstore, "restore_index", lambda *args, **kwargs: False)
        result = fab(*COMMANDS["donate"])
    git(repo, "config", "--unset", "user.useConfigOnly")
    assert result.code == 1
    assert result.err.startswith("error: nothing was recorded: git does not know who you are")
    assert "git's index could not be put back: once the cause is fixed, run: fab check --repair" in result.err
    assert (repo / ".git/fab-journal.json").exists()
    assert "fab check --repair" in fab("check").err
    assert fab("check", "--repair").code == 0
    assert state(repo) == before
