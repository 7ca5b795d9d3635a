"""``fab check --staged`` judges what the next commit holds (git's index), and the shipped pre-commit hook
runs it: checked with the real ``pre-commit`` tool installing fab's hook from a git repository of fab's
own files, at a commit sha, as docs/ci.md tells a community to."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fab_source import fab_repository  # noqa: F401  (a fixture)

GOOD = "ledger/contributions/2026-H2/2026-09-02-chloe-chargeur-gtfs.yaml"
GOOD_TEXT = "authors: chloe\nkind: code\ntitle: Chargeur GTFS\nhours: 10\ndate: 2026-09-02\n"
BAD = "ledger/contributions/2026-H2/2026-09-03-alice-brouillon.yaml"
BAD_TEXT = "authors: alice\nkind: wiki\ntitle: Brouillon\nhours: douze\ndate: 2026-09-03\n"
BAD_AT = f"{BAD}:4:8: bad-value"


def test_an_untracked_bad_file_is_not_what_is_committed(fab):
    fab.write(GOOD, GOOD_TEXT)
    fab.git("add", GOOD)
    fab.write(BAD, BAD_TEXT)
    staged = fab("check", "--staged")
    assert (staged.code, staged.out) == (0, "ok: 4 records, no problems\n")
    whole = fab("check")
    assert whole.code == 1 and BAD_AT in whole.out


def test_a_bad_staged_record_is_refused_at_its_line_and_column(fab):
    fab.write(BAD, BAD_TEXT)
    fab.git("add", BAD)
    staged = fab("check", "--staged")
    assert staged.code == 1
    assert staged.out.startswith(f"{BAD_AT} 'hours': ")


def test_the_staged_version_is_read_not_the_edited_one(fab):
    """A bad record staged, then fixed in the working tree without staging the fix: the commit would hold
    the bad one, so --staged refuses while a plain check passes; the other way round too."""
    fab.write(BAD, BAD_TEXT)
    fab.git("add", BAD)
    fab.write(BAD, BAD_TEXT.replace("douze", "12"))
    assert fab("check", "--staged").code == 1
    assert fab("check").code == 0
    fab.git("add", BAD)
    fab.write(BAD, BAD_TEXT)
    assert fab("check", "--staged").code == 0


def test_a_staged_deletion_is_gone_and_a_conflict_is_said(fab):
    fab.git("rm", "-q", "--cached", "ledger/members/bruno.yaml")
    assert fab("check", "--staged").out == "ok: 2 records, no problems\n"
    fab.git("reset", "-q")
    base = fab.head()
    fab.git("checkout", "-q", "-b", "other")
    fab.write("ledger/members/bruno.yaml", fab.git("show", "HEAD:ledger/members/bruno.yaml").replace("Bruno", "Bruno B."))
    fab.git("commit", "-qam", "other")
    fab.git("checkout", "-q", base, "-B", "main2")
    fab.write("ledger/members/bruno.yaml", fab.git("show", "HEAD:ledger/members/bruno.yaml").replace("Bruno", "Bruno L."))
    fab.git("commit", "-qam", "mine")
    subprocess.run(["git", "-C", str(fab.root), "merge", "-q", "other"], capture_output=True)
    result = fab("check", "--staged")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("error: ledger/members/bruno.yaml has a merge conflict in git's index: resolve it and stage the "
                          "file (git add ledger/members/bruno.yaml), then check again\n")


def test_staged_and_at_are_one_or_the_other(fab):
    result = fab("check", "--staged", "--at", "HEAD")
    assert result.code == 2 and "--staged checks git's index and --at a revision" in result.err


# --- the real pre-commit tool -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """pre-commit's cache (the hook's virtual environment), shared by this module's tests: installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _with_hook(fab, fab_repository, pre_commit_home, monkeypatch) -> None:
    if shutil.which("pre-commit") is None:
        pytest.skip("the pre-commit tool is not installed (pip install -e '.[test]')")
    repository, sha = fab_repository
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    fab.write(".pre-commit-config.yaml", f"repos:\n  - repo: {repository}\n    rev: {sha}\n    hooks:\n      - id: fab-check\n")
    fab.git("add", ".pre-commit-config.yaml")
    fab.git("commit", "-qm", "pre-commit: fab check --staged")
    subprocess.run(["pre-commit", "install"], cwd=fab.root, check=True, capture_output=True)


def _commit(fab) -> subprocess.CompletedProcess:
    """git commit as a user types it; the hook's report (on git's stderr) and git's own output in one text."""
    return subprocess.run(["git", "commit", "-m", "a record"], cwd=fab.root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=900)


@pytest.mark.slow
def test_pre_commit_lets_a_good_staged_record_through_beside_an_untracked_bad_file(fab, fab_repository, pre_commit_home, monkeypatch):
    _with_hook(fab, fab_repository, pre_commit_home, monkeypatch)
    fab.write(GOOD, GOOD_TEXT)
    fab.git("add", GOOD)
    fab.write(BAD, BAD_TEXT)
    done = _commit(fab)
    assert done.returncode == 0, done.stdout
    assert re.search(r"^fab check --staged \(reciprocity ledger\)\.+Passed$", done.stdout, re.MULTILINE), done.stdout
    assert fab.git("show", "--name-only", "--format=%s", "HEAD").split() == ["a", "record", GOOD]
    assert fab.git("status", "--porcelain").splitlines() == ["?? ledger/contributions/2026-H2/2026-09-03-alice-brouillon.yaml"]


@pytest.mark.slow
def test_pre_commit_refuses_a_bad_staged_record_with_its_position(fab, fab_repository, pre_commit_home, monkeypatch):
    _with_hook(fab, fab_repository, pre_commit_home, monkeypatch)
    head = fab.head()
    fab.write(BAD, BAD_TEXT)
    fab.git("add", BAD)
    done = _commit(fab)
    assert done.returncode == 1
    assert re.search(r"^fab check --staged \(reciprocity ledger\)\.+Failed$", done.stdout, re.MULTILINE), done.stdout
    assert f"\n{BAD_AT} 'hours': " in done.stdout
    assert fab.head() == head
    assert fab.git("status", "--porcelain").splitlines() == [f"A  {BAD}"]
