"""Write commands: the files they write, the commits they make, and what they refuse."""

from __future__ import annotations

import hashlib

from conftest import Fab, git


def test_init_creates_layout_and_first_commit(tmp_path):
    root = tmp_path / "commons"
    result = Fab(root)("init", str(root), "--currency", "CHF", "--name", "Commun: test")
    assert result.code == 0, result.err
    assert git(root, "log", "--format=%s").splitlines() == ["init: new reciprocity ledger for Commun: test"]
    assert sorted(git(root, "ls-files").split()) == ["charter.md", "ledger/README.md", "ledger/fabrique.yaml",
                                                     "templates/clause-reciprocite.md", "templates/offre-technique.md",
                                                     "templates/references.md"]
    settings = (root / "ledger/fabrique.yaml").read_text()
    assert 'name: "Commun: test"' in settings and "currency: CHF" in settings
    assert "Charte de réciprocité" in (root / "charter.md").read_text()
    assert Fab(root)("check").code == 0


def test_init_refuses_an_existing_ledger(fab):
    before = fab.state()
    result = fab("init", str(fab.root))
    assert result.code == 1 and "already holds a ledger" in result.err
    assert fab.state() == before


def test_member_add_writes_the_file_and_one_commit(fab):
    result = fab("member", "add", "david", "--name", "David Nguyen", "--role", "consultant", "--organisation",
                 "Trajectoires SCOP", "--email", "david@example.org", "--wiki-user", "DavidN", "--joined", "2026-02-01",
                 "--no-receive", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["id"] == "david" and data["path"] == "ledger/members/david.yaml" and data["commit"] == fab.head()
    assert (fab.root / "ledger/members/david.yaml").read_text() == (
        "name: David Nguyen\nroles:\n- consultant\njoined: 2026-02-01\norganisation: Trajectoires SCOP\n"
        "email: david@example.org\nwiki_user: DavidN\nreceives: false\n"
    )
    assert fab.git("log", "-1", "--format=%s").strip() == "member: add david (David Nguyen)"
    assert fab.git("show", "--name-only", "--format=", "HEAD").split() == ["ledger/members/david.yaml"]


def test_contribute_with_co_authors(fab):
    result = fab("contribute", "--by", "alice:0.6", "--by", "chloe:0.4", "--kind", "code", "--title",
                 "Chargeur GTFS !", "--hours", "10", "--date", "2026-03-02", "--url", "https://example.org/gtfs",
                 "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["path"] == "ledger/contributions/2026-H1/2026-03-02-alice-chargeur-gtfs.yaml"
    assert (fab.root / result.json()["path"]).read_text() == (
        "authors:\n- member: alice\n  share: 0.6\n- member: chloe\n  share: 0.4\nkind: code\n"
        "title: Chargeur GTFS !\nhours: 10\ndate: 2026-03-02\nurl: https://example.org/gtfs\n"
    )
    assert fab.git("log", "-1", "--format=%s").strip() == "contribute: alice + chloe, 10 h code, Chargeur GTFS !"


def test_generated_ids_stay_unique(fab):
    args = ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Page", "--hours", "1", "--date", "2026-03-02", "--format", "json")
    first, second = fab(*args).json()["id"], fab(*args).json()["id"]
    assert (first, second) == ("2026-03-02-alice-page", "2026-03-02-alice-page-2")


def test_donation_amount_written_in_minor_units(fab):
    result = fab("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-02-03", "--mission", "AMO", "--format", "json")
    assert result.code == 0, result.err
    assert (fab.root / "ledger/donations/2026-H1/2026-02-03-bruno.yaml").read_text() == (
        "donor: bruno\namount: 1500.00\ndate: 2026-02-03\nmission: AMO\n"
    )
    assert fab.git("log", "-1", "--format=%s").strip() == "donate: bruno, 1500.00 EUR"


def test_use_and_sign(fab):
    assert fab("use", "--by", "bruno", "--resource", "wiki: Covoiturage", "--mission-revenue", "24000", "--date", "2026-04-01").code == 0
    result = fab("sign", "alice", "--date", "2026-04-02", "--format", "json")
    assert result.code == 0, result.err
    text = (fab.root / "ledger/signatures/alice--2026-04-02.yaml").read_text()
    assert text.startswith("member: alice\ndate: 2026-04-02\ncharter: ")
    assert hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest() in text
    # the signer is the commit's author when the member has an email
    assert fab.git("log", "-1", "--format=%an <%ae>").strip() == "Alice Martin <alice@example.org>"


def test_author_option_sets_the_commit_author(fab):
    result = fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03", "--author", "Trésorière <tresor@example.org>")
    assert result.code == 0, result.err
    assert fab.git("log", "-1", "--format=%an <%ae>").strip() == "Trésorière <tresor@example.org>"


def test_no_commit_and_dry_run(fab):
    head = fab.head()
    dry = fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03", "--dry-run")
    assert dry.code == 0 and "would write ledger/donations/2026-H1/2026-02-03-bruno.yaml" in dry.out
    assert not (fab.root / "ledger/donations").exists()
    result = fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03", "--no-commit", "--format", "json")
    assert result.json()["commit"] is None and fab.head() == head
    assert fab.git("status", "--porcelain").strip() == "?? ledger/donations/"


def test_user_changes_are_never_committed_nor_lost(fab):
    fab.write("notes.txt", "staged\n")
    fab.git("add", "notes.txt")
    (fab.root / "charter.md").write_text((fab.root / "charter.md").read_text() + "\nunstaged edit\n")
    fab.write("scratch.txt", "untracked\n")
    assert fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03").code == 0
    assert fab.git("show", "--name-only", "--format=", "HEAD").split() == ["ledger/donations/2026-H1/2026-02-03-bruno.yaml"]
    assert sorted(fab.git("status", "--porcelain").splitlines()) == [" M charter.md", "?? scratch.txt", "A  notes.txt"]
    assert (fab.root / "charter.md").read_text().endswith("unstaged edit\n")


def test_refused_write_changes_nothing(fab):
    before = fab.state()
    cases = [
        (("contribute", "--by", "zoe", "--kind", "wiki", "--title", "T", "--hours", "2"), 1, "--by: 'zoe' is not a member"),
        (("contribute", "--by", "alice", "--kind", "wiki", "--title", "T", "--hours", "-2"), 1, "hours must be more than 0"),
        (("contribute", "--by", "alice", "--kind", "dance", "--title", "T", "--hours", "2"), 1, "'dance' is not a contribution kind"),
        (("contribute", "--by", "alice:0.5", "--by", "chloe:0.4", "--kind", "wiki", "--title", "T", "--hours", "2"), 1, "shares add up to 0.9"),
        (("contribute", "--by", "alice", "--kind", "wiki", "--title", "T", "--hours", "2", "--date", "2027-01-01"), 1, "in the future"),
        (("donate", "--by", "bruno", "--amount", "10.123"), 1, "more decimals than EUR allows"),
        (("donate", "--by", "bruno", "--amount", "1e9"), 2, "not a number written in plain digits"),
        (("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-30"), 2, "not a real calendar date"),
        (("donate", "--amount", "10"), 2, "missing option '--by'"),
        (("member", "add", "Bad_Handle", "--name", "X"), 1, "not a valid id"),
        (("member", "add", "alice", "--name", "Again"), 1, "HANDLE: 'alice' is already a member"),
        (("member", "add", "zed", "--name", "Z", "--role", "boss"), 2, "'boss' is not a role"),
        (("sign", "nobody"), 1, "HANDLE: 'nobody' is not a member"),
        (("donate", "--by", "bruno", "--amount", "10", "--author", "no email"), 2, "'Name <email>'"),
    ]
    for args, code, message in cases:
        result = fab(*args)
        assert (result.code, message in result.err) == (code, True), (args, result.out, result.err)
        assert fab.state() == before, args


def test_unknown_member_reference_is_explained(fab):
    result = fab("contribute", "--by", "zoe", "--kind", "wiki", "--title", "T", "--hours", "2", "--date", "2026-03-01")
    assert result.code == 1 and result.err.splitlines() == [  # what was typed, not a file never written (issue 15)
        "error: --by: 'zoe' is not a member",
        "  hint: add them first: fab member add zoe --name NAME",
    ]


def test_git_failure_leaves_the_tree_as_it_was(fab):
    lock = fab.root / ".git/index.lock"
    lock.write_text("")
    before = fab.state()
    result = fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03")
    assert result.code == 1 and "index.lock" in result.err
    assert fab.state() == before
    lock.unlink()


def test_commit_failure_after_write_is_rolled_back(fab, monkeypatch):
    # no git identity at all: the commit fails after the file is written
    fab.git("config", "user.useConfigOnly", "true")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    before = fab.state()
    result = fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-03")
    assert result.code == 1 and "git does not know who you are" in result.err, result.err
    assert fab.state() == before


def test_a_write_reads_only_what_it_checks_yet_keeps_ids_unique(fab):
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "1", "--date", "2026-02-02",
               "--id", "gtfs").code == 0
    # another period's folder is not read by the write, but its file names are known: the id stays unique
    before = fab.state()
    result = fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "B", "--hours", "1", "--date", "2026-08-02",
                 "--id", "gtfs")
    assert result.code == 1 and "ledger/contributions/2026-H1/gtfs.yaml already exists" in result.err
    assert fab.state() == before
    # a broken file in another period does not block a write elsewhere (fab check still reports it)
    fab.write("ledger/contributions/2026-H1/broken.yaml", "authors: [unclosed\n")
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "C", "--hours", "1", "--date", "2026-08-03").code == 0
    assert fab("check").code == 1
