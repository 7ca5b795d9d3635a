"""fab log, fab diff and fab schema on real git histories (DESIGN §7, issue 5).

Histories are made through fab and, where a user would, with git itself (an edit by hand, a
rename, a deletion); author dates are fixed with GIT_AUTHOR_DATE so that --since can be tested.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from conftest import Fab, replay

C1 = "ledger/contributions/2026-H1/c1.yaml"
DONATION = "ledger/donations/2026-H2/2026-08-01-bruno.yaml"


def short(fab: Fab, rev: str = "HEAD") -> str:
    return fab.git("rev-parse", rev).strip()[:7]


def at(monkeypatch, day: str) -> None:
    """The author date of the next commits."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T10:00:00+01:00")


def edit(fab: Fab, rel: str, old: str, new: str) -> None:
    fab.edit(rel, (old, new))


def commit(fab: Fab, message: str, author: str | None = None) -> str:
    fab.git("add", "-A")
    fab.git("commit", "-q", "-m", message, *(["--author", author] if author else []))
    return short(fab)


# --- fab log ---------------------------------------------------------------------------------------

def _history(fab: Fab, monkeypatch) -> list[str]:
    """c1 recorded, edited by hand, moved to H2 with a new date, then deleted: four commits, whose short
    shas are returned (built once, copied for each test: see conftest.replay)."""
    replay(fab, "audit-history", _history_steps)
    at(monkeypatch, "2026-09-01")  # the author date of the last of them, for the commits that follow
    return [short(fab, f"HEAD~{back}") for back in (3, 2, 1, 0)]


def _history_steps(fab: Fab, env) -> None:
    at(env, "2026-02-03")
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS", "--hours", "4",
               "--date", "2026-02-03", "--id", "c1").code == 0
    at(env, "2026-03-01")
    edit(fab, C1, "hours: 4", "hours: 6")
    edit(fab, C1, "title: Chargeur GTFS", "title: Chargeur GTFS v2")
    commit(fab, "c1: two more hours", "Chloé Durand <chloe@example.org>")
    at(env, "2026-07-03")
    (fab.root / "ledger/contributions/2026-H2").mkdir()
    fab.git("mv", C1, "ledger/contributions/2026-H2/c1.yaml")
    edit(fab, "ledger/contributions/2026-H2/c1.yaml", "date: 2026-02-03", "date: 2026-07-03")
    commit(fab, "c1 was done in July")
    at(env, "2026-09-01")
    fab.git("rm", "-q", "ledger/contributions/2026-H2/c1.yaml")
    commit(fab, "c1 is a duplicate")


def test_log_follows_a_record_through_edits_rename_and_deletion(fab, monkeypatch):
    added, edited, moved, removed = _history(fab, monkeypatch)
    result = fab("log", "c1")
    assert result.code == 0, result.err
    assert result.out == (
        "ledger/contributions/2026-H2/c1.yaml: 4 commits, oldest first\n"
        "\n"
        f"2026-02-03  {added}  Test Runner <runner@example.org>  contribute: chloe, 4 h code, Chargeur GTFS\n"
        f"    {C1}: added\n"
        f"2026-03-01  {edited}  Chloé Durand <chloe@example.org>  c1: two more hours\n"
        f"    {C1}: title Chargeur GTFS → Chargeur GTFS v2; hours 4 → 6\n"
        f"2026-07-03  {moved}  Test Runner <runner@example.org>  c1 was done in July\n"
        f"    ledger/contributions/2026-H2/c1.yaml: moved from {C1} to ledger/contributions/2026-H2/c1.yaml; "
        "date 2026-02-03 → 2026-07-03\n"
        f"2026-09-01  {removed}  Test Runner <runner@example.org>  c1 is a duplicate\n"
        "    ledger/contributions/2026-H2/c1.yaml: removed\n"
    )
    # the old path names the same history up to the rename
    assert fab("log", C1).out.count("\n2026-") == 2


def test_log_since_and_json(fab, monkeypatch):
    added, edited, moved, removed = _history(fab, monkeypatch)
    result = fab("log", "c1", "--since", "2026-03-01", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert (data["record"], data["since"]) == ("ledger/contributions/2026-H2/c1.yaml", "2026-03-01")
    assert [(c["short"], c["message"], c["author"], c["email"]) for c in data["commits"]] == [
        (edited, "c1: two more hours", "Chloé Durand", "chloe@example.org"),
        (moved, "c1 was done in July", "Test Runner", "runner@example.org"),
        (removed, "c1 is a duplicate", "Test Runner", "runner@example.org"),
    ]
    first = data["commits"][0]
    assert first["date"] == "2026-03-01T10:00:00+01:00"
    assert first["changes"] == [{
        "path": C1, "action": "changed", "from": None, "text": "title Chargeur GTFS → Chargeur GTFS v2; hours 4 → 6",
        "fields": [{"field": "title", "before": "Chargeur GTFS", "after": "Chargeur GTFS v2"},
                   {"field": "hours", "before": 4, "after": 6}],
    }]
    assert data["commits"][1]["changes"][0]["from"] == C1
    assert data["commits"][2]["changes"][0]["action"] == "removed"


def test_log_of_a_member(fab, monkeypatch):
    at(monkeypatch, "2026-02-01")
    assert fab("sign", "bruno", "--date", "2026-01-10").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "6",
               "--date", "2026-02-02", "--id", "a1").code == 0
    assert fab("review", "a1", "--by", "bruno", "--approve", "--score", "4", "--date", "2026-02-03").code == 0
    edit(fab, "ledger/members/bruno.yaml", "name: Bruno Lefèvre", "name: Bruno Lefèvre-Martin")
    renamed = commit(fab, "bruno's full name")
    result = fab("log", "--member", "bruno")
    assert result.code == 0, result.err
    subjects = [line.split("  ", 3)[3] for line in result.out.splitlines() if line.startswith("20")]
    assert subjects == [
        "member: add bruno (Bruno Lefèvre)",
        "sign: bruno signs the charter (" + hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()[:12] + ")",
        "donate: bruno, 1000.00 EUR",
        "review: bruno approves a1, score 4",
        "bruno's full name",
    ]
    assert f"  {renamed}  " in result.out
    assert "    ledger/members/bruno.yaml: name Bruno Lefèvre → Bruno Lefèvre-Martin\n" in result.out
    assert "contribute: alice" not in result.out  # alice's contribution does not name bruno
    assert fab("log", "--member", "zoe").code == 1


def test_log_of_a_member_finds_them_however_a_file_spells_them_and_in_a_long_history(fab, monkeypatch):
    """Files are parsed only when they may name the member (their handle, or a YAML escape): a handle written
    with escapes is still found, another member's records are not, and 60 commits are read in one go."""
    at(monkeypatch, "2026-03-01")
    for day in range(1, 31):
        for who in ("alice", "chloe"):
            assert fab("contribute", "--by", who, "--kind", "wiki", "--title", f"Page {day}", "--hours", "1",
                       "--date", f"2026-02-{min(day, 28):02d}", "--id", f"{who}-{day}").code == 0
    (fab.root / "ledger/contributions/2026-H1/escaped.yaml").write_text(
        'authors: "\\x62runo"\nkind: wiki\ntitle: Escaped\nhours: 1\ndate: 2026-02-03\n', encoding="utf-8")
    commit(fab, "bruno, spelled with an escape")
    data = json.loads(fab("log", "--member", "bruno", "--format", "json").out)
    assert [c["message"] for c in data["commits"]] == ["member: add bruno (Bruno Lefèvre)", "bruno, spelled with an escape"]
    chloe = json.loads(fab("log", "--member", "chloe", "--format", "json").out)
    assert len(chloe["commits"]) == 31  # her member file, then her 30 pages; none of alice's


def test_log_asks_for_a_path_when_an_id_is_ambiguous(fab):
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-02-02",
               "--id", "2026-02-01-bruno").code == 0
    result = fab("log", "2026-02-01-bruno")
    assert result.code == 1
    assert ("'2026-02-01-bruno' is the id of several records: ledger/contributions/2026-H1/2026-02-01-bruno.yaml, "
            "ledger/donations/2026-H1/2026-02-01-bruno.yaml") in result.err
    by_path = fab("log", "ledger/donations/2026-H1/2026-02-01-bruno.yaml")
    assert by_path.code == 0 and "donate: bruno, 1000.00 EUR" in by_path.out and "contribute" not in by_path.out
    assert fab("log", "nope").code == 1
    assert fab("log", "x", "--member", "bruno").code == 2


# --- fab diff --------------------------------------------------------------------------------------

def _feature(fab: Fab) -> None:
    """main: bruno gives 1 500, alice 6 h and chloe 4 h (split 900 / 600); then a feature branch
    (built once, copied for each test: see conftest.replay)."""
    replay(fab, "audit-feature", _feature_steps)


def _feature_steps(fab: Fab, env) -> None:
    fab.git("branch", "-m", "main")
    steps = [
        ("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-08-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6", "--date", "2026-08-02", "--id", "a1"),
        ("contribute", "--by", "chloe", "--kind", "code", "--title", "Export", "--hours", "4", "--date", "2026-08-03", "--id", "c0"),
    ]
    for step in steps:
        assert fab(*step).code == 0, step
    fab.git("switch", "-q", "-c", "feature")


def test_diff_of_a_feature_branch_in_words(fab):
    _feature(fab)
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS", "--hours", "10",
               "--date", "2026-09-02", "--id", "2026-09-02-chloe-gtfs").code == 0
    edit(fab, DONATION, "amount: 1500.00", "amount: 1200.00")
    commit(fab, "bruno gives 1200, not 1500")
    # main moves on meanwhile: that is not part of the branch
    fab.git("switch", "-q", "main")
    assert fab("donate", "--by", "alice", "--amount", "50", "--date", "2026-08-05").code == 0
    fab.git("switch", "-q", "feature")
    base = short(fab, "main~1")
    # uncommitted: bruno reviews chloe's work, and a1 is deleted
    assert fab("review", "2026-09-02-chloe-gtfs", "--by", "bruno", "--approve", "--score", "4", "--date", "2026-09-03", "--no-commit").code == 0
    (fab.root / "ledger/contributions/2026-H2/a1.yaml").unlink()
    result = fab("diff")
    assert result.code == 0, result.out + result.err
    # after: pool 1 200; alice has nothing left; chloe 4 + 10 × 4/3 -> all of it
    assert result.out == (
        f"fab diff {base} (merge-base with main) → working tree\n"
        "\n"
        "Changes (4):\n"
        "  + chloe records 10 h of code: Chargeur GTFS\n"
        "  - alice's contribution 'Covoiturage rural' is removed\n"
        "  ~ bruno's donation of €1,500.00 changes to €1,200.00\n"
        "  + bruno approves 2026-09-02-chloe-gtfs (score 4)\n"
        "\n"
        "Check of working tree: ok: 7 records, no problems\n"
        "\n"
        "Effect on the split of 2026-H2 (proportional, open), pool €1,500.00 → €1,200.00:\n"
        "  alice  900.00 → 0.00  (-900.00)\n"
        "  chloe  600.00 → 1,200.00  (+600.00)\n"
    )


def test_diff_as_a_pull_request_comment_and_json(fab):
    _feature(fab)
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Autopartage", "--hours", "4",
               "--date", "2026-09-02", "--id", "a2").code == 0
    md = fab("diff", "main", "HEAD", "--format", "md")
    assert md.code == 0, md.err
    main, head = short(fab, "main"), short(fab)
    assert md.out == (
        f"## Ledger changes: `main ({main})` → `HEAD ({head})`\n"
        "\n"
        "- ➕ alice records 4 h of wiki: Autopartage (`ledger/contributions/2026-H2/a2.yaml`)\n"
        "\n"
        "### Check\n"
        "\n"
        "✅ `fab check` finds no problem (ok: 7 records, no problems)\n"
        "\n"
        "### Effect on the split of 2026-H2 (proportional, open)\n"
        "\n"
        "Pool €1,500.00.\n"
        "\n"
        "| member | before | after | difference |\n"
        "|---|---:|---:|---:|\n"
        # alice 10 h, chloe 4 h of 1 500: 1071.43 and 428.57
        "| alice | 900.00 | 1,071.43 | +171.43 |\n"
        "| chloe | 600.00 | 428.57 | -171.43 |\n"
    )
    data = fab("diff", "main", "HEAD", "--format", "json").json()
    assert data["changes"] == [{"action": "added", "kind": "contribution", "path": "ledger/contributions/2026-H2/a2.yaml",
                                "moved_from": None, "sentence": "alice records 4 h of wiki: Autopartage", "fields": []}]
    assert [(s["period"], s["before"], s["after"], s["touched"]) for s in data["splits"]] == [("2026-H2", "open", "open", True)]
    assert data["splits"][0]["payouts"] == [
        {"member": "alice", "before": "900.00", "after": "1071.43", "difference": "+171.43"},
        {"member": "chloe", "before": "600.00", "after": "428.57", "difference": "-171.43"},
    ]
    assert (data["base"]["rev"], data["head"]["rev"], data["check"]["errors"]) == ("main", "HEAD", 0)


def test_diff_with_problems_exits_1_and_lists_them(fab):
    _feature(fab)
    fab.write("ledger/donations/2026-H2/bad.yaml", "donor: zoe\namount: -5\ndate: 2026-08-09\n")
    result = fab("diff")
    assert result.code == 1
    check = fab("check")
    problems = check.out.rsplit("\n\n", 1)[0]
    assert problems in result.out  # the same lines as fab check
    assert "Check of working tree: 2 problems in 1 file (7 records read)" in result.out
    assert "  + zoe donates -€5.00 on 2026-08-09\n" in result.out
    md = fab("diff", "--format", "md")
    assert md.code == 1
    assert "❌ `fab check` finds 2 problems in 1 file (7 records read):\n\n```text\n" in md.out
    assert "ledger/donations/2026-H2/bad.yaml:2:9: amount-not-positive 'amount' is -5; it must be more than 0" in md.out


EVERY_KIND = [  # one write of each kind after _feature: fab diff has a sentence for each
    ("member", "add", "emma", "--name", "Emma Petit", "--role", "consultant", "--joined", "2026-07-02"),
    ("sign", "emma", "--date", "2026-09-01"),
    ("use", "--by", "emma", "--resource", "wiki: Covoiturage", "--mission", "Étude Grand Est", "--mission-revenue", "24000", "--date", "2026-09-02"),
    ("request", "--by", "chloe", "--amount", "900", "--justification", "c0", "--date", "2026-09-03"),
    ("allocate", "--by", "bruno", "alice=60", "chloe=40", "--period", "2026-H2"),
    ("alert", "--about", "Vélocité Conseil", "--evidence", "https://example.org/offre", "--by", "alice", "--date", "2026-09-04"),
    ("review", "c0", "--by", "alice", "--object", "--date", "2026-09-05"),
]


def _every_kind(fab: Fab, *more: tuple[str, ...]) -> None:
    """The writes of EVERY_KIND (and ``more``), then a change of the settings."""
    for step in (*EVERY_KIND, *more):
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    edit(fab, "ledger/fabrique.yaml", "min_payout: 0", "min_payout: 250")


def test_diff_sentences_for_every_kind(fab):
    _feature(fab)
    charter = hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()
    _every_kind(fab)
    sentences = [c["sentence"] for c in fab("diff", "--format", "json").json()["changes"]]
    assert sentences == [
        "the settings change: min_payout 0 → 250",
        "emma joins as consultant (Emma Petit)",
        f"emma signs the charter (version {charter[:12]}) on 2026-09-01",
        "emma uses wiki: Covoiturage for the mission 'Étude Grand Est' (mission revenue €24,000.00)",
        "alice objects to c0",
        "chloe requests €900.00 from the pool for 2026-H2",
        "bruno gives points for 2026-H2: alice 60, chloe 40",
        "alice reports Vélocité Conseil for using the commons without reciprocity (https://example.org/offre)",
    ]
    base = fab.head()
    alert = next((fab.root / "ledger/alerts").glob("*.yaml")).stem
    assert fab("alert", alert, "--status", "invited", "--note", "courriel envoyé").code == 0
    assert fab("review", "c0", "--by", "alice", "--approve", "--score", "5", "--date", "2026-09-06").code == 0
    edit(fab, "ledger/contributions/2026-H2/c0.yaml", "hours: 4", "hours: 5")
    sentences = [c["sentence"] for c in fab("diff", base, "--format", "json").json()["changes"]]
    assert sentences == [
        "the settings change: min_payout 0 → 250",
        "chloe's contribution 'Export' changes: hours 4 → 5",
        "alice now approves c0 (score 5)",
        "the alert about Vélocité Conseil is now invited (courriel envoyé)",
    ]


def test_diff_follows_a_record_moved_to_another_period(fab):
    _feature(fab)
    (fab.root / "ledger/contributions/2026-H1").mkdir()
    fab.git("mv", "ledger/contributions/2026-H2/c0.yaml", "ledger/contributions/2026-H1/c0.yaml")
    edit(fab, "ledger/contributions/2026-H1/c0.yaml", "date: 2026-08-03", "date: 2026-06-03")
    data = fab("diff", "--format", "json").json()
    assert [(c["action"], c["path"], c["moved_from"], c["sentence"]) for c in data["changes"]] == [(
        "changed", "ledger/contributions/2026-H1/c0.yaml", "ledger/contributions/2026-H2/c0.yaml",
        "chloe's contribution 'Export' changes: date 2026-08-03 → 2026-06-03 (moved from ledger/contributions/2026-H2/c0.yaml)",
    )]
    # chloe's 4 h leave 2026-H2: alice gets the whole 1 500; 2026-H1, touched too, has no pool to share
    assert [(s["period"], s["touched"], s["payouts"]) for s in data["splits"][:1]] == [("2026-H1", True, [])]
    assert data["splits"][1]["payouts"] == [
        {"member": "alice", "before": "900.00", "after": "1500.00", "difference": "+600.00"},
        {"member": "chloe", "before": "600.00", "after": "0.00", "difference": "-600.00"},
    ]


def test_diff_of_a_close_and_a_reopening(fab, monkeypatch):
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02").code == 0
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "C", "--hours", "4", "--date", "2026-02-03").code == 0
    before = fab.head()
    assert fab("close", "2026-H1", "--yes").code == 0
    closed = fab("diff", before, "HEAD", "--format", "json").json()
    assert [c["sentence"] for c in closed["changes"]] == [
        "2026-H1 is closed: €1,000.00 paid to 2 members, €0.00 carried over"]
    sealed = fab.head()
    assert fab("close", "--reopen", "2026-H1", "--reason", "a donation was forgotten").code == 0
    reopened = fab("diff", sealed, "HEAD", "--format", "json").json()
    assert [c["sentence"] for c in reopened["changes"]] == ["2026-H1 is reopened: a donation was forgotten"]


def test_diff_without_a_main_branch_needs_a_base(fab):
    fab.git("branch", "-m", "trunk")
    result = fab("diff")
    assert result.code == 2 and "no main branch to compare with" in result.err
    assert fab("diff", "no-such-rev").code == 2


# --- fab schema ------------------------------------------------------------------------------------

def test_schema_of_one_kind_and_of_all(fab):
    result = fab("schema", "contribution")
    assert result.code == 0, result.err
    schema = json.loads(result.out)
    assert schema["title"] == "fab contribution (contributions)"
    assert set(schema["required"]) == {"authors", "kind", "title", "hours", "date"}
    assert "id" not in schema["properties"] and "source" not in schema["properties"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["authors"]["anyOf"][0]["type"] == "string"  # authors: alice
    assert "wiki" in schema["properties"]["kind"]["enum"]
    every = json.loads(fab("schema").out)
    assert {"member", "signature", "contribution", "donation", "use", "review", "request", "allocation", "alert",
            "seal", "settings"} <= set(every)
    assert every["donation"]["required"] == ["donor", "amount", "date"]
    unknown = fab("schema", "contributions")
    assert unknown.code == 2 and "unknown kind 'contributions'" in unknown.err


@pytest.mark.parametrize("path", ["examples/github-actions.yml", "examples/gitlab-ci.yml", ".pre-commit-hooks.yaml"])
def test_forge_examples_are_valid_yaml_running_fab(path):
    from pathlib import Path

    from ruamel.yaml import YAML

    text = (Path(__file__).resolve().parent.parent / path).read_text()
    data = YAML(typ="safe").load(text)
    assert data and "fab " in text


def test_sentences_of_missions_and_payments():
    from fabrique_ledger.records import Mission, Payment, Source
    from fabrique_ledger.render.sentences import added, subject

    mission = Mission.model_validate({"id": "m1", "source": Source("ledger/missions/m1.yaml"), "title": "Étude vélo",
                                      "client": "Grand Est", "deadline": "2026-12-15", "posted_by": "gaelle", "date": "2026-11-02"})
    assert added(mission, "EUR") == "gaelle posts the mission 'Étude vélo' for Grand Est (deadline 2026-12-15)"
    payment = Payment.model_validate({"id": "p1", "source": Source("ledger/payments/p1.yaml"), "period": "2026-H1",
                                      "date": "2026-07-20", "reference": "VIR-0720", "paid": {"alice": "600.00", "chloe": "400.00"}})
    assert added(payment, "EUR") == "payouts of 2026-H1 are paid (VIR-0720): alice €600.00, chloe €400.00"
    assert subject(payment, "EUR") + " is removed" == "the payment VIR-0720 of 2026-H1 is removed"
