"""Issue 15, items 3-4: the hint of a duplicate id offers --id only where the command has it, and a record
naming one whose file cannot be read says that file has a problem, at it, instead of "missing"."""

from __future__ import annotations

REQUEST = "ledger/requests/2026-H2/2026-h2-chloe.yaml"


def _ask(fab, amount: str, *lang: str):
    return fab(*lang, "request", "--by", "chloe", "--amount", amount, "--date", "2026-07-22")


def test_a_second_request_of_a_period_is_shown_not_given_another_id(fab):
    assert _ask(fab, "100").code == 0
    before = fab.state()
    again = _ask(fab, "200")
    assert (again.code, again.err.splitlines()) == (1, [
        f"error: nothing was written; {REQUEST} would have these problems:",
        f"{REQUEST}:1:1: duplicate-id {REQUEST} already exists",
        f"  hint: see it with: fab log {REQUEST}"])
    assert _ask(fab, "200", "--lang", "fr").err.splitlines() == [
        f"erreur : rien n'a été écrit ; {REQUEST} aurait ces problèmes :",
        f"{REQUEST}:1:1: duplicate-id {REQUEST} existe déjà",
        f"  conseil : voyez-le avec : fab log {REQUEST}"]
    assert fab.state() == before


def test_a_contribution_id_taken_is_told_to_choose_another_with_id(fab):
    args = ("contribute", "--by", "alice", "--kind", "wiki", "--title", "x", "--hours", "1", "--date", "2026-07-21")
    assert fab(*args).code == 0
    again = fab(*args, "--id", "2026-07-21-alice-x")
    assert again.code == 1
    assert again.err.splitlines()[-1] == "  hint: choose another id (--id)"


def _broken_contribution(fab) -> str:
    """A contribution reviewed by bruno, then broken by hand: its hours in words."""
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6",
               "--date", "2026-02-10").code == 0
    assert fab("review", "2026-02-10-alice-covoiturage-rural", "--by", "bruno", "--approve", "--date", "2026-03-01").code == 0
    rel = "ledger/contributions/2026-H1/2026-02-10-alice-covoiturage-rural.yaml"
    path = fab.root / rel
    path.write_text(path.read_text().replace("hours: 6", "hours: six"))
    return rel


def test_a_review_of_a_broken_contribution_points_at_its_file(fab):
    rel = _broken_contribution(fab)
    review = "ledger/reviews/2026-H1/2026-02-10-alice-covoiturage-rural--bruno.yaml"
    checked = fab("check")
    assert (checked.code, checked.out.splitlines()) == (1, [
        f"{rel}:4:8: bad-value 'hours': expected a number written in plain digits, like 1500.00",
        "  hint: write it like  hours: 6  (1.5 = an hour and a half)",
        "",
        f"{review}:1:9: unknown-reference 'target' names '2026-02-10-alice-covoiturage-rural', whose file has a "
        f"problem: {rel}:4:8",
        "  hint: fix that file first: fab check reports its problem there",
        "",
        "2 problems in 2 files (4 records read)"])
    french = fab("--lang", "fr", "check").out.splitlines()
    assert french[3:5] == [
        f"{review}:1:9: unknown-reference 'target' désigne '2026-02-10-alice-covoiturage-rural', dont le fichier a "
        f"un problème : {rel}:4:8",
        "  conseil : corrigez d'abord ce fichier : fab check y signale son problème"]


def test_a_record_of_a_member_whose_file_is_broken_points_at_that_file(fab):
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-02-18").code == 0
    path = fab.root / "ledger/members/bruno.yaml"
    path.write_text(path.read_text().replace("roles:", "rôles:"))
    problems = [line for line in fab("check").out.splitlines() if line.startswith("ledger/donations/")]
    assert problems == [
        "ledger/donations/2026-H1/2026-02-18-bruno.yaml:1:8: unknown-reference 'donor' names 'bruno', whose member "
        "file has a problem: ledger/members/bruno.yaml:1:1"]
