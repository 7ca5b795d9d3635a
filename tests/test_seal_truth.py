"""A closed period has one truth, its seal (issue 12): the seven reproductions, each through the CLI.

The ledger: bruno gives 1 000.00 in 2026-H1; alice records 8 h of wiki work and chloe 2 h of code,
david approves alice's work; the proportional split is alice 800.00, chloe 200.00.  The review meeting
closes 2026-H1 on 15 July 2026; today is in 2026-H2.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import Fab

SEAL = "ledger/periods/2026-H1.yaml"
REVIEW = "ledger/reviews/2026-H1/a1--david.yaml"


def _h1(fab: Fab, monkeypatch) -> None:
    assert fab("member", "add", "david", "--name", "David Roux", "--joined", "2026-01-05").code == 0
    for step in [
        ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "8", "--date", "2026-02-02", "--id", "a1"),
        ("contribute", "--by", "chloe", "--kind", "code", "--title", "GTFS", "--hours", "2", "--date", "2026-02-03", "--id", "c1"),
        ("review", "a1", "--by", "david", "--approve", "--date", "2026-03-01"),
    ]:
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    monkeypatch.setenv("FAB_TODAY", "2026-07-15")


def _close(fab: Fab, *more: str) -> None:
    result = fab("close", "2026-H1", "--yes", *more)
    assert result.code == 0, result.err


def _commit_edit(fab: Fab, *pairs: tuple[str, str], message: str = "hand edit", rel: str = SEAL) -> None:
    """``rel`` (the seal by default) edited by hand, each (old, new) replaced, and committed."""
    fab.edit(rel, *pairs)
    fab.git("commit", "-qam", message)


# --- 1. a review after the close ------------------------------------------------------------------

def test_a_review_after_the_close_is_refused_and_removes_nothing(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    before = fab.state()
    for extra in ((), ("--dry-run",)):
        result = fab("review", "a1", "--by", "david", "--object", "--date", "2026-07-15", *extra)
        assert result.code == 1
        assert result.out == ""
        assert result.err.splitlines()[:3] == [
            "error: nothing was written; recording ledger/reviews/2026-H2/a1--david.yaml would leave the ledger with these problems:",
            f"{SEAL}:1:1: sealed {REVIEW} was removed after 2026-H1 was closed on 2026-07-15 ({SEAL})",
            "  hint: a closed period's records stay as they were sealed; to change 2026-H1, reopen it on record first: "
            "fab close --reopen 2026-H1 --reason ...",
        ]
        assert ("ledger/reviews/2026-H2/a1--david.yaml:1:1: sealed reviews a contribution of 2026-H1 after 2026-H1 was "
                f"closed on 2026-07-15 ({SEAL}): the reviews of a closed period's contributions and requests are sealed with it") in result.err
        assert "git checkout" not in result.err
        assert fab.state() == before
    # a first review of a sealed contribution, by someone else, is refused the same way
    result = fab("review", "c1", "--by", "bruno", "--approve", "--date", "2026-07-15")
    assert result.code == 1 and "reviews a contribution of 2026-H1 after 2026-H1 was closed" in result.err
    assert fab.state() == before
    assert fab("check").code == 0 and fab("verify").code == 0
    # reopened on record, the review goes through
    assert fab("close", "--reopen", "2026-H1", "--reason", "david objects after all").code == 0
    result = fab("review", "a1", "--by", "david", "--object", "--date", "2026-07-15")
    assert result.code == 0, result.err
    assert f"replaces {REVIEW}" in result.out


def test_reviews_made_at_the_review_meeting_are_sealed_with_the_period(fab, monkeypatch):
    """A review dated after the period ended, before the close, counts for the period and is covered by its seal."""
    _h1(fab, monkeypatch)
    assert fab("review", "c1", "--by", "bruno", "--approve", "--score", "5", "--date", "2026-07-10").code == 0
    _close(fab)
    seal = (fab.root / SEAL).read_text()
    assert "  ledger/reviews/2026-H2/c1--bruno.yaml: " in seal
    (fab.root / "ledger/reviews/2026-H2/c1--bruno.yaml").unlink()
    result = fab("check")
    assert result.code == 1
    assert (f"{SEAL}:1:1: sealed ledger/reviews/2026-H2/c1--bruno.yaml was removed after 2026-H1 was closed on "
            f"2026-07-15 ({SEAL})") in result.out
    verify = fab("verify")
    assert verify.code == 1 and "ledger/reviews/2026-H2/c1--bruno.yaml: sealed-removed" in verify.out


# --- 2. a closed period's page shows its seal ------------------------------------------------------

def test_every_page_of_a_closed_period_shows_the_seal(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab, "--policy", "equal")
    expected = [("alice", "500.00"), ("chloe", "500.00")]
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert (split["status"], split["sealed_on"], split["policy"]["name"]) == ("sealed", "2026-07-15", "equal")
    assert [(p["member"], p["amount"]) for p in split["payouts"]] == expected
    assert split["recomputed"] is None and split["warnings"] == []
    report = fab("report", "--period", "2026-H1", "--format", "json").json()
    assert report["closed"] and report["split"] == split
    assert (report["pool"]["total"], report["pool"]["distributable"]) == ("1000.00", "1000.00")
    csv_rows = list(csv.DictReader(io.StringIO(fab("split", "--period", "2026-H1", "--format", "csv").out)))
    assert [(r["member"], r["amount"], r["status"]) for r in csv_rows] == [(m, a, "sealed") for m, a in expected]
    for fmt, line in (("md", "| Alice Martin (alice) | 500.00 |"), ("wiki", "500.00"), ("html", "500.00")):
        text = fab("report", "--period", "2026-H1", "--format", fmt).out
        assert line in text and "800.00" not in text and "200.00" not in text, fmt
    table = fab("split", "--period", "2026-H1").out
    assert "sealed on 15 Jul 2026" in " ".join(table.split())  # the title may wrap and "€500.00" in table and "€800.00" not in table
    report_csv = fab("report", "--period", "2026-H1", "--format", "csv", "--section", "split").out
    assert "alice,500.00" in report_csv
    # fab payouts pays the same amounts
    private = fab.root.parent / "private"
    private.mkdir()
    (private / "payees.yaml").write_text("payees:\n  alice:\n    name: Alice Martin\n    iban: FR1420041010050500013M02606\n")
    owed = list(csv.DictReader(io.StringIO(fab("payouts", "2026-H1", "--payees", str(private / "payees.yaml")).out)))
    assert sorted((r["member"], r["amount"]) for r in owed) == expected
    # the proportional recomputation is a labelled what-if, never "sealed"
    what_if = fab("split", "--period", "2026-H1", "--policy", "proportional", "--format", "json").json()
    assert what_if["status"] == "what-if"
    assert [(p["member"], p["amount"]) for p in what_if["payouts"]] == [("alice", "800.00"), ("chloe", "200.00")]
    assert what_if["warnings"][0].startswith("2026-H1 is closed: it was sealed on 15 Jul 2026 with equal; this what-if is not what is paid")
    assert "What-if: split of 2026-H1 — proportional" in fab("split", "--period", "2026-H1", "--policy", "proportional").out


def test_a_recomputation_that_differs_is_labelled_and_never_called_sealed(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    _commit_edit(fab, ("weights: {}", "weights: {code: 4}"), message="code counts four times", rel="ledger/fabrique.yaml")
    assert fab("check").code == 0 and fab("verify").code == 0
    split = fab("split", "--period", "2026-H1", "--format", "json", "--explain").json()
    assert split["status"] == "sealed"
    assert [(p["member"], p["amount"], p["score"]) for p in split["payouts"]] == [("alice", "800.00", None), ("chloe", "200.00", None)]
    assert split["recomputed"]["status"] == "recomputed"
    assert [(p["member"], p["amount"]) for p in split["recomputed"]["payouts"]] == [("alice", "500.00"), ("chloe", "500.00")]
    assert "explain" not in split and split["recomputed"]["explain"][0]["member"] == "alice"
    md = fab("split", "--period", "2026-H1", "--format", "md").out
    assert md.startswith("## Split of 2026-H1 — proportional — sealed on 15 Jul 2026\n")
    assert "### Recomputed today, a what-if and not the seal: split of 2026-H1 — proportional" in md
    report = fab("report", "--period", "2026-H1", "--format", "md").out
    assert "the split below is the one that was sealed" in report
    assert "alice sealed €800.00, recomputed €500.00" in report


# --- 3. fab close never seals what it does not commit ------------------------------------------------

def test_close_refuses_uncommitted_records_or_commits_them_when_asked(fab, monkeypatch):
    _h1(fab, monkeypatch)
    result = fab("contribute", "--by", "chloe", "--kind", "code", "--title", "Late", "--hours", "2", "--date", "2026-03-03",
                 "--id", "late", "--no-commit")
    assert result.code == 0, result.err
    before = fab.state()
    result = fab("close", "2026-H1", "--yes")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: 2026-H1 cannot be sealed while files the seal is computed from are not committed: ledger/contributions/2026-H1/late.yaml",
        "  hint: commit them first (git add ... && git commit), or add --include-uncommitted to commit them with the seal",
    ]
    assert fab.state() == before
    assert fab("close", "2026-H1", "--yes", "--no-commit").code == 2
    result = fab("close", "2026-H1", "--yes", "--include-uncommitted")
    assert result.code == 0, result.err
    assert "also committed ledger/contributions/2026-H1/late.yaml" in result.out
    assert fab.git("status", "--porcelain") == ""
    assert set(fab.git("show", "--name-only", "--format=", "HEAD").split()) == {SEAL, "ledger/contributions/2026-H1/late.yaml"}
    assert fab("check").code == 0
    verify = fab("verify")
    assert verify.code == 0, verify.out


def test_close_refuses_uncommitted_settings(fab, monkeypatch):
    _h1(fab, monkeypatch)
    path = fab.root / "ledger/fabrique.yaml"
    path.write_text(path.read_text().replace("min_payout: 0", "min_payout: 10"))
    result = fab("close", "2026-H1", "--yes")
    assert result.code == 1 and "are not committed: ledger/fabrique.yaml" in result.err


# --- 4. a new seal never pays anyone less than was paid ---------------------------------------------

def test_closing_again_cannot_pay_less_than_was_paid(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    monkeypatch.setenv("FAB_TODAY", "2026-07-20")
    assert fab("payouts", "2026-H1", "--mark-paid", "VIR-0720").code == 0
    result = fab("close", "--reopen", "2026-H1", "--reason", "chloe's work was undervalued")
    assert result.code == 0, result.err
    assert result.err == ("note: payments recorded for 2026-H1: VIR-0720 (alice €800.00, chloe €200.00); the seal that "
                          "closes it again must pay each member at least what they were paid\n")
    before = fab.state()
    result = fab("close", "2026-H1", "--yes", "--policy", "equal")
    assert result.code == 1
    assert (f"{SEAL}:16:3: payment the seal pays alice 500.00 for 2026-H1, less than the 800.00 already paid to them (VIR-0720)\n"
            "  hint: a seal never pays anyone less than they were already paid: seal 2026-H1 with a policy or parameters that "
            "pay at least that (fab close 2026-H1 --policy ... --param ...); if a payment record is wrong, correct it first") in result.err
    assert fab.state() == before
    # a seal that pays each at least what they were paid goes through
    _close(fab, "--policy", "hybrid", "--param", "alpha=0")
    assert fab("check").code == 0


# --- 5. fab diff shows every period a change touches ---------------------------------------------------

def test_diff_shows_the_effect_on_the_period_the_change_touches(fab, monkeypatch):
    _h1(fab, monkeypatch)
    base = fab.head()
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "More", "--hours", "8", "--date", "2026-04-01").code == 0
    data = fab("diff", base, "HEAD", "--format", "json").json()
    assert [(s["period"], s["before"], s["after"], s["touched"]) for s in data["splits"]] == [("2026-H1", "open", "open", True)]
    # alice 8, chloe 10 of 1 000: 444.44 and 555.56
    assert data["splits"][0]["payouts"] == [
        {"member": "alice", "before": "800.00", "after": "444.44", "difference": "-355.56"},
        {"member": "chloe", "before": "200.00", "after": "555.56", "difference": "+355.56"},
    ]
    text = fab("diff", base, "HEAD").out
    assert "Effect on the split of 2026-H1 (proportional, open), pool €1,000.00:\n  alice  800.00 → 444.44  (-355.56)" in text
    md = fab("diff", base, "HEAD", "--format", "md").out
    assert "### Effect on the split of 2026-H1 (proportional, open)" in md and "| chloe | 200.00 | 555.56 | +355.56 |" in md


def test_diff_of_a_sealed_period_says_the_change_is_refused(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    base = fab.head()
    target = fab.root / "ledger/contributions/2026-H1/c1.yaml"
    target.write_text(target.read_text().replace("hours: 2", "hours: 20"))
    result = fab("diff", base)
    assert result.code == 1
    assert ("Effect on the split of 2026-H1 (proportional, sealed), pool €1,000.00:\n  this change alters records that the "
            "seal of 2026-H1 covers: fab check refuses it") in result.out
    data = fab("diff", base, "--format", "json").json()
    assert [(s["period"], s["alters_seal"], s["payouts"]) for s in data["splits"]] == [("2026-H1", True, [])]
    assert "⛔ this change alters records that the seal of 2026-H1 covers" in fab("diff", base, "--format", "md").out


def test_diff_of_a_close_shows_the_seal(fab, monkeypatch):
    _h1(fab, monkeypatch)
    base = fab.head()
    _close(fab, "--policy", "equal")
    data = fab("diff", base, "HEAD", "--format", "json").json()
    [h1] = data["splits"]
    assert (h1["period"], h1["before"], h1["after"]) == ("2026-H1", "open", "sealed")
    assert [(p["member"], p["before"], p["after"]) for p in h1["payouts"]] == [("alice", "800.00", "500.00"), ("chloe", "200.00", "500.00")]
    assert "Effect on the split of 2026-H1 (equal): closed by this change" in fab("diff", base, "HEAD").out


# --- 6. ids are matched whole ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("member", "add", "alice\n", "--name", "Alice bis"),
    ("sign", "alice\n", "--date", "2026-01-10"),
    ("contribute", "--by", "alice", "--kind", "wiki\n", "--title", "X", "--hours", "1", "--date", "2026-02-01"),
    ("contribute", "--by", "alice", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-02-01", "--id", "x\n"),
    ("donate", "--by", "bruno\n", "--amount", "5", "--date", "2026-02-01"),
    ("use", "--by", "bruno\n", "--resource", "wiki", "--date", "2026-02-01"),
    ("alert", "--about", "X", "--evidence", "https://example.org", "--by", "alice\n", "--date", "2026-02-01"),
    ("request", "--by", "chloe\n", "--amount", "5", "--date", "2026-02-01"),
    ("allocate", "--by", "alice\n", "chloe=5", "--period", "2026-H1"),
    ("allocate", "--by", "alice", "chloe\n=5", "--period", "2026-H1"),
    ("contribute", "--by", "alice\n", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-02-01"),
    ("contribute", "--by", "alice\n:1", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-02-01"),
    ("allocate", "--by", "alice", "chloe=5", "--period", "2026-H1\n"),
])
def test_an_id_or_handle_ending_in_a_newline_is_refused(fab, monkeypatch, args):
    monkeypatch.setenv("FAB_TODAY", "2026-03-01")
    before = fab.state()
    result = fab(*args)
    assert result.code in (1, 2), result.out
    assert fab.state() == before


@pytest.mark.parametrize("rel, text", [
    ("ledger/members/alice\n.yaml", "name: Alice bis\nroles: [contributor]\njoined: 2026-01-05\n"),
    ("ledger/contributions/2026-H1/x.yaml", 'authors: "alice\\n"\nkind: wiki\ntitle: X\nhours: 1\ndate: 2026-02-01\n'),
    ("ledger/contributions/2026-H1/x.yaml", 'authors: [{member: "alice\\n", share: 1}]\nkind: wiki\ntitle: X\nhours: 1\ndate: 2026-02-01\n'),
    ("ledger/contributions/2026-H1/x.yaml", 'authors: alice\nkind: "wiki\\n"\ntitle: X\nhours: 1\ndate: 2026-02-01\n'),
    ("ledger/donations/2026-H1/x.yaml", 'donor: "bruno\\n"\namount: 5.00\ndate: 2026-02-01\n'),
    ("ledger/uses/2026-H1/x.yaml", 'member: "bruno\\n"\nresource: wiki\ndate: 2026-02-01\n'),
    ("ledger/reviews/2026-H1/x--bruno.yaml", 'target: "x\\n"\nreviewer: bruno\nverdict: approve\ndate: 2026-02-01\n'),
    ("ledger/reviews/2026-H1/x--bruno.yaml", 'target: x\nreviewer: "bruno\\n"\nverdict: approve\ndate: 2026-02-01\n'),
    ("ledger/requests/2026-H1/r.yaml", 'member: chloe\namount: 5\njustification: ["x\\n"]\ndate: 2026-02-01\n'),
    ("ledger/allocations/2026-H1/alice.yaml", 'giver: alice\npoints: {"chloe\\n": 5}\n'),
    ("ledger/alerts/x.yaml", 'about: X\nevidence: https://example.org\nreported_by: "alice\\n"\ndate: 2026-02-01\n'),
    ("ledger/signatures/alice--2026-01-10.yaml", 'member: "alice\\n"\ndate: 2026-01-10\ncharter: ' + "0" * 64 + "\n"),
])
def test_every_field_holding_an_id_refuses_a_trailing_newline(fab, monkeypatch, rel, text):
    monkeypatch.setenv("FAB_TODAY", "2026-03-01")
    fab.write(rel, text)
    result = fab("check", "--format", "json")
    assert result.code == 1
    problems = [p for p in result.json()["problems"] if p["path"] == rel]
    assert problems and {p["code"] for p in problems} <= {"bad-id", "bad-value", "unknown-reference"}, problems
    assert any(p["code"] in ("bad-id", "bad-value") for p in problems), problems


def test_a_period_id_with_a_newline_is_not_a_period():
    from fabrique_ledger.periods import Period

    with pytest.raises(ValueError):
        Period.parse("2026-H1\n")


# --- 7. fab check checks a seal's own numbers --------------------------------------------------------

@pytest.mark.parametrize("old, new, message", [
    ("alice: 800.00", "alice: 900.00", f"{SEAL}:16:3: seal payouts 1100.00 + carried over 0.00 = 1100.00, not the distributable 1000.00"),
    ("distributable: 1000.00", "distributable: 900.00", f"{SEAL}:14:16: seal distributable 900.00 is not pool 1000.00 − commons 0.00"),
    ("carried_over: 0.00", "carried_over: -100.00", f"{SEAL}:18:15: seal 'carried_over' is -100.00: a sealed amount is never negative"),
    ("pool: 1000.00", "pool: 1200.00", f"{SEAL}:12:7: seal pool 1200.00 is not the donations of 2026-H1 1000.00 + carried in 0.00"),
    ("alice: 800.00", "alice: 800.00\n  zoe: 0.00", f"{SEAL}:16:3: seal 'payouts' names 'zoe', who is not a member"),
])
def test_check_refuses_a_seal_that_does_not_add_up(fab, monkeypatch, old, new, message):
    _h1(fab, monkeypatch)
    _close(fab)
    path = fab.root / SEAL
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    result = fab("check")
    assert result.code == 1
    assert message in result.out, result.out


def test_a_later_seal_must_take_in_the_carry_over_of_the_one_before(fab, monkeypatch):
    """Closing 2026-H2 while 2026-H1 is open, then 2026-H1 with a carry-over, would lose it: refused, and
    fab check reports a seal that did not take in the carry-over of the one before."""
    _h1(fab, monkeypatch)
    path = fab.root / "ledger/fabrique.yaml"
    path.write_text(path.read_text().replace("min_payout: 0", "min_payout: 250"))  # chloe's 200 is carried over
    fab.git("commit", "-qam", "min_payout 250")
    monkeypatch.setenv("FAB_TODAY", "2027-01-15")
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "1", "--date", "2026-08-01").code == 0
    before = fab.state()
    result = fab("close", "2026-H2", "--yes")
    assert result.code == 1 and result.err.startswith("error: 2026-H1 is still open: periods are closed in order")
    assert fab.state() == before
    # in order, it goes through, and reopening 2026-H1 under a sealed 2026-H2 that took its carry-over is refused
    assert fab("close", "2026-H1", "--yes").code == 0
    assert fab("close", "2026-H2", "--yes").code == 0
    seal_h2 = fab.root / "ledger/periods/2026-H2.yaml"
    assert "carried_in: 200.00\n" in seal_h2.read_text()
    before = fab.state()
    result = fab("close", "--reopen", "2026-H1", "--reason", "again")
    assert result.code == 1 and "2026-H2 is sealed after 2026-H1" in result.err
    assert fab.state() == before
    assert fab("check").code == 0 and fab("verify").code == 0
    # a seal of 2026-H2 that took in nothing, beside 2026-H1's carry-over of 200.00 (written by hand): fab check says so
    text = seal_h2.read_text()
    for old, new in (("carried_in: 200.00", "carried_in: 0.00"), ("pool: 200.00", "pool: 0.00"),
                     ("distributable: 200.00", "distributable: 0.00"), ("carried_over: 200.00", "carried_over: 0.00")):
        text = text.replace(old, new)
    seal_h2.write_text(text)
    result = fab("check")
    assert result.code == 1
    assert ("ledger/periods/2026-H2.yaml:11:13: seal 2026-H2 was sealed with 0.00 carried in, but 2026-H1 carries over 200.00\n"
            "  hint: periods are closed in order, each taking in the carry-over of the one before: reopen 2026-H2 first "
            "(fab close --reopen 2026-H2 --reason ...), then close 2026-H1 and 2026-H2 again") in result.out


# --- 8. a seal, and every commit, holds only what is committed (the audit of issue 12) -----------------

def _refuses_uncommitted(fab: Fab, period: str, *files: str, more: tuple[str, ...] = ()) -> None:
    """fab close refuses ``period``, listing ``files`` as not committed, and changes nothing."""
    before = fab.state()
    result = fab("close", period, "--yes", *more)
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"error: {period} cannot be sealed while files the seal is computed from are not "
                                         f"committed: {', '.join(files)}")
    assert fab.state() == before


def _refused_with(fab: Fab, args: tuple[str, ...], lines: list[str]) -> None:
    """``fab args`` (and with --dry-run) is refused, exit 1, with exactly these lines, and changes nothing."""
    before = fab.state()
    for extra in ((), ("--dry-run",)):
        result = fab(*args, *extra)
        assert result.code == 1
        assert result.err.splitlines() == lines
        assert fab.state() == before


_COMMIT_EMMA_FIRST = ("  hint: a commit must pass fab check on its own: commit ledger/members/emma.yaml first "
                      "(git add ... && git commit), or record this with --no-commit too")


def _committed_alone(fab: Fab, *files: str) -> None:
    """HEAD's commit holds exactly ``files`` and the working tree is clean; check and verify agree."""
    assert set(fab.git("show", "--name-only", "--format=", "HEAD").split()) == set(files)
    assert fab.git("status", "--porcelain", "--untracked-files=all") == ""
    assert fab("check").code == 0
    verify = fab("verify")
    assert verify.code == 0, verify.out


def test_a_member_added_without_commit_is_never_depended_on_nor_sealed(fab, monkeypatch):
    """a. emma added with --no-commit: a committed contribution by her would fail fab check --at HEAD, and a
    seal paying her would hold a member file that is not committed."""
    monkeypatch.setenv("FAB_TODAY", "2026-06-20")
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("member", "add", "emma", "--name", "Emma", "--joined", "2026-01-10", "--no-commit").code == 0
    work = ("contribute", "--by", "emma", "--kind", "code", "--title", "e", "--hours", "10", "--date", "2026-06-01")
    _refused_with(fab, work, [
        "error: nothing was written; ledger/contributions/2026-H1/2026-06-01-emma-e.yaml depends on what is not "
        "committed (ledger/members/emma.yaml): committed without it, it would leave the ledger with these problems:",
        "ledger/contributions/2026-H1/2026-06-01-emma-e.yaml:1:10: unknown-reference 'authors' names 'emma', who is not a member",
        "  hint: fix the handle, or add the member first: fab member add emma --name ...",
        _COMMIT_EMMA_FIRST,
    ])
    assert fab(*work, "--no-commit").code == 0
    monkeypatch.setenv("FAB_TODAY", "2026-07-10")
    _refuses_uncommitted(fab, "2026-H1", "ledger/contributions/2026-H1/2026-06-01-emma-e.yaml", "ledger/members/emma.yaml")
    result = fab("close", "2026-H1", "--yes", "--include-uncommitted")
    assert result.code == 0, result.err
    assert "also committed ledger/members/emma.yaml" in result.out
    _committed_alone(fab, SEAL, "ledger/contributions/2026-H1/2026-06-01-emma-e.yaml", "ledger/members/emma.yaml")


def test_an_uncommitted_edit_of_a_member_file_is_never_sealed(fab, monkeypatch):
    """b. chloe opts out of payouts in her member file, not committed: the seal would not pay her."""
    _h1(fab, monkeypatch)
    member = fab.root / "ledger/members/chloe.yaml"
    member.write_text(member.read_text() + "receives: false\n")
    assert fab("check").code == 0
    _refuses_uncommitted(fab, "2026-H1", "ledger/members/chloe.yaml")
    assert fab("close", "2026-H1", "--yes", "--include-uncommitted").code == 0
    assert "payouts:\n  alice: 1000.00\n" in (fab.root / SEAL).read_text()
    _committed_alone(fab, SEAL, "ledger/members/chloe.yaml")


@pytest.mark.parametrize("policy", ["recent", "balanced"])
def test_a_record_of_an_open_earlier_period_is_never_sealed_uncommitted(fab, monkeypatch, policy):
    """c. A record of 2026-H1 (open) not committed counts in a 2026-H2 seal under a policy that looks back:
    2026-H2 is not closed before 2026-H1, and 2026-H1 lists the record and commits it only when asked."""
    _h1(fab, monkeypatch)
    monkeypatch.setenv("FAB_TODAY", "2027-01-10")
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-08-02").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "3", "--date", "2026-08-01").code == 0
    hidden = "ledger/contributions/2026-H1/2026-06-02-bruno-hidden.yaml"
    assert fab("contribute", "--by", "bruno", "--kind", "code", "--title", "hidden", "--hours", "40", "--date", "2026-06-02",
               "--no-commit").code == 0
    before = fab.state()
    result = fab("close", "2026-H2", "--policy", policy, "--yes", "--include-uncommitted")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: 2026-H1 is still open: periods are closed in order, each taking in the carry-over of the one before",
        "  hint: close 2026-H1 first (fab close 2026-H1), then 2026-H2",
    ]
    assert fab.state() == before
    _refuses_uncommitted(fab, "2026-H1", hidden)
    assert fab("close", "2026-H1", "--yes", "--include-uncommitted").code == 0
    _committed_alone(fab, SEAL, hidden)
    assert fab("close", "2026-H2", "--policy", policy, "--yes").code == 0
    _committed_alone(fab, "ledger/periods/2026-H2.yaml")


def test_an_uncommitted_edit_of_the_previous_seal_is_never_carried_in(fab, monkeypatch):
    """d. 2026-H1's seal edited by hand so that it still adds up (100.00 carried over instead of paid to alice),
    not committed: the seal of 2026-H2 would take it in."""
    _h1(fab, monkeypatch)
    _close(fab)
    monkeypatch.setenv("FAB_TODAY", "2027-01-10")
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "3", "--date", "2026-08-01").code == 0
    seal = fab.root / SEAL
    seal.write_text(seal.read_text().replace("alice: 800.00", "alice: 700.00").replace("carried_over: 0.00", "carried_over: 100.00"))
    check = fab("check")  # it adds up, but check recomputes a seal whose files are as sealed
    assert check.code == 1 and "ledger/periods/2026-H1.yaml:16:3: seal the seal's amounts are not the split" in check.out
    for more in ((), ("--policy", "balanced"), ("--include-uncommitted",)):  # refused: the ledger fails check
        before = fab.state()
        result = fab("close", "2026-H2", "--yes", *more)
        assert result.code == 1 and "ledger/periods/2026-H1.yaml:16:3: seal the seal's amounts are not the split" in result.err
        assert fab.state() == before and not (fab.root / "ledger/periods/2026-H2.yaml").exists()
    fab.git("checkout", "--", SEAL)  # as sealed, then an edit check cannot see (a comment): still not committed
    seal.write_text(seal.read_text() + "# a note\n")
    _refuses_uncommitted(fab, "2026-H2", SEAL)
    _refuses_uncommitted(fab, "2026-H2", SEAL, more=("--policy", "balanced"))


def test_an_ignored_or_assume_unchanged_record_is_never_sealed_uncommitted(fab, monkeypatch):
    """e. A record git ignores is refused even with --include-uncommitted (fab never force-adds); a record git is
    told to assume unchanged, then edited, is listed like any other, and committed as edited when asked."""
    _h1(fab, monkeypatch)
    secret = "ledger/contributions/2026-H1/secret.yaml"
    with open(fab.root / ".git/info/exclude", "a") as exclude:
        exclude.write(secret + "\n")
    fab.write(secret, "authors: alice\nkind: code\ntitle: Secret\nhours: 5\ndate: 2026-03-01\n")
    assert fab.git("status", "--porcelain", "--untracked-files=all") == ""
    before = fab.state()
    for extra in ((), ("--include-uncommitted",)):
        result = fab("close", "2026-H1", "--yes", *extra)
        assert result.code == 1
        assert result.err.splitlines() == [
            f"error: 2026-H1 cannot be sealed: {secret} would be sealed, but git ignores them (.gitignore, .git/info/exclude) "
            "or is told to skip them (skip-worktree), so they cannot be committed with the seal",
            "  hint: fab never force-adds a file: stop ignoring or skipping them and commit them, or move them out of the ledger",
        ]
        assert fab.state() == before
    (fab.root / secret).unlink()
    c1 = "ledger/contributions/2026-H1/c1.yaml"
    fab.git("update-index", "--assume-unchanged", c1)
    (fab.root / c1).write_text((fab.root / c1).read_text().replace("hours: 2", "hours: 20"))
    assert fab.git("status", "--porcelain") == ""
    _refuses_uncommitted(fab, "2026-H1", c1)
    assert fab("close", "2026-H1", "--yes", "--include-uncommitted").code == 0
    assert "hours: 20" in fab.git("show", f"HEAD:{c1}")
    _committed_alone(fab, SEAL, c1)


def test_a_large_ledger_reads_a_record_git_assumes_unchanged_as_it_is(fab, monkeypatch):
    """Above ASK_GIT_ABOVE files, fab takes the blob ids of unchanged files from git's index; a file git is told
    to assume unchanged may have changed all the same, so its bytes are read: every page shows the file as it
    is, as a small ledger does (here the threshold is lowered to 0 rather than 2 000 files written)."""
    from fabrique_ledger.store import inventory

    _h1(fab, monkeypatch)
    monkeypatch.setattr(inventory, "ASK_GIT_ABOVE", 0)
    assert fab("split", "--period", "2026-H1", "--format", "json").json()["payouts"][1]["amount"] == "200.00"  # (cached)
    c1 = "ledger/contributions/2026-H1/c1.yaml"
    fab.git("update-index", "--assume-unchanged", c1)
    (fab.root / c1).write_text((fab.root / c1).read_text().replace("hours: 2", "hours: 20"))
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert [(p["member"], p["amount"]) for p in split["payouts"]] == [("alice", "285.71"), ("chloe", "714.29")]
    _refuses_uncommitted(fab, "2026-H1", c1)


def test_a_write_is_checked_against_what_is_committed(fab, monkeypatch):
    """A record is committed alone: it must pass fab check with the member files and settings as committed,
    not as edited by hand in the working tree."""
    monkeypatch.setenv("FAB_TODAY", "2026-03-01")
    member = fab.root / "ledger/members/chloe.yaml"
    member.write_text(member.read_text() + "receives: false\n")
    fab.git("commit", "-qam", "chloe opts out")
    member.write_text(member.read_text().replace("receives: false\n", ""))  # back in, not committed
    settings = fab.root / "ledger/fabrique.yaml"
    settings.write_text(settings.read_text().replace("weights: {}", "weights: {design: 2}"))  # a new kind, not committed
    assert fab("check").code == 0
    before = fab.state()
    result = fab("request", "--by", "chloe", "--amount", "50", "--date", "2026-02-01")
    assert result.code == 1
    assert ("depends on what is not committed (ledger/fabrique.yaml, ledger/members/chloe.yaml)" in result.err
            and "chloe opted out of payouts (receives: false) and cannot request an amount" in result.err), result.err
    result = fab("contribute", "--by", "alice", "--kind", "design", "--title", "Logo", "--hours", "2", "--date", "2026-02-01")
    assert result.code == 1 and "'design' is not a contribution kind" in result.err, result.err
    assert fab.state() == before
    # a record that does not depend on them is committed as usual, alone
    result = fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Page", "--hours", "2", "--date", "2026-02-01")
    assert result.code == 0, result.err
    assert fab.git("show", "--name-only", "--format=", "HEAD").split() == ["ledger/contributions/2026-H1/2026-02-01-alice-page.yaml"]
    assert fab("request", "--by", "chloe", "--amount", "50", "--date", "2026-02-01", "--no-commit").code == 0


# --- 9. periods in order ---------------------------------------------------------

def test_periods_are_closed_and_reopened_in_order_even_with_nothing_carried_over(fab, monkeypatch):
    _h1(fab, monkeypatch)
    monkeypatch.setenv("FAB_TODAY", "2027-01-15")
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "1", "--date", "2026-08-01").code == 0
    before = fab.state()
    result = fab("close", "2026-H2", "--yes")
    assert result.code == 1 and result.err.startswith("error: 2026-H1 is still open")
    assert fab.state() == before
    assert fab("close", "2026-H1", "--yes").code == 0
    assert fab("close", "2026-H2", "--yes").code == 0
    before = fab.state()
    for extra in ((), ("--dry-run",)):
        result = fab("close", "--reopen", "2026-H1", "--reason", "again", *extra)
        assert result.code == 1
        assert result.err.splitlines()[1:] == [
            f"{SEAL}:1:1: seal 2026-H2 is sealed after 2026-H1: a later seal took in the carry-over of the periods before it",
            "  hint: reopen the later periods first, the last one first (fab close --reopen 2026-H2 --reason ...), then 2026-H1",
        ]
        assert fab.state() == before
    assert fab("close", "--reopen", "2026-H2", "--reason", "2026-H1 first").code == 0
    assert fab("close", "--reopen", "2026-H1", "--reason", "a correction").code == 0
    assert fab("check").code == 0 and fab("verify").code == 0


def test_reopening_a_reopened_period_says_it_is_open(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    assert fab("close", "--reopen", "2026-H1", "--reason", "a donation was missing").code == 0
    before = fab.state()
    result = fab("close", "--reopen", "2026-H1", "--reason", "again")
    assert result.code == 1
    assert result.err.splitlines()[1:] == [
        f"{SEAL}:1:1: seal 2026-H1 is already reopened (on 2026-07-15: a donation was missing): it is open",
        "  hint: make the corrections, then close it again: fab close 2026-H1",
    ]
    assert fab.state() == before
    assert fab("check").code == 0 and fab("verify").code == 0


# --- 8. no write on a ledger that fab check refuses (issue 12, gap A) ------------------------------

def _payees(fab: Fab) -> str:
    path = fab.root.parent / "payees.yaml"
    path.write_text("payees:\n  alice:\n    name: Alice Martin\n    iban: FR1420041010050500013M02606\n"
                    "  chloe:\n    name: Chloé Durand\n    iban: FR1420041010050500013M02606\n")
    return str(path)


def test_no_write_goes_through_while_a_seal_does_not_add_up(fab, monkeypatch):
    """A seal edited by hand and committed (alice 800 → 900): fab check fails; no write adds to that ledger,
    fab payouts draws no transfer from it, and every page says plainly that the seal is wrong."""
    _h1(fab, monkeypatch)
    _close(fab)
    _commit_edit(fab, ("  alice: 800.00", "  alice: 900.00"))
    problem = f"{SEAL}:16:3: seal payouts 1100.00 + carried over 0.00 = 1100.00, not the distributable 1000.00"
    check = fab("check")
    assert check.code == 1 and problem in check.out
    monkeypatch.setenv("FAB_TODAY", "2026-07-20")
    before = fab.state()
    payment = fab("payouts", "2026-H1", "--mark-paid", "V9")
    assert payment.code == 1
    assert payment.err.splitlines()[:3] == [
        "error: nothing was written: the ledger already has these problems; fix them first (fab check shows them), "
        "then record ledger/payments/2026-h1-v9.yaml:",
        problem,
        f"  hint: a seal is what fab close wrote: undo the edit of {SEAL} (git restore, or git revert once committed), "
        "or reopen 2026-H1 on record (fab close --reopen 2026-H1 --reason ...) and close it again",
    ]
    assert fab.state() == before
    # a write that reads only part of the ledger (members, signatures, seals) refuses it too
    for args in (("contribute", "--by", "alice", "--kind", "wiki", "--title", "More", "--hours", "1", "--date", "2026-07-19"),
                 ("donate", "--by", "bruno", "--amount", "50", "--date", "2026-07-19"),
                 ("member", "add", "emma", "--name", "Emma"),
                 ("review", "c1", "--by", "bruno", "--approve", "--dry-run")):
        result = fab(*args)
        assert result.code == 1, args
        assert "already" in result.err and problem in result.err, (args, result.err)
        assert fab.state() == before
    # no transfer is drawn from it
    transfers = fab("payouts", "2026-H1", "--payees", _payees(fab))
    assert transfers.code == 1 and transfers.out == ""
    assert transfers.err.splitlines()[:2] == [
        "error: no transfer was written: the seal of 2026-H1 does not pass fab check, so what it pays is not known:", problem]
    # every page says so, and not that the settings or members changed
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert split["status"] == "sealed" and split["warnings"][0].startswith(
        f"the seal of 2026-H1 does not pass fab check: {SEAL}:16:3: payouts 1100.00 + carried over 0.00 = 1100.00, not the distributable 1000.00. Its amounts are shown as the file says, "
        "but nothing should be paid from them until it is corrected: reopen 2026-H1 on record")
    assert not any("settings or members changed" in w for w in split["warnings"])
    for fmt in ("text", "md"):
        page = " ".join(fab("report", "--period", "2026-H1", "--format", fmt).out.split())
        assert "the seal of 2026-H1 does not pass fab check" in page and "settings or members changed" not in page, fmt
    # reopened on record, the ledger is whole again, and the period is closed again
    assert fab("close", "--reopen", "2026-H1", "--reason", "the seal was edited by hand").code == 0
    assert fab("check").code == 0
    _close(fab)
    assert fab("check").code == 0 and fab("payouts", "2026-H1", "--mark-paid", "V9").code == 0


def test_a_problem_already_in_the_ledger_refuses_every_write(fab, monkeypatch):
    """Not only seals: a member file broken by hand and committed stops the writes until it is fixed."""
    monkeypatch.setenv("FAB_TODAY", "2026-03-01")
    member = fab.root / "ledger/members/bruno.yaml"
    member.write_text(member.read_text() + "receive: false\n")  # a typo of receives
    fab.git("commit", "-qam", "bruno opts out")
    before = fab.state()
    result = fab("donate", "--by", "alice", "--amount", "10")
    assert result.code == 1
    assert result.err.startswith("error: nothing was written: the ledger already has these problems; fix them first "
                                 "(fab check shows them), then record ledger/donations/2026-H1/2026-03-01-alice.yaml:\n"
                                 "ledger/members/bruno.yaml:")
    assert fab.state() == before
    member.write_text(member.read_text().replace("receive: false", "receives: false"))
    fab.git("commit", "-qam", "bruno opts out, spelled right")
    assert fab("donate", "--by", "alice", "--amount", "10").code == 0


def test_two_broken_seals_are_reopened_one_after_the_other(fab, monkeypatch):
    """Reopening is how a broken seal is corrected: it goes through while another problem stays, as long
    as it adds none."""
    _h1(fab, monkeypatch)
    _close(fab)
    monkeypatch.setenv("FAB_TODAY", "2027-01-10")
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "1", "--date", "2026-08-01").code == 0
    assert fab("close", "2026-H2", "--yes").code == 0
    _commit_edit(fab, ("  alice: 800.00", "  alice: 900.00"))
    h2 = fab.root / "ledger/periods/2026-H2.yaml"
    h2.write_text(h2.read_text().replace("carried_over: 0.00", "carried_over: 5.00"))
    fab.git("commit", "-qam", "both")
    assert fab("close", "--reopen", "2026-H2", "--reason", "edited by hand").code == 0
    assert fab("check").code == 1
    assert fab("close", "--reopen", "2026-H1", "--reason", "edited by hand").code == 0
    assert fab("check").code == 0


# --- 9. fab check and fab verify agree on a seal edited so that it still adds up (gap B) -----------

def test_check_finds_a_seal_edited_so_that_it_still_adds_up(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    _commit_edit(fab, ("  alice: 800.00", "  alice: 700.00"), ("  chloe: 200.00", "  chloe: 300.00"))
    check = fab("check")
    assert check.code == 1
    assert check.out.splitlines()[:2] == [
        f"{SEAL}:16:3: seal the seal's amounts are not the split of the records it covers under its own policy and "
        "parameters: alice sealed €700.00, recomputed €800.00; chloe sealed €300.00, recomputed €200.00",
        f"  hint: a seal is what fab close wrote: undo the edit of {SEAL} (git restore, or git revert once committed), "
        "or reopen 2026-H1 on record (fab close --reopen 2026-H1 --reason ...) and close it again",
    ]
    verify = fab("verify")
    assert verify.code == 1 and f"{SEAL}: seal-payouts the seal's amounts are not the split" in verify.out
    # the page says so (a split reads only its period: enough to judge)
    warnings = fab("split", "--period", "2026-H1", "--format", "json").json()["warnings"]
    assert warnings[0].startswith(f"the seal of 2026-H1 does not pass fab check: {SEAL}:16:3: the seal's amounts are not")
    assert not any("settings or members changed" in w for w in warnings)
    # the carry-over too
    fab.git("revert", "--no-edit", "HEAD")
    assert fab("check").code == 0
    _commit_edit(fab, ("  chloe: 200.00", "  chloe: 150.00"), ("carried_over: 0.00", "carried_over: 50.00"))
    check = fab("check")
    assert check.code == 1 and "chloe sealed €150.00, recomputed €200.00; carried_over sealed €50.00, recomputed €0.00" in check.out
    assert fab("verify").code == 1


def test_a_member_who_opts_in_or_out_after_the_seal_leaves_it_standing(fab, monkeypatch):
    """Who receives is not sealed: chloe opting out after the close, or bruno opting in, changes no seal."""
    _h1(fab, monkeypatch)
    assert fab("contribute", "--by", "bruno", "--kind", "code", "--title", "Bus", "--hours", "2", "--date", "2026-03-03").code == 0
    bruno = fab.root / "ledger/members/bruno.yaml"
    bruno.write_text(bruno.read_text() + "receives: false\n")
    fab.git("commit", "-qam", "bruno opts out")
    _close(fab)
    assert "  bruno:" not in (fab.root / SEAL).read_text()
    for handle, line in (("chloe", "receives: false\n"), ("bruno", None)):
        path = fab.root / f"ledger/members/{handle}.yaml"
        path.write_text(path.read_text() + line if line else path.read_text().replace("receives: false\n", ""))
        fab.git("commit", "-qam", f"{handle} changes their mind")
        check = fab("check")
        assert check.code == 0, check.out
        assert fab("verify").code == 0


def test_diff_of_a_branch_that_edits_a_seal_says_it_is_refused(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    base = fab.head()
    # a seal edited with numbers that still add up, and, on its own, a date changed: both refused
    # A contribution to 2026-H2 reads the seals but not 2026-H1's records: it cannot recompute the seal, so the
    # amounts edited so that they add up are not its concern (fab check and fab diff refuse them); the date is.
    for pairs, contribute in (((("  alice: 800.00", "  alice: 700.00"), ("  chloe: 200.00", "  chloe: 300.00")), 0),
                              ((("date: 2026-07-15", "date: 2026-07-16"),), 1)):
        _commit_edit(fab, *pairs)
        assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "H2", "--hours", "1", "--date", "2026-07-14"
                   ).code == contribute
        result = fab("diff", base, "HEAD")
        assert result.code == 1, result.out
        assert ("this change rewrites the seal of 2026-H1 without reopening it: fab verify and fab guard refuse it; to "
                "change a closed period, reopen it on record first (fab close --reopen 2026-H1 --reason ...)") in result.out
        md = fab("diff", base, "HEAD", "--format", "md").out
        assert "✅" not in md and "⛔ this change rewrites the seal of 2026-H1 without reopening it" in md
        data = fab("diff", base, "HEAD", "--format", "json").json()
        assert [(s["period"], s["alters_seal"]) for s in data["splits"] if s["period"] == "2026-H1"] == [("2026-H1", True)]
        fab.git("reset", "-q", "--hard", base)
    # removed
    fab.git("rm", "-q", SEAL)
    fab.git("commit", "-qm", "no seal")
    result = fab("diff", base, "HEAD")
    assert result.code == 1 and "this change removes the seal of 2026-H1 without reopening it" in result.out
    fab.git("reset", "-q", "--hard", base)
    # a reopen on record and a new close, in the branch: no refusal
    assert fab("close", "--reopen", "2026-H1", "--reason", "chloe's work counts more").code == 0
    _close(fab, "--policy", "equal")
    result = fab("diff", base, "HEAD")
    assert result.code == 0, result.out
    assert "rewrites the seal" not in result.out and "alice  800.00 → 500.00" in result.out


# --- 10. a closed period keeps the currency it was sealed in (gap C) -------------------------------

def test_a_currency_change_does_not_relabel_a_sealed_period(fab, monkeypatch, tmp_path):
    _h1(fab, monkeypatch)
    _close(fab)
    _commit_edit(fab, ("currency: EUR", "currency: USD"), message="dollars", rel="ledger/fabrique.yaml")
    assert fab("check").code == 1 and fab("verify").code == 1
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert (split["status"], split["currency"]) == ("sealed", "EUR")
    assert [(p["member"], p["amount"]) for p in split["payouts"]] == [("alice", "800.00"), ("chloe", "200.00")]
    assert any(w.startswith("the settings now count in USD, but 2026-H1 was sealed in EUR") for w in split["warnings"])
    table = fab("split", "--period", "2026-H1").out
    assert "€800.00" in table and "$" not in table
    assert {r["currency"] for r in csv.DictReader(io.StringIO(fab("split", "--period", "2026-H1", "--format", "csv").out))} == {"EUR"}
    report = fab("report", "--period", "2026-H1", "--format", "json").json()
    assert report["currency"] == "EUR" and report["split"]["currency"] == "EUR"
    for fmt in ("md", "html", "wiki"):
        page = fab("report", "--period", "2026-H1", "--format", fmt).out
        assert "$" not in page and "USD" in page and "800.00" in page, fmt  # (USD only in the warning)
    assert "EUR" in fab("report", "--period", "2026-H1", "--format", "csv", "--section", "split").out
    assert "USD" not in fab("report", "--period", "2026-H1", "--format", "csv", "--section", "split").out
    import openpyxl

    out = tmp_path / "h1.xlsx"
    assert fab("report", "--period", "2026-H1", "--format", "xlsx", "--output", str(out)).code == 0
    rows = list(openpyxl.load_workbook(out)["split"].iter_rows(values_only=True))
    assert {r[rows[0].index("currency")] for r in rows[1:]} == {"EUR"}
    # fab payouts pays the seal, in its currency; recording the payment waits for the settings to be fixed
    monkeypatch.setenv("FAB_TODAY", "2026-07-20")
    owed = list(csv.DictReader(io.StringIO(fab("payouts", "2026-H1", "--payees", _payees(fab)).out)))
    assert sorted((r["member"], r["amount"], r["currency"]) for r in owed) == [("alice", "800.00", "EUR"), ("chloe", "200.00", "EUR")]
    sepa = fab("payouts", "2026-H1", "--format", "sepa", "--payees", _payees(fab), "--debtor-iban", "FR7630006000011234567890189")
    assert sepa.code == 0 and 'Ccy="EUR"' in sepa.out
    before = fab.state()
    paid = fab("payouts", "2026-H1", "--mark-paid", "V9")
    assert paid.code == 1 and "the currency is USD, but 2026-H1 was sealed in EUR" in paid.err
    assert fab.state() == before




def test_a_value_with_a_line_break_is_shown_escaped_in_an_error(fab, monkeypatch):
    _h1(fab, monkeypatch)
    _close(fab)
    result = fab("payouts", "2026-H1", "--mark-paid", "VIR-1", "--member", "bruno\n")
    assert result.code == 1
    assert result.err.splitlines() == ["error: bruno\\n is owed nothing for 2026-H1 (owed: alice, chloe)"]
    result = fab("donate", "--by", "bruno\n", "--amount", "5")
    assert result.err.splitlines() == ["error: --by: 'bruno\\n' is not a handle: it has spaces or a line break around it: bruno",
                                       "  hint: write --by bruno"]


def test_a_period_ending_in_a_newline_is_refused_by_close(fab, monkeypatch):
    _h1(fab, monkeypatch)
    before = fab.state()
    result = fab("close", "2026-H1\n", "--yes")
    assert result.code == 2
    assert result.err.splitlines()[0] == "error: PERIOD: '2026-H1\\n' is not a period id (expected something like 2026-H1)"
    assert fab.state() == before


def test_an_import_naming_a_member_not_committed_is_refused(fab, monkeypatch, tmp_path):
    """fab import commits its rows alone, like every write: checked against the member files as committed."""
    monkeypatch.setenv("FAB_TODAY", "2026-03-01")
    assert fab("member", "add", "emma", "--name", "Emma", "--joined", "2026-01-10", "--no-commit").code == 0
    source = tmp_path / "dons.csv"
    source.write_text("donor,amount,date\nemma,50,2026-02-18\n", "utf-8")
    _refused_with(fab, ("import", str(source)), [
        "error: nothing was imported; dons.csv depends on what is not committed (ledger/members/emma.yaml): committed "
        "without it, the import would leave the ledger with these problems:",
        "dons.csv:2:1: unknown-reference 'donor' names 'emma', who is not a member",
        "  hint: fix the handle, or add the member first: fab member add emma --name ...",
        _COMMIT_EMMA_FIRST,
    ])
    assert fab("import", str(source), "--no-commit").code == 0
