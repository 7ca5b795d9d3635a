"""The tamper corpus (DESIGN §7, issue 5): a ledger with a sealed period, tampered with in every way
the issue lists, each through real git; ``fab verify`` must name the file and the commit involved.

The sealed period: bruno gives 1 000.00; alice records 6 h of wiki work and chloe 4 h of code, so the
proportional split seals alice 600.00 and chloe 400.00, nothing carried over.
"""

from __future__ import annotations

import os
import subprocess

from conftest import Fab, replay

DONATION = "ledger/donations/2026-H1/2026-02-01-bruno.yaml"
CHLOE = "ledger/contributions/2026-H1/c1.yaml"
SEAL = "ledger/periods/2026-H1.yaml"
CLOSE = "close 2026-H1: 1000.00 EUR to 2 contributors, 0.00 carried over"


def _seal(fab: Fab, env) -> None:
    steps = [
        ("sign", "bruno", "--date", "2026-01-10"),
        ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6", "--date", "2026-02-02", "--id", "a1"),
        ("contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS", "--hours", "4", "--date", "2026-02-03", "--id", "c1"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    env.setenv("FAB_TODAY", "2026-07-15")
    result = fab("close", "2026-H1", "--yes")
    env.setenv("FAB_TODAY", "2026-11-27")
    assert result.code == 0, result.err


def sealed(fab: Fab, monkeypatch) -> Fab:
    """2026-H1 with one donation and two contributions, closed at the review meeting of 15 July
    (built once, copied for each test: see conftest.replay)."""
    replay(fab, "tamper-sealed", _seal)
    monkeypatch.setenv("FAB_TODAY", "2026-11-27")
    assert "payouts:\n  alice: 600.00\n  chloe: 400.00\ncarried_over: 0.00\n" in (fab.root / SEAL).read_text()
    return fab


def commit(fab: Fab, message: str, *paths: str) -> str:
    """Commit with git directly (no fab), and return 'short "subject"' as fab verify names it."""
    fab.git("add", "-A", *paths)
    fab.git("commit", "-q", "-m", message)
    return label(fab, "HEAD")


def label(fab: Fab, rev: str) -> str:
    """A commit as fab verify names it: the first 7 digits of its sha, and its subject in quotes."""
    sha, subject = fab.git("log", "-1", "--format=%H%n%s", rev).strip().split("\n", 1)
    return f'{sha[:7]} "{subject}"'



def edit(fab: Fab, rel: str, old: str, new: str) -> None:
    path = fab.root / rel
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new))


def verify(fab: Fab, *args: str):
    result = fab("verify", *args)
    assert result.err == ""
    return result


def test_an_untouched_ledger_verifies_clean(fab, monkeypatch):
    sealed(fab, monkeypatch)
    result = verify(fab)
    assert result.code == 0, result.out
    close = label(fab, "HEAD")
    assert f"2026-H1: ok, 3 sealed records, sealed by {close} on" in result.out
    assert result.out.endswith("ok: verified 1 closed period (2026-H1) and 3 sealed records; 0 problems, 1 warning\n")
    data = verify(fab, "--format", "json").json()
    assert (data["ok"], data["records"], data["errors"]) == (True, 3, 0)
    assert [(p["period"], p["records"], p["subject"], p["ok"]) for p in data["periods"]] == [("2026-H1", 3, CLOSE, True)]


def test_edited_donation_is_named_with_its_commit(fab, monkeypatch):
    sealed(fab, monkeypatch)
    edit(fab, DONATION, "amount: 1000.00", "amount: 1200.00")
    by = commit(fab, "bruno gave more")
    result = verify(fab)
    assert result.code == 1
    assert f"{DONATION}: sealed-changed changed in 2026-H1 after it was sealed (amount 1000.00 → 1200.00)\n    commit {by} by Test Runner <runner@example.org>" in result.out
    assert "FAILED: verified 1 closed period (2026-H1) and 3 sealed records; 1 problem, 1 warning" in result.out


def test_deleted_contribution_is_named_with_its_commit(fab, monkeypatch):
    sealed(fab, monkeypatch)
    fab.git("rm", "-q", CHLOE)
    by = commit(fab, "chloe's work did not happen")
    result = verify(fab)
    assert result.code == 1
    assert f"{CHLOE}: sealed-removed removed from 2026-H1 after it was sealed\n    commit {by} by" in result.out


def test_backdated_contribution_added_with_git_is_named(fab, monkeypatch):
    sealed(fab, monkeypatch)
    late = "ledger/contributions/2026-H1/late.yaml"
    fab.write(late, "authors: alice\nkind: wiki\ntitle: Late\nhours: 3\ndate: 2026-05-05\n")
    by = commit(fab, "a forgotten contribution")
    result = verify(fab)
    assert result.code == 1
    assert f"{late}: sealed-added added to 2026-H1 after it was sealed\n    commit {by} by" in result.out


def test_seal_payouts_changed_are_named(fab, monkeypatch):
    sealed(fab, monkeypatch)
    close = label(fab, "HEAD")
    edit(fab, SEAL, "alice: 600.00", "alice: 700.00")
    edit(fab, SEAL, "chloe: 400.00", "chloe: 300.00")
    by = commit(fab, "adjust the payouts")
    result = verify(fab)
    assert result.code == 1
    # the period stays sealed by the close; the later commit is a rewrite of a sealed seal
    assert f"2026-H1: 2 problems, 3 sealed records, sealed by {close} on" in result.out
    assert (f"{SEAL}: seal-rewritten the seal of 2026-H1 was rewritten after it was sealed, without reopening it: "
            f"payouts.alice 600.00 → 700.00; payouts.chloe 400.00 → 300.00\n    commit {by} by") in result.out
    assert (f"{SEAL}: seal-payouts the seal's amounts are not the split of the ledger at the seal commit {close}: "
            f"alice sealed €700.00, recomputed €600.00; chloe sealed €300.00, recomputed €400.00\n    commit {by} by") in result.out


def test_amended_seal_commit_that_changes_a_sealed_record(fab, monkeypatch):
    """History rewritten: the seal commit is amended to carry another version of chloe's contribution."""
    sealed(fab, monkeypatch)
    original = label(fab, "HEAD")
    edit(fab, CHLOE, "hours: 4", "hours: 40")
    fab.git("commit", "-q", "-a", "--amend", "--no-edit")
    amended = label(fab, "HEAD")
    assert amended != original and amended.endswith(f'"{CLOSE}"')
    result = verify(fab)
    assert result.code == 1
    assert (f"{CHLOE}: digest {CHLOE} differs in the ledger at the seal commit {amended} (hours 4 → 40): the seal's digest "
            f"no longer matches, so the seal was forged or history was rewritten\n    commit {amended} by") in result.out
    # and the split of the ledger at that commit is not what was sealed
    assert "alice sealed €600.00, recomputed €130.43; chloe sealed €400.00, recomputed €869.57" in result.out


def test_rewritten_earlier_commit_is_named(fab, monkeypatch):
    """History rewritten further back: every commit from chloe's contribution on is replaced."""
    sealed(fab, monkeypatch)
    rewrite = f"if [ -f {CHLOE} ]; then sed -i 's/hours: 4/hours: 5/' {CHLOE}; fi"
    subprocess.run(["git", "-C", str(fab.root), "filter-branch", "-f", "--tree-filter", rewrite, "HEAD"], check=True,
                   capture_output=True, env={**os.environ, "FILTER_BRANCH_SQUELCH_WARNING": "1"})
    contributed = label(fab, "HEAD~1")
    assert contributed.endswith('"contribute: chloe, 4 h code, Chargeur GTFS"')
    result = verify(fab)
    assert result.code == 1
    assert (f"{CHLOE}: digest {CHLOE} differs in the ledger at the seal commit {label(fab, 'HEAD')} (hours 4 → 5): "
            f"the seal's digest no longer matches, so the seal was forged or history was rewritten\n"
            f"    commit {contributed} by") in result.out


def test_settings_changed_after_the_seal_leave_it_standing(fab, monkeypatch):
    """A closed period's truth is its seal: changing weights later is information for verify, not an
    integrity problem, and check agrees; the split of the period still shows the seal, with the
    recomputation only as a labelled what-if."""
    sealed(fab, monkeypatch)
    edit(fab, "ledger/fabrique.yaml", "weights: {}", "weights: {code: 2}")
    by = commit(fab, "code counts double")
    result = verify(fab)
    assert result.code == 0, result.out
    # alice 6, chloe 4 × 2 = 8: 1000 × 6/14 = 428.57, 1000 × 8/14 = 571.43
    assert ("ledger/fabrique.yaml: settings info: the settings changed after 2026-H1 was sealed (weights.code added: 2); the "
            "seal stands, but recomputed under today's settings the split would differ: alice was €600.00, would now be "
            f"€428.57; chloe was €400.00, would now be €571.43\n    commit {by} by") in result.out
    assert fab("check").code == 0
    split = fab("split", "--period", "2026-H1", "--format", "json").json()
    assert (split["status"], [(p["member"], p["amount"]) for p in split["payouts"]]) == ("sealed", [("alice", "600.00"), ("chloe", "400.00")])
    assert [(p["member"], p["amount"]) for p in split["recomputed"]["payouts"]] == [("alice", "428.57"), ("chloe", "571.43")]
    assert split["recomputed"]["status"] == "recomputed"
    assert split["warnings"] == [
        "recomputed today under its sealed policy, the split of 2026-H1 differs from the seal (alice sealed €600.00, "
        "recomputed €428.57; chloe sealed €400.00, recomputed €571.43): the ledger's settings or members changed since "
        "it was sealed on 15 Jul 2026. The seal is what is paid; the recomputation is only a what-if"]


def test_settings_change_that_leaves_the_seal_alone_is_information(fab, monkeypatch):
    sealed(fab, monkeypatch)
    edit(fab, "ledger/fabrique.yaml", "suggested_rate: 0.01", "suggested_rate: 0.02")
    by = commit(fab, "suggest more")
    result = verify(fab)
    assert result.code == 0, result.out
    assert ("ledger/fabrique.yaml: settings info: the settings changed after 2026-H1 was sealed (suggested_rate 0.01 → 0.02); "
            f"the sealed split is unaffected\n    commit {by} by") in result.out


def test_a_currency_change_after_a_seal_is_an_error_for_check_and_verify(fab, monkeypatch):
    sealed(fab, monkeypatch)
    edit(fab, "ledger/fabrique.yaml", "currency: EUR", "currency: USD")
    by = commit(fab, "dollars")
    result = verify(fab)
    assert result.code == 1
    assert ("ledger/fabrique.yaml: settings the settings changed after 2026-H1 was sealed (currency EUR → USD): the sealed "
            f"amounts and periods would be read in other units\n    commit {by} by") in result.out
    check = fab("check")
    assert check.code == 1
    assert ("ledger/fabrique.yaml:1:1: seal the currency is USD, but 2026-H1 was sealed in EUR: its amounts would be read "
            "in USD\n  hint: set currency back to EUR: a ledger keeps its currency once a period is sealed") in check.out


def test_removed_seal_is_named(fab, monkeypatch):
    sealed(fab, monkeypatch)
    fab.git("rm", "-q", SEAL)
    by = commit(fab, "forget the close")
    result = verify(fab)
    assert result.code == 1
    assert f"{SEAL}: seal-removed the seal of 2026-H1 was removed while the period was sealed\n  commit {by} by" in result.out


def test_broken_seal_file_is_named(fab, monkeypatch):
    sealed(fab, monkeypatch)
    edit(fab, SEAL, "payouts:", "payouts: [")
    by = commit(fab, "break the seal")
    result = verify(fab)
    assert result.code == 1
    assert (f"{SEAL}: seal-unreadable this seal file cannot be read as a seal (see fab check), so its period cannot be "
            f"verified\n  commit {by} by") in result.out


def test_uncommitted_edit_is_reported_as_such(fab, monkeypatch):
    sealed(fab, monkeypatch)
    edit(fab, DONATION, "amount: 1000.00", "amount: 900.00")
    result = verify(fab)
    assert result.code == 1
    assert f"{DONATION}: sealed-changed changed in 2026-H1 after it was sealed (amount 1000.00 → 900.00) (not committed)\n" in result.out


def test_reopened_and_closed_again_verifies_clean(fab, monkeypatch):
    sealed(fab, monkeypatch)
    assert fab("close", "--reopen", "2026-H1", "--reason", "a contribution was forgotten").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Late", "--hours", "2", "--date", "2026-05-05").code == 0
    assert fab("close", "2026-H1", "--yes").code == 0
    result = verify(fab)
    assert result.code == 0, result.out
    assert f"2026-H1: ok, 4 sealed records, sealed by {label(fab, 'HEAD')}" in result.out


def test_self_declared_records_committed_by_someone_else(fab, monkeypatch):
    sealed(fab, monkeypatch)
    # alice has an email: her signature is committed as hers; bruno has none, so his was committed by the runner
    assert fab("sign", "alice", "--date", "2026-03-01").code == 0
    assert fab.git("log", "-1", "--format=%an <%ae>").strip() == "Alice Martin <alice@example.org>"
    signature = "ledger/signatures/bruno--2026-01-10.yaml"
    by = label(fab, fab.git("log", "--format=%H", "--", signature).strip())
    warning = (f"{signature}: self-declared warning: signature of bruno, first committed by Test Runner <runner@example.org>, "
               f"not by bruno (Bruno Lefèvre)\n  commit {by} by")
    result = verify(fab)
    assert result.code == 0 and warning in result.out
    assert "alice--2026-03-01" not in result.out
    strict = verify(fab, "--strict")
    assert strict.code == 1
    assert warning.replace("self-declared warning:", "self-declared") in strict.out


def test_signed_commits_are_reported(fab, monkeypatch, tmp_path):
    sealed(fab, monkeypatch)
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    # the key is declared in a member file: fab verify checks signatures against the keys the ledger declares
    alice = fab.root / "ledger/members/alice.yaml"
    alice.write_text(alice.read_text() + f"signing_keys:\n- {(tmp_path / 'key.pub').read_text().strip()}\n")
    commit(fab, "alice declares her signing key")
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key))):
        fab.git("config", name, value)
    assert fab("close", "--reopen", "2026-H1", "--reason", "sign the seal").code == 0
    fab.git("config", "commit.gpgsign", "true")
    assert fab("close", "2026-H1", "--yes").code == 0
    result = verify(fab)
    assert result.code == 0, result.out
    assert f"{SEAL}: signature info: the seal commit of 2026-H1 is signed (good signature)\n  commit {label(fab, 'HEAD')}" in result.out
    assert "signed commits: 1 of 12 commits (GPG or SSH)" in result.out


def test_verify_needs_history(fab):
    import shutil

    shutil.rmtree(fab.root / ".git")
    result = fab("verify")
    assert result.code == 2 and "is not inside a git repository" in result.err
