"""The ledger at a git revision (--at), and writes committed on a new branch (--branch)."""

from __future__ import annotations


def test_check_split_and_report_at_a_revision(fab):
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02").code == 0
    first = fab.head()
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "C", "--hours", "4", "--date", "2026-02-03").code == 0
    # the working tree has a broken file; the revision does not
    fab.write("ledger/donations/2026-H1/broken.yaml", "donor: bruno\namount: lots\n")
    assert fab("check").code == 1
    assert fab("check", "--at", "HEAD").code == 0
    at_first = fab("split", "--period", "2026-H1", "--format", "json", "--at", first).json()
    assert [(p["member"], p["amount"]) for p in at_first["payouts"]] == [("alice", "1000.00")]
    now = fab("split", "--period", "2026-H1", "--format", "json", "--at", "HEAD").json()
    # alice 6, chloe 4 of 1000
    assert [(p["member"], p["amount"]) for p in now["payouts"]] == [("alice", "600.00"), ("chloe", "400.00")]
    report = fab("report", "--period", "2026-H1", "--format", "json", "--at", first).json()
    assert [c["member"] for c in report["contributors"]] == ["alice"]


def test_at_reads_git_objects_not_the_working_tree(fab):
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02").code == 0
    (fab.root / "ledger/members/alice.yaml").unlink()  # deleted in the working tree only
    result = fab("check")
    assert result.code == 1 and "'authors' names 'alice', who is not a member" in result.out
    assert fab("check", "--at", "HEAD").code == 0
    report = fab("report", "--period", "2026-H1", "--format", "json", "--at", "HEAD").json()
    assert [(c["member"], c["name"]) for c in report["contributors"]] == [("alice", "Alice Martin")]


def test_unknown_revision_is_a_usage_error(fab):
    result = fab("check", "--at", "no-such-branch")
    assert result.code == 2 and "'no-such-branch' is not a commit of this repository" in result.err


def test_branch_commits_on_a_new_branch(fab):
    main = fab.git("branch", "--show-current").strip()
    head = fab.head()
    result = fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "2", "--date", "2026-02-02",
                 "--branch", "contribution-a")
    assert result.code == 0, result.err
    assert "on the new branch 'contribution-a'; next: git push -u origin contribution-a" in result.out
    assert fab.git("branch", "--show-current").strip() == "contribution-a"
    assert fab.git("rev-parse", main).strip() == head  # the main branch did not move
    assert fab.git("log", "-1", "--format=%s").strip() == "contribute: alice, 2 h wiki, A"


def test_branch_refusals_change_nothing(fab):
    fab.git("branch", "taken")
    before = fab.state()
    result = fab("donate", "--by", "bruno", "--amount", "5", "--date", "2026-02-01", "--branch", "taken")
    assert result.code == 1 and "the branch 'taken' already exists" in result.err
    result = fab("donate", "--by", "bruno", "--amount", "5", "--date", "2026-02-01", "--branch", "bad..name")
    assert result.code == 1 and "'bad..name' is not a valid branch name" in result.err
    result = fab("donate", "--by", "bruno", "--amount", "5", "--date", "2026-02-01", "--branch", "x", "--no-commit")
    assert result.code == 2
    assert fab.state() == before


def test_failed_commit_on_a_branch_goes_back(fab, monkeypatch):
    main = fab.git("branch", "--show-current").strip()
    fab.git("config", "user.useConfigOnly", "true")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    before = fab.state()
    result = fab("donate", "--by", "bruno", "--amount", "5", "--date", "2026-02-01", "--branch", "gift")
    assert result.code == 1
    assert fab.state() == before
    assert fab.git("branch", "--show-current").strip() == main
    assert "gift" not in fab.git("branch")
