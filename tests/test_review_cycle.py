"""A community through two periods: sign, contribute, donate, use, alert, review, report, close.

Amounts are worked out by hand in comments; every step goes through the CLI as users type it.
"""

from __future__ import annotations

import pytest

from conftest import Fab, replay


def _h1(fab: Fab) -> None:
    """H1: bruno gives money, chloe gives work, emma signs and gives nothing, farid uses without signing
    (built once, copied for each test: see conftest.replay)."""
    replay(fab, "review-cycle-h1", _h1_steps)


def _h1_steps(fab: Fab, env) -> None:
    path = fab.root / "ledger/fabrique.yaml"
    path.write_text(path.read_text().replace("min_payout: 0", "min_payout: 250"))
    fab.git("commit", "-qam", "settings: min_payout 250")
    for handle in ("emma", "farid"):
        assert fab("member", "add", handle, "--name", handle.title(), "--role", "consultant", "--joined", "2026-01-02").code == 0
    for handle, day in (("bruno", "2026-01-10"), ("chloe", "2026-01-12"), ("emma", "2026-01-15")):
        assert fab("sign", handle, "--date", day).code == 0
    steps = [
        ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "8", "--date", "2026-02-02", "--id", "a1"),
        ("contribute", "--by", "chloe", "--kind", "code", "--title", "GTFS", "--hours", "2", "--date", "2026-02-03", "--id", "c1"),
        ("use", "--by", "farid", "--resource", "wiki: Covoiturage", "--mission-revenue", "10000", "--date", "2026-03-01"),
        ("use", "--by", "bruno", "--resource", "réseau", "--mission-revenue", "20000", "--date", "2026-03-02"),
        ("review", "a1", "--by", "bruno", "--approve", "--date", "2026-03-03"),
        ("alert", "--about", "farid", "--evidence", "https://example.org/farid", "--by", "alice", "--date", "2026-03-04"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)


def _report(fab: Fab, period: str) -> dict:
    result = fab("report", "--period", period, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def test_report_statuses_and_agenda(fab):
    _h1(fab)
    data = _report(fab, "2026-H1")
    rows = {r["member"]: (r["status"], r["referenced"], r["suggested_donation"]) for r in data["reciprocity"]}
    # suggested_rate is 0.01 in a new ledger: 1 % of 20 000 and of 10 000
    assert rows == {
        "bruno": ("donates", True, "200.00"),
        "chloe": ("contributes", True, None),
        "emma": ("dormant", True, None),
        "farid": ("uses without giving back", False, "100.00"),
    }
    assert [c["member"] for c in data["agenda"]["dereferencing_candidates"]] == ["emma"]
    assert [(a["about"], a["status"], a["signed_since"]) for a in data["agenda"]["alerts"]] == [("farid", "open", False)]
    assert [c["id"] for c in data["agenda"]["unreviewed_contributions"]] == ["c1"]
    assert data["pool"]["sources"] == [{"donor": "bruno", "name": "Bruno Lefèvre", "amount": "1000.00", "count": 1}]
    assert [(c["rank"], c["member"], c["value"]) for c in data["contributors"]] == [(1, "alice", "8"), (2, "chloe", "2")]
    # the report's split is fab split's
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert data["split"] == split


def test_close_seals_and_carries_over(fab, monkeypatch):
    _h1(fab)
    # H1: alice 8, chloe 2 -> 800 / 200; chloe's 200 is below min_payout 250: carried over
    monkeypatch.setenv("FAB_TODAY", "2026-07-15")  # the review meeting, after the end of H1
    result = fab("close", "2026-H1", "--yes", "--format", "json")
    monkeypatch.setenv("FAB_TODAY", "2026-11-27")
    assert result.code == 0, result.err
    assert result.json()["path"] == "ledger/periods/2026-H1.yaml"
    assert fab.git("show", "--name-only", "--format=%s", "HEAD").split("\n")[0] == "close 2026-H1: 800.00 EUR to 1 contributors, 200.00 carried over"
    seal = (fab.root / "ledger/periods/2026-H1.yaml").read_text()
    assert "payouts:\n  alice: 800.00\ncarried_over: 200.00\ndereferenced:\n- emma\n" in seal
    assert fab("check").code == 0
    # the carry-over reaches H2, whose pool has no donation yet
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-08-01").code == 0
    assert fab("contribute", "--by", "chloe", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-08-02").code == 0
    split = fab("split", "--period", "2026-H2", "--format", "json").json()
    assert (split["carried_in"], split["pool"], split["warnings"]) == ("200.00", "300.00", [])
    # emma was dereferenced by the seal; signing again brings her back
    rows = {r["member"]: r["referenced"] for r in _report(fab, "2026-H2")["reciprocity"]}
    assert rows["emma"] is False
    assert fab("sign", "emma", "--date", "2026-11-20").code == 0
    rows = {r["member"]: r["referenced"] for r in _report(fab, "2026-H2")["reciprocity"]}
    assert rows["emma"] is True


def test_balanced_counts_sealed_payouts(fab):
    _h1(fab)
    assert fab("close", "2026-H1", "--yes").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-08-01").code == 0
    # lifetime: alice 8, chloe 2 (H1) + chloe 8 (H2) = alice 8, chloe 10; paid: alice 800, chloe 0
    assert fab("contribute", "--by", "chloe", "--kind", "wiki", "--title", "X", "--hours", "8", "--date", "2026-08-02").code == 0
    split = fab("split", "--period", "2026-H2", "--policy", "balanced", "--param", "min_payout=0", "--format", "json").json()
    # budget 1000 + 200 carried in = 1200; total = 800 + 1200 = 2000; targets alice 2000 × 8/18 = 888.89, chloe 1111.11
    # needs: alice 88.89, chloe 1111.11 (sum 1200) -> the needs are the amounts
    assert [(p["member"], p["amount"]) for p in split["payouts"]] == [("alice", "88.89"), ("chloe", "1111.11")]


@pytest.mark.parametrize("change, message", [
    ("edit", "ledger/contributions/2026-H1/c1.yaml:1:1: sealed changed after 2026-H1 was closed on 2026-11-27 (ledger/periods/2026-H1.yaml)"),
    ("delete", "ledger/periods/2026-H1.yaml:1:1: sealed ledger/contributions/2026-H1/c1.yaml was removed after 2026-H1 was closed on 2026-11-27 (ledger/periods/2026-H1.yaml)"),
    ("add", "ledger/contributions/2026-H1/late.yaml:1:1: sealed added to 2026-H1 after 2026-H1 was closed on 2026-11-27 (ledger/periods/2026-H1.yaml)"),
])
def test_changes_in_a_sealed_period_are_refused(fab, change, message):
    _h1(fab)
    assert fab("close", "2026-H1", "--yes").code == 0
    target = fab.root / "ledger/contributions/2026-H1/c1.yaml"
    if change == "edit":
        target.write_text(target.read_text().replace("hours: 2", "hours: 20"))
    elif change == "delete":
        target.unlink()
    else:
        fab.write("ledger/contributions/2026-H1/late.yaml", "authors: alice\nkind: wiki\ntitle: Late\nhours: 3\ndate: 2026-05-05\n")
    result = fab("check")
    assert result.code == 1 and message in result.out, result.out
    assert "to change 2026-H1, reopen it on record first: fab close --reopen 2026-H1 --reason ..." in result.out


def test_write_into_a_sealed_period_is_refused_until_reopened(fab):
    _h1(fab)
    assert fab("close", "2026-H1", "--yes").code == 0
    before = fab.state()
    args = ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Late", "--hours", "3", "--date", "2026-05-05")
    result = fab(*args)
    assert result.code == 1 and "added to 2026-H1 after 2026-H1 was closed on 2026-11-27" in result.err
    assert fab.state() == before
    assert fab("close", "2026-H1", "--yes").code == 1  # already closed
    result = fab("close", "--reopen", "2026-H1", "--reason", "a contribution was forgotten")
    assert result.code == 0, result.err
    assert fab.git("log", "-1", "--format=%s").strip() == "reopen 2026-H1: a contribution was forgotten"
    assert fab(*args).code == 0
    assert fab("close", "2026-H1", "--yes").code == 0
    assert "reopened" not in (fab.root / "ledger/periods/2026-H1.yaml").read_text()


def test_close_refusals(fab):
    _h1(fab)
    before = fab.state()
    assert "runs until 2026-12-31" in fab("close", "2026-H2", "--yes").err
    result = fab("close", "2026-H1")  # no terminal, no --yes
    assert result.code == 2 and "add --yes" in result.err
    fab.write("ledger/donations/2026-H1/bad.yaml", "donor: bruno\namount: -5\ndate: 2026-02-01\n")
    result = fab("close", "2026-H1", "--yes")
    assert result.code == 1 and "cannot be closed while the ledger has problems" in result.err
    (fab.root / "ledger/donations/2026-H1/bad.yaml").unlink()
    assert fab.state() == before


def test_alert_follow_up_and_signed_since(fab):
    _h1(fab)
    alert_id = "2026-03-04-farid"
    result = fab("alert", alert_id, "--status", "invited", "--note", "courriel envoyé")
    assert result.code == 0, result.err
    text = (fab.root / f"ledger/alerts/{alert_id}.yaml").read_text()
    assert "status: invited\nnote: courriel envoyé\n" in text
    assert fab("sign", "farid", "--date", "2026-04-01").code == 0
    alerts = _report(fab, "2026-H1")["agenda"]["alerts"]
    assert [(a["status"], a["signed_since"]) for a in alerts] == [("invited", True)]
    assert fab("alert", alert_id, "--status", "signed").code == 0
    assert _report(fab, "2026-H1")["agenda"]["alerts"] == []
    assert fab("alert", "nope", "--status", "signed").code == 1
    assert fab("alert", alert_id, "--status", "maybe").code == 2


def test_every_report_format_through_the_cli(fab, tmp_path):
    _h1(fab)
    md = fab("report", "--period", "2026-H1", "--format", "md")
    assert md.code == 0 and "| Emma (emma) |" in md.out and "uses without giving back" in md.out
    wiki = fab("report", "--period", "2026-H1", "--format", "wiki")
    assert wiki.code == 0 and wiki.out.count("{|") == wiki.out.count("|}") >= 4 and "== Proposed split ==" in wiki.out
    csv = fab("report", "--period", "2026-H1", "--format", "csv", "--section", "split")
    assert csv.code == 0 and csv.out == "period,member,amount,currency,share,score\n2026-H1,alice,800.00,EUR,0.8,8\n"
    assert fab("report", "--period", "2026-H1", "--format", "csv").code == 2  # csv needs --section
    page = tmp_path / "report.html"
    result = fab("report", "--period", "2026-H1", "--format", "html", "--output", str(page))
    assert result.code == 0 and f"wrote {page}" in result.err
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and 'id="chart-payouts"' in html and "Bruno Lefèvre" in html
    table = fab("report", "--period", "2026-H1")
    assert table.code == 0 and "Reciprocity" in table.out and "Review agenda" in table.out


def test_close_with_overridden_parameters_verifies(fab, monkeypatch):
    _h1(fab)
    monkeypatch.setenv("FAB_TODAY", "2026-07-15")
    # min_payout 0 instead of the settings' 250: chloe's 200 is paid this time
    assert fab("close", "2026-H1", "--yes", "--param", "min_payout=0").code == 0
    seal = (fab.root / "ledger/periods/2026-H1.yaml").read_text()
    assert "parameters:\n  cap: 1\n  min_payout: 0\n  commons_share: 0\n" in seal and "payouts:\n  alice: 800.00\n  chloe: 200.00\n" in seal
    monkeypatch.setenv("FAB_TODAY", "2026-11-27")
    result = fab("verify")
    assert result.code == 0, result.out + result.err
