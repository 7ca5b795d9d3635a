"""fab log, fab diff and fab verify in French and in English (issue 8, item 1).

The histories are those of test_audit.py and test_tamper.py; each test runs the command in French (through
FAB_LANG=fr and through --lang fr, see the ``french`` fixture) and in English, and compares exact lines.
JSON keeps its keys, codes, actions and amounts in English whatever the language; its sentences follow it.
"""

from __future__ import annotations

import hashlib
from datetime import date

import test_tamper as tamper
from conftest import Fab
from test_audit import C1, DONATION, _every_kind, _feature, _history, commit, edit, short
from test_i18n import NBSP, NNBSP, _run, french  # noqa: F401  (french is a fixture)

FR_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
C1_H2 = "ledger/contributions/2026-H2/c1.yaml"


def eur(amount: str) -> str:
    """'1 500,00 €' as Babel writes it in French: narrow no-break space between thousands, no-break space before €."""
    return amount.replace(" ", NNBSP) + NBSP + "€"


def authored(fab: Fab, rev: str) -> tuple[str, str]:
    """The author day of a commit as fab shows it: ISO in English, '27 nov. 2026' in French."""
    day = date.fromisoformat(fab.git("log", "-1", "--format=%ad", "--date=short", rev).strip())
    return str(day), f"{day.day} {FR_MONTHS[day.month - 1]} {day.year}"


# --- fab log ---------------------------------------------------------------------------------------

def test_log_in_french_and_english(fab, monkeypatch, french):
    added, edited, moved, removed = _history(fab, monkeypatch)
    result = french(fab, "log", "c1")
    assert result.code == 0, result.err
    assert result.out == (
        f"{C1_H2} : 4 commits, du plus ancien au plus récent\n"
        "\n"
        f"3 févr. 2026  {added}  Test Runner <runner@example.org>  contribute: chloe, 4 h code, Chargeur GTFS\n"
        f"    {C1} : ajout\n"
        f"1 mars 2026  {edited}  Chloé Durand <chloe@example.org>  c1: two more hours\n"
        f"    {C1} : title Chargeur GTFS → Chargeur GTFS v2 ; hours 4 → 6\n"
        f"3 juil. 2026  {moved}  Test Runner <runner@example.org>  c1 was done in July\n"
        f"    {C1_H2} : déplacement de {C1} vers {C1_H2} ; date 2026-02-03 → 2026-07-03\n"
        f"1 sept. 2026  {removed}  Test Runner <runner@example.org>  c1 is a duplicate\n"
        f"    {C1_H2} : suppression\n"
    )
    english = fab("log", "c1")
    assert english.out.splitlines()[:4] == [
        f"{C1_H2}: 4 commits, oldest first", "",
        f"2026-02-03  {added}  Test Runner <runner@example.org>  contribute: chloe, 4 h code, Chargeur GTFS",
        f"    {C1}: added",
    ]
    # JSON is data: the same bytes in every language (issue 14)
    data = french(fab, "log", "c1", "--since", "2026-09-01", "--format", "json")
    assert data.json()["commits"][0]["date"] == "2026-09-01T10:00:00+01:00"
    assert data.json()["commits"][0]["changes"] == [{"path": C1_H2, "action": "removed", "from": None, "text": "removed",
                                                     "fields": []}]
    assert fab("log", "c1", "--since", "2026-09-01", "--format", "json").out == data.out
    nothing = french(fab, "log", "c1", "--since", "2026-10-01")
    assert nothing.out == f"{C1_H2} : aucun commit\n"
    assert fab("log", "c1", "--since", "2026-10-01").out == f"{C1_H2}: no commit\n"


def test_log_of_a_member_in_french(fab, monkeypatch, french):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-02-01T10:00:00+01:00")
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    edit(fab, "ledger/members/bruno.yaml", "name: Bruno Lefèvre", "name: Bruno Lefèvre-Martin")
    commit(fab, "bruno's full name")
    result = french(fab, "log", "--member", "bruno")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "membre bruno : 3 commits, du plus ancien au plus récent"
    assert "    ledger/members/bruno.yaml : name Bruno Lefèvre → Bruno Lefèvre-Martin\n" in result.out
    assert fab("log", "--member", "bruno").out.splitlines()[0] == "member bruno: 3 commits, oldest first"
    whole = french(fab, "log")
    assert whole.out.startswith("le registre : ") and fab("log").out.startswith("the ledger: ")


def test_log_refusals_in_french_and_english(fab, french):
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "X", "--hours", "1", "--date", "2026-02-02",
               "--id", "2026-02-01-bruno").code == 0
    unknown = french(fab, "log", "nope")
    assert unknown.code == 1
    assert unknown.err.splitlines() == ["erreur : aucune fiche 'nope' dans le registre ni dans son historique",
                                        "  conseil : l'identifiant d'une fiche est le nom de son fichier sans .yaml, "
                                        "comme fab log 2026-03-02-alice-covoiturage"]
    assert fab("log", "nope").err.splitlines() == ["error: no record 'nope' in the ledger or its history",
                                                   "  hint: a record's id is the name of its file without .yaml, "
                                                   "like fab log 2026-03-02-alice-covoiturage"]
    twice = french(fab, "log", "2026-02-01-bruno")
    assert twice.err.splitlines() == [
        "erreur : '2026-02-01-bruno' est l'identifiant de plusieurs fiches : "
        "ledger/contributions/2026-H1/2026-02-01-bruno.yaml, ledger/donations/2026-H1/2026-02-01-bruno.yaml",
        "  conseil : donnez le chemin, comme fab log ledger/contributions/2026-H1/2026-02-01-bruno.yaml",
    ]
    assert "error: '2026-02-01-bruno' is the id of several records: " in fab("log", "2026-02-01-bruno").err
    zoe = french(fab, "log", "--member", "zoe")
    assert zoe.code == 1 and zoe.err.splitlines()[0] == "erreur : 'zoe' n'est pas membre et ne l'a jamais été"
    assert fab("log", "--member", "zoe").err.splitlines()[0] == "error: 'zoe' is not a member, and never was"
    missing = french(fab, "log", "ledger/donations/2026-H1/none.yaml")
    assert missing.err.splitlines()[0] == "erreur : aucun fichier ledger/donations/2026-H1/none.yaml dans le registre ni dans son historique"
    both = french(fab, "log", "x", "--member", "bruno")
    assert both.code == 2 and both.err.splitlines()[0] == "erreur : donnez RECORD ou --member, pas les deux"
    assert fab("log", "x", "--member", "bruno").err.splitlines()[0] == "error: give a RECORD or --member, not both"
    csv = french(fab, "log", "--format", "csv")
    assert csv.code == 2 and "│ Valeur invalide pour '--format' : 'csv' n'est pas l'une des valeurs 'text'," in csv.err
    assert "'csv' is not one of 'text', 'json'." in fab("log", "--format", "csv").err
    assert fab("log", "--format", "table").code == 0  # the old name of text, still read
    schema = french(fab, "schema", "contributions")
    assert schema.code == 2 and "type 'contributions' inconnu (choisissez member, signature, " in schema.err


# --- fab diff --------------------------------------------------------------------------------------

def _branch(fab: Fab) -> None:
    """On the feature branch: chloe records 10 h (committed), bruno's donation goes down to 1 200 (committed),
    bruno reviews chloe's work and a1 is deleted (not committed)."""
    _feature(fab)
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS", "--hours", "10",
               "--date", "2026-09-02", "--id", "2026-09-02-chloe-gtfs").code == 0
    edit(fab, DONATION, "amount: 1500.00", "amount: 1200.00")
    commit(fab, "bruno gives 1200, not 1500")
    assert fab("review", "2026-09-02-chloe-gtfs", "--by", "bruno", "--approve", "--score", "4", "--date", "2026-09-03",
               "--no-commit").code == 0
    (fab.root / "ledger/contributions/2026-H2/a1.yaml").unlink()


def test_diff_text_in_french_and_english(fab, french):
    _branch(fab)
    base = short(fab, "main")
    result = french(fab, "diff")
    assert result.code == 0, result.out + result.err
    assert result.out == (
        f"fab diff {base} (base commune avec main) → arbre de travail\n"
        "\n"
        "Changements (4) :\n"
        "  + chloe enregistre 10 h de code : Chargeur GTFS\n"
        "  - la contribution « Covoiturage rural » de alice : fiche supprimée\n"
        f"  ~ le don de {eur('1 500,00')} de bruno passe à {eur('1 200,00')}\n"
        "  + bruno approuve 2026-09-02-chloe-gtfs (score 4)\n"
        "\n"
        "Vérification — arbre de travail : ok : 7 fiches, aucun problème\n"
        "\n"
        f"Effet sur la co-rémunération de 2026-H2 (proportional, ouverte), pot commun {eur('1 500,00')} → {eur('1 200,00')} :\n"
        "  alice  900,00 → 0,00  (-900,00)\n"
        f"  chloe  600,00 → 1{NNBSP}200,00  (+600,00)\n"
    )
    english = fab("diff")
    assert english.out.splitlines()[:4] == [f"fab diff {base} (merge-base with main) → working tree", "", "Changes (4):",
                                            "  + chloe records 10 h of code: Chargeur GTFS"]
    assert "Check of working tree: ok: 7 records, no problems\n" in english.out
    assert "  ~ bruno's donation of €1,500.00 changes to €1,200.00\n" in english.out
    data = french(fab, "diff", "--format", "json").json()
    assert [(c["action"], c["kind"]) for c in data["changes"]] == [
        ("added", "contribution"), ("removed", "contribution"), ("changed", "donation"), ("added", "review")]
    assert data["changes"][2]["sentence"] == f"le don de {eur('1 500,00')} de bruno passe à {eur('1 200,00')}"
    assert data["splits"][0]["payouts"][1] == {"member": "chloe", "before": "600.00", "after": "1200.00", "difference": "+600.00"}


def test_diff_as_a_pull_request_comment_in_french(fab, french):
    _feature(fab)
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Autopartage", "--hours", "4",
               "--date", "2026-09-02", "--id", "a2").code == 0
    main, head = short(fab, "main"), short(fab)
    md = french(fab, "diff", "main", "HEAD", "--format", "md")
    assert md.code == 0, md.err
    assert md.out == (
        f"## Changements du registre : `main ({main})` → `HEAD ({head})`\n"
        "\n"
        "- ➕ alice enregistre 4 h de wiki : Autopartage (`ledger/contributions/2026-H2/a2.yaml`)\n"
        "\n"
        "### Vérification\n"
        "\n"
        "✅ `fab check` ne trouve aucun problème (ok : 7 fiches, aucun problème)\n"
        "\n"
        "### Effet sur la co-rémunération de 2026-H2 (proportional, ouverte)\n"
        "\n"
        f"Pot commun {eur('1 500,00')}.\n"
        "\n"
        "| membre | avant | après | écart |\n"
        "|---|---:|---:|---:|\n"
        f"| alice | 900,00 | 1{NNBSP}071,43 | +171,43 |\n"
        "| chloe | 600,00 | 428,57 | -171,43 |\n"
    )
    english = fab("diff", "main", "HEAD", "--format", "md")
    assert english.out.startswith(f"## Ledger changes: `main ({main})` → `HEAD ({head})`\n")
    assert "\n| member | before | after | difference |\n" in english.out and "\nPool €1,500.00.\n" in english.out
    same = french(fab, "diff", "HEAD", "HEAD", "--format", "md")
    assert "\nAucune fiche ne change.\n" in same.out and "\nAucun montant ne change.\n" in same.out
    assert "\nNo record changes.\n" in fab("diff", "HEAD", "HEAD", "--format", "md").out
    assert french(fab, "diff", "HEAD", "HEAD").out.endswith(f"pot commun {eur('1 500,00')} :\n  aucun montant ne change\n")


def test_diff_with_problems_in_french(fab, french):
    _feature(fab)
    fab.write("ledger/donations/2026-H2/bad.yaml", "donor: zoe\namount: -5\ndate: 2026-08-09\n")
    result = french(fab, "diff")
    assert result.code == 1
    assert f"  + zoe donne -5,00{NBSP}€ le 9 août 2026\n" in result.out
    assert "Vérification — arbre de travail : 2 problèmes dans 1 fichier (7 fiches lues)\n" in result.out
    md = french(fab, "diff", "--format", "md")
    assert md.code == 1
    assert "❌ `fab check` trouve 2 problèmes dans 1 fichier (7 fiches lues) :\n\n```text\n" in md.out
    assert "  + zoe donates -€5.00 on 2026-08-09\n" in fab("diff").out


def test_diff_sentences_for_every_kind_in_french(fab, french):
    _feature(fab)
    charter = hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()
    _every_kind(fab, ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Glossaire", "--hours", "2.5",
                      "--date", "2026-09-06", "--id", "a3"))
    sentences = [c["sentence"] for c in french(fab, "diff", "--format", "json").json()["changes"]]
    assert sentences == [
        "les réglages changent : min_payout 0 → 250",
        "emma rejoint le registre comme consultant (Emma Petit)",
        f"emma signe la charte (version {charter[:12]}) le 1 sept. 2026",
        "alice enregistre 2,5 h de wiki : Glossaire",
        f"emma utilise wiki: Covoiturage pour la mission « Étude Grand Est » (chiffre d'affaires de la mission {eur('24 000,00')})",
        "alice s'oppose à c0",
        f"chloe demande {eur('900,00')} au pot commun pour 2026-H2",
        "bruno donne des points pour 2026-H2 : alice 60, chloe 40",
        "alice signale Vélocité Conseil pour usage du commun sans réciprocité (https://example.org/offre)",
    ]
    english = [c["sentence"] for c in fab("diff", "--format", "json").json()["changes"]]
    assert english[3] == "alice records 2.5 h of wiki: Glossaire" and english[5] == "alice objects to c0"
    base = fab.head()
    alert = next((fab.root / "ledger/alerts").glob("*.yaml")).stem
    assert fab("alert", alert, "--status", "invited", "--note", "courriel envoyé").code == 0
    assert fab("review", "c0", "--by", "alice", "--approve", "--score", "5", "--date", "2026-09-06").code == 0
    edit(fab, "ledger/contributions/2026-H2/c0.yaml", "hours: 4", "hours: 5")
    fab.git("rm", "-q", "ledger/contributions/2026-H2/a3.yaml")
    sentences = [c["sentence"] for c in french(fab, "diff", base, "--format", "json").json()["changes"]]
    assert sentences == [
        "les réglages changent : min_payout 0 → 250",
        "la contribution « Glossaire » de alice : fiche supprimée",
        "la contribution « Export » de chloe change : hours 4 → 5",
        "alice approuve désormais c0 (score 5)",
        "le signalement concernant Vélocité Conseil est maintenant invited (courriel envoyé)",
    ]


def test_diff_of_a_move_a_close_and_a_reopening_in_french(fab, french):
    assert fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02").code == 0
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "C", "--hours", "4", "--date", "2026-02-03",
               "--id", "c0").code == 0
    before = fab.head()
    assert fab("close", "2026-H1", "--yes").code == 0
    closed = french(fab, "diff", before, "HEAD", "--format", "json").json()
    assert [c["sentence"] for c in closed["changes"]] == [f"2026-H1 est close : {eur('1 000,00')} versés à 2 membres, "
                                                          f"{eur('0,00')} reportés"]
    sealed = fab.head()
    assert fab("close", "--reopen", "2026-H1", "--reason", "un don a été oublié").code == 0
    reopened = fab.head()
    assert [c["sentence"] for c in french(fab, "diff", sealed, "HEAD", "--format", "json").json()["changes"]] == [
        "2026-H1 est rouverte : un don a été oublié"]
    (fab.root / "ledger/contributions/2026-H2").mkdir()
    fab.git("mv", "ledger/contributions/2026-H1/c0.yaml", "ledger/contributions/2026-H2/c0.yaml")
    edit(fab, "ledger/contributions/2026-H2/c0.yaml", "date: 2026-02-03", "date: 2026-08-03")
    moved = french(fab, "diff", "HEAD", "--format", "json").json()["changes"]
    assert [c["sentence"] for c in moved] == [
        "la contribution « C » de chloe change : date 2026-02-03 → 2026-08-03 "
        "(déplacement depuis ledger/contributions/2026-H1/c0.yaml)"]
    fab.git("reset", "-q", "--hard")
    fab.git("clean", "-qfd")
    assert fab("close", "2026-H1", "--yes").code == 0
    again = [c["sentence"] for c in french(fab, "diff", reopened, "HEAD", "--format", "json").json()["changes"]]
    assert again == [f"2026-H1 est de nouveau close : {eur('1 000,00')} versés à 2 membres, {eur('0,00')} reportés"]
    assert [c["sentence"] for c in fab("diff", reopened, "HEAD", "--format", "json").json()["changes"]] == [
        "2026-H1 is closed again: €1,000.00 paid to 2 members, €0.00 carried over"]


def test_sentences_of_missions_and_payments_in_french():
    from fabrique_ledger import i18n
    from fabrique_ledger.records import Mission, Payment, Source
    from fabrique_ledger.render.sentences import added, subject

    mission = Mission.model_validate({"id": "m1", "source": Source("ledger/missions/m1.yaml"), "title": "Étude vélo",
                                      "client": "Grand Est", "deadline": "2026-12-15", "posted_by": "gaelle", "date": "2026-11-02"})
    payment = Payment.model_validate({"id": "p1", "source": Source("ledger/payments/p1.yaml"), "period": "2026-H1",
                                      "date": "2026-07-20", "reference": "VIR-0720", "paid": {"alice": "1600.00"}})
    i18n.set_language("fr")
    assert added(mission, "EUR") == "gaelle publie la mission « Étude vélo » pour Grand Est (échéance : 15 déc. 2026)"
    assert added(payment, "EUR") == f"les versements de 2026-H1 sont payés (VIR-0720) : alice {eur('1 600,00')}"
    assert subject(payment, "EUR") == "le paiement VIR-0720 de 2026-H1"
    i18n.set_language("en")
    assert added(mission, "EUR") == "gaelle posts the mission 'Étude vélo' for Grand Est (deadline 2026-12-15)"


# --- fab verify ------------------------------------------------------------------------------------

SELF_DECLARED_FR = ("ledger/signatures/bruno--2026-01-10.yaml : self-declared avertissement : signature de bruno, "
                    "commitée d'abord par Test Runner <runner@example.org>, et non par bruno (Bruno Lefèvre)")


def test_verify_clean_in_french_and_english(fab, monkeypatch, french):
    tamper.sealed(fab, monkeypatch)
    close = tamper.label(fab, "HEAD")
    iso, day = authored(fab, "HEAD")
    result = french(fab, "verify")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[0] == f"2026-H1 : ok, 3 fiches scellées, scellée par {close} le {day}"
    assert lines[1] == SELF_DECLARED_FR
    assert lines[2].startswith('  commit ') and " par Test Runner <runner@example.org> le " in lines[2]
    assert lines[3:] == ["commits signés : aucun sur 9 commits",
                         "ok : vérification de 1 période close (2026-H1) et de 3 fiches scellées ; 0 problème, 1 avertissement"]
    english = fab("verify").out.splitlines()
    assert english[0] == f"2026-H1: ok, 3 sealed records, sealed by {close} on {iso}"
    assert english[3:] == ["signed commits: none of 9 commits",
                           "ok: verified 1 closed period (2026-H1) and 3 sealed records; 0 problems, 1 warning"]
    data = french(fab, "verify", "--format", "json").json()
    assert (data["ok"], data["errors"], data["warnings"]) == (True, 0, 1)
    assert (data["findings"][0]["severity"], data["findings"][0]["code"]) == ("warning", "self-declared")
    assert data["findings"][0]["message"].startswith("signature of bruno, first committed by ")  # JSON: every language alike


def test_verify_tampering_in_french_and_english(fab, monkeypatch, french):
    tamper.sealed(fab, monkeypatch)
    close = tamper.label(fab, "HEAD")
    tamper.edit(fab, tamper.SEAL, "alice: 600.00", "alice: 700.00")
    tamper.edit(fab, tamper.SEAL, "chloe: 400.00", "chloe: 300.00")
    by = tamper.commit(fab, "adjust the payouts")
    _, day = authored(fab, "HEAD")
    tamper.edit(fab, tamper.DONATION, "amount: 1000.00", "amount: 1200.00")  # not committed
    tamper.edit(fab, "ledger/fabrique.yaml", "weights: {}", "weights: {code: 2}")  # not committed
    result = french(fab, "verify")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(f"2026-H1 : 3 problèmes, 3 fiches scellées, scellée par {close} le ")
    assert lines[1:7] == [
        "  ledger/periods/2026-H1.yaml : seal-rewritten le scellé de 2026-H1 a été réécrit après le scellement, sans "
        "rouvrir la période : payouts.alice 600.00 → 700.00 ; payouts.chloe 400.00 → 300.00",
        f"    commit {by} par Test Runner <runner@example.org> le {day}",
        f"  {tamper.DONATION} : sealed-changed fiche modifiée dans 2026-H1 après son scellement (amount 1000.00 → 1200.00) "
        "(pas encore dans un commit)",
        f"  ledger/periods/2026-H1.yaml : seal-payouts les montants du scellé ne sont pas la co-rémunération du registre au "
        f"commit de scellement {close} : alice : scellé {eur('700,00')}, recalculé {eur('600,00')} ; chloe : scellé "
        f"{eur('300,00')}, recalculé {eur('400,00')}",
        f"    commit {by} par Test Runner <runner@example.org> le {day}",
        # a later change of the settings is information: the seal stands (fab check agrees)
        "  ledger/fabrique.yaml : settings info : les réglages ont changé après le scellement de 2026-H1 (ajout de "
        "weights.code : 2) (pas encore dans un commit) ; le scellé demeure, mais recalculée avec les réglages d'aujourd'hui "
        f"la co-rémunération serait différente : alice : était {eur('600,00')}, serait maintenant {eur('428,57')} ; chloe : "
        f"était {eur('400,00')}, serait maintenant {eur('571,43')}",
    ]
    assert lines[-1] == ("ÉCHEC : vérification de 1 période close (2026-H1) et de 3 fiches scellées ; "
                         "3 problèmes, 1 avertissement")
    english = fab("verify")
    assert english.code == 1
    assert (f"  {tamper.DONATION}: sealed-changed changed in 2026-H1 after it was sealed (amount 1000.00 → 1200.00) "
            "(not committed)\n") in english.out
    assert ("settings info: the settings changed after 2026-H1 was sealed (weights.code added: 2) (not committed); the "
            "seal stands, but recomputed under today's settings the split would differ: alice was €600.00, would now be "
            "€428.57") in english.out
    assert english.out.endswith("FAILED: verified 1 closed period (2026-H1) and 3 sealed records; 3 problems, 1 warning\n")
    data = french(fab, "verify", "--format", "json").json()
    assert [f["code"] for f in data["findings"]] == ["seal-rewritten", "sealed-changed", "seal-payouts", "settings",
                                                     "self-declared"]


def test_removed_seal_in_french(fab, monkeypatch, french):
    tamper.sealed(fab, monkeypatch)
    fab.git("rm", "-q", tamper.SEAL)
    by = tamper.commit(fab, "forget the close")
    result = french(fab, "verify")
    assert result.code == 1
    assert (f"{tamper.SEAL} : seal-removed le scellé de 2026-H1 a été supprimé alors que la période était scellée\n"
            f"  commit {by} par Test Runner") in result.out
    assert result.out.endswith("ÉCHEC : vérification de 0 période close et de 0 fiche scellée ; 1 problème, 1 avertissement\n")
    assert fab("verify").out.endswith("FAILED: verified 0 closed periods and 0 sealed records; 1 problem, 1 warning\n")


def test_audit_help_in_french():
    verify = _run("--lang", "fr", "verify", "--help")
    assert verify.returncode == 0, verify.stderr
    assert "Prouve que rien de scellé n'a été altéré" in verify.stdout
    assert "Les avertissements comptent aussi comme problèmes" in verify.stdout
    log = _run("log", "--help", FAB_LANG="fr")
    assert "Seulement les commits écrits ce jour-là ou après." in log.stdout
    diff = _run("diff", "--help", FAB_LANG="fr")
    assert "text, md (un commentaire de pull request) ou json." in diff.stdout
    assert "Only commits authored on or after this day." in _run("log", "--help").stdout
