"""The documents in French (issue 8, item 1): the report (Markdown, wiki, HTML), the thank-you page,
the split's explanation, the payouts' messages and the review's reasons; and English amounts for people.

One ledger for 2026-H2 (read only, built once): H1 holds a donation and is not closed (the split warns);
bruno is referenced and gives nothing in H2 (a dereferencing candidate); alice's event and chloe's half
an hour of mentoring are unreviewed; chloe's code meets an objection; chloe gives 1234.56; two alerts,
one open and one invited.  conftest runs fab in English; ``french`` switches one command to French.
"""

from __future__ import annotations

import re

import pytest

from conftest import Fab, isolate
from fabrique_ledger import i18n

NNBSP, NBSP = "\u202f", "\xa0"
EURO = f"1{NNBSP}234,56{NBSP}€"  # Babel's French: narrow no-break space between thousands, no-break space before €
H2_STEPS = [
    ("sign", "bruno", "--date", "2026-01-20"),
    ("sign", "chloe", "--date", "2026-01-20"),
    ("donate", "--by", "chloe", "--amount", "100", "--date", "2026-03-01"),
    ("contribute", "--by", "alice", "--kind", "event", "--title", "Rencontres", "--hours", "4",
     "--date", "2026-09-10", "--id", "2026-09-10-alice-rencontres"),
    ("contribute", "--by", "chloe", "--kind", "mentoring", "--title", "Mentorat", "--hours", "0.5",
     "--date", "2026-09-12", "--id", "2026-09-12-chloe-mentorat"),
    ("contribute", "--by", "chloe", "--kind", "code", "--title", "Export", "--hours", "3",
     "--date", "2026-09-14", "--id", "2026-09-14-chloe-export"),
    ("review", "2026-09-14-chloe-export", "--by", "alice", "--object", "--comment", "Incomplet",
     "--date", "2026-09-20"),
    ("donate", "--by", "chloe", "--amount", "1234.56", "--date", "2026-10-01"),
    ("alert", "--about", "Vélo Express", "--evidence", "https://example.org/velo", "--by", "alice",
     "--date", "2026-10-12"),
    ("alert", "--about", "Trajets SAS", "--evidence", "https://example.org/trajets", "--by", "chloe",
     "--date", "2026-10-14"),
    ("alert", "2026-10-14-trajets-sas", "--status", "invited", "--note", "Invités par courriel"),  # dated by its commit
]


@pytest.fixture(scope="module")
def h2(tmp_path_factory) -> Fab:
    with pytest.MonkeyPatch.context() as env:
        isolate(env, tmp_path_factory.mktemp("home"))
        fab = Fab(tmp_path_factory.mktemp("ledger") / "fabrique")
        assert fab("init", str(fab.root)).code == 0
        for handle, name, roles in (("alice", "Alice Martin", ()), ("bruno", "Bruno Lefèvre", ("consultant",)),
                                    ("chloe", "Chloé Durand", ("consultant", "contributor"))):
            roles_args = [x for role in roles for x in ("--role", role)]
            assert fab("member", "add", handle, "--name", name, *roles_args, "--joined", "2026-01-05").code == 0
        for step in H2_STEPS:
            result = fab(*step)
            assert result.code == 0, (step, result.err)
    return fab


def french(fab: Fab, *args: str):
    """One fab command in French (through --lang fr), back to English after it."""
    try:
        return fab("--lang", "fr", *args)
    finally:
        i18n.set_language(None)


def lines_of(text: str) -> list[str]:
    return text.splitlines()


# --- the report -------------------------------------------------------------------------------------------

def test_report_markdown_in_french(h2):
    result = french(h2, "report", "--period", "2026-H2", "--format", "md")
    assert result.code == 0, result.err
    lines = lines_of(result.out)
    for line in (
        "> **avertissement :** 2026-H1 n'est pas close : son report n'est pas compté (clôturez-la avec fab close 2026-H1)",
        f"Pot commun {EURO} = dons {EURO} + report entrant 0,00{NBSP}€ ; part des communs 0,00{NBSP}€ ; "
        f"à répartir {EURO}.",
        f"| Chloé Durand (chloe) | — | oui | 20 janv. 2026 | 0 | 1{NNBSP}234,56 | — | 2 | 3,5 | 0,5 | 0 | les deux |",
        "| 2 | Chloé Durand (chloe) | 2 | 3,5 | 0,5 | code 3 h, mentorat 0,5 h |",
        "| événement | 1 | 4 | 4 |",
        "| mentorat | 1 | 0,5 | 0,5 |",
        f"| Alice Martin (alice) | 1{NNBSP}097,39 | 0,8889 | 4 |",
        "- Bruno Lefèvre (bruno) : aucun don ni aucune contribution comptée sur 2026-H2",
        "- Vélo Express — ouvert, signalé par Alice Martin (alice) le 12 oct. 2026 : [preuve](https://example.org/velo) "
        "(2026-10-12-velo-express)",
        "- Trajets SAS — invité à signer, signalé par Chloé Durand (chloe) le 14 oct. 2026 : "
        "[preuve](https://example.org/trajets) — note : Invités par courriel (2026-10-14-trajets-sas)",
        "- Rencontres — événement, 4 h, par Alice Martin (alice) le 10 sept. 2026 (2026-09-10-alice-rencontres)",
        "- Mentorat — mentorat, 0,5 h, par Chloé Durand (chloe) le 12 sept. 2026 (2026-09-12-chloe-mentorat)",
    ):
        assert line in lines, line
    english = lines_of(h2("report", "--period", "2026-H2", "--format", "md").out)
    for line in (
        "> **warning:** 2026-H1 is not closed: its carry-over is not included (close it with fab close 2026-H1)",
        "- Bruno Lefèvre (bruno): no donation and no counted contribution in 2026-H2",
        "- Vélo Express — open, reported by Alice Martin (alice) on 12 Oct 2026: [evidence](https://example.org/velo) "
        "(2026-10-12-velo-express)",
        "- Mentorat — mentoring, 0.5 h, by Chloé Durand (chloe) on 12 Sep 2026 (2026-09-12-chloe-mentorat)",
        "| 2 | Chloé Durand (chloe) | 2 | 3.5 | 0.5 | code 3 h, mentoring 0.5 h |",
    ):
        assert line in english, line


def test_report_wiki_in_french(h2):
    lines = lines_of(french(h2, "report", "--period", "2026-H2", "--format", "wiki").out)
    def right(value: str) -> str:  # a number cell: sorted by its plain value (issue 16), aligned right
        return f'data-sort-value="{value}" style="text-align:right" | '

    for line in (
        "'''Avertissement :''' 2026-H1 n'est pas close : son report n'est pas compté (clôturez-la avec fab close 2026-H1)",
        "* Bruno Lefèvre (bruno) : aucun don ni aucune contribution comptée sur 2026-H2",
        "* Vélo Express — ouvert, signalé par Alice Martin (alice) le 12 oct. 2026 : [https://example.org/velo preuve] "
        "(2026-10-12-velo-express)",
        "* Rencontres — événement, 4 h, par Alice Martin (alice) le 10 sept. 2026 (2026-09-10-alice-rencontres)",
        f"| mentorat || {right('1')}1 || {right('0.5')}0,5 || {right('0.5')}0,5",
    ):
        assert line in lines, line


def _html_text(page: str) -> list[str]:
    """The texts of an HTML page, tags and style left out, one per line."""
    import html

    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return [html.unescape(t).strip() for t in re.split(r"<[^>]+>", page) if t.strip()]


def test_report_html_in_french(h2):
    page = french(h2, "report", "--period", "2026-H2", "--format", "html").out
    texts = _html_text(page)
    for text in (
        "Rapport de réciprocité · 2026-H2", "du 1 juil. 2026 au 31 déc. 2026 · produit le 27 nov. 2026 ·",
        "ouverte — la co-rémunération est une proposition", "Avertissement :", "À répartir", "Versé", "Reporté",
        f"dons 1{NNBSP}234,56 + report entrant 0,00", "après la part des communs (0,00)", "à 2 personnes",
        "sur la période suivante", "En un coup d'œil", "Versements proposés par membre",
        "Contributions par membre (valeur)", "Contributions par type (valeur)", "Ordre du jour de la revue",
        "Chloé Durand : 0,5 (3,5 h)", "événement : 4 (4 h)",
        "Bruno Lefèvre (bruno) : aucun don ni aucune contribution comptée sur 2026-H2",
        "Fabrique des Mobilités, période 2026-H2 (ouverte : la co-rémunération est une proposition jusqu'à la "
        "clôture de la période) ; produit par fab le 27 nov. 2026 à partir du registre. Montants en EUR ; la valeur "
        "d'une contribution vaut heures × poids × facteur d'évaluation × part de l'auteur.",
    ):
        assert text in texts, text
    assert '<html lang="fr">' in page
    assert 'aria-label="Chiffres clés"' in page and 'aria-label="Versements par membre, en EUR"' in page
    # the translated statuses keep their colour, the translated person columns their handle line
    assert '<span class="status both">les deux</span>' in page and '<span class="status dormant">inactif</span>' in page
    assert '<td>Alice Martin <span class="handle">alice</span></td>' in page
    english = {"generated", "Warning", "Review", "glance", "Distributable", "Paid", "Carried", "reported", "proposal",
               "people", "period", "Payouts", "Contributions by"}
    assert not [t for t in texts if any(word in t for word in english)]


# --- the thank-you page -----------------------------------------------------------------------------------

def test_contributors_in_french(h2):
    md = lines_of(french(h2, "contributors", "--period", "2026-H2", "--format", "md").out)
    assert md == [
        "# Merci ! — les contributeurs de Fabrique des Mobilités", "",
        "Les personnes qui ont donné de leur temps ou de leur argent au commun sur 2026-H2, par ordre alphabétique. "
        "Merci à toutes et à tous !", "",
        "- **Alice Martin** — 📋 événements",
        "- **Chloé Durand** — 🧑‍🏫 mentorat · 💵 dons", "",
        "Légende : 📋 événements · 🧑‍🏫 mentorat · 💵 dons",
    ]
    wiki = lines_of(french(h2, "contributors", "--format", "wiki").out)
    assert wiki[:6] == [
        "== Merci ! — les contributeurs de Fabrique des Mobilités ==", "",
        "Les personnes qui ont donné de leur temps ou de leur argent au commun depuis le début du registre "
        "(2026-H1–2026-H2), par ordre alphabétique. Merci à toutes et à tous !", "",
        '{| class="wikitable sortable"', "! contributeur !! wiki !! contributions",
    ]
    assert "| Chloé Durand || || 🧑‍🏫 mentorat · 💵 dons ×2" in wiki
    html = french(h2, "contributors", "--format", "html").out
    assert "<title>Merci ! — les contributeurs de Fabrique des Mobilités</title>" in html
    assert '<span title="dons ×2" aria-label="dons">💵</span>' in html
    assert '<p class="key">Légende : 📋 événements · 🧑‍🏫 mentorat · 💵 dons</p>' in html
    empty = lines_of(french(h2, "contributors", "--period", "2025-H1").out)
    assert empty[2] == "Aucune contribution ni aucun don n'est enregistré sur 2025-H1."
    english = lines_of(h2("contributors", "--period", "2026-H2").out)
    assert english[0] == "# Thank you! — contributors to Fabrique des Mobilités"
    assert english[4:] == ["- **Alice Martin** — 📋 events", "- **Chloé Durand** — 🧑‍🏫 mentoring · 💵 donations", "",
                           "Key: 📋 events · 🧑‍🏫 mentoring · 💵 donations"]


# --- the split's explanation --------------------------------------------------------------------------------

def test_split_explain_in_french(h2):
    lines = lines_of(french(h2, "split", "--period", "2026-H2", "--explain", "--format", "md").out)
    assert "> 2026-H1 n'est pas close : son report n'est pas compté (clôturez-la avec fab close 2026-H1)" in lines
    assert lines[lines.index("### Comment") + 2:] == [
        f"- **alice** : score 4, avant plafond 1{NNBSP}097,39{NBSP}€, après plafond 1{NNBSP}097,39{NBSP}€, "
        f"arrondi 1{NNBSP}097,39{NBSP}€, versé 1{NNBSP}097,39{NBSP}€",
        "  - 2026-09-10-alice-rencontres : 4 h × 1 × évaluation 1 × part 1 = 4",
        f"- **chloe** : score 0,5, avant plafond 137,17{NBSP}€, après plafond 137,17{NBSP}€, arrondi 137,17{NBSP}€, "
        f"versé 137,17{NBSP}€ — objection : compte 0 jusqu'à sa levée",
        "  - 2026-09-12-chloe-mentorat : 0,5 h × 1 × évaluation 1 × part 1 = 0,5",
        "  - 2026-09-14-chloe-export : 3 h × 1 × évaluation 0 × part 1 = 0",
    ]
    data = french(h2, "split", "--period", "2026-H2", "--format", "json").json()
    # JSON is data, the same bytes in every language (issue 14)
    assert data["warnings"] == ["2026-H1 is not closed: its carry-over is not included (close it with fab close 2026-H1)"]
    assert data["paid"] == "1234.56"


def test_split_warning_when_nobody_scores_in_french(fab):
    assert fab("donate", "--by", "bruno", "--amount", "50", "--date", "2026-02-01").code == 0
    assert "> personne n'a de score sur 2026-H1 : tout le montant à répartir est reporté" in french(
        fab, "split", "--period", "2026-H1", "--format", "md").out
    data = french(fab, "split", "--period", "2026-H1", "--format", "json")
    assert data.json()["warnings"] == ["no one has a score in 2026-H1: the whole distributable pool is carried over"]
    assert fab("split", "--period", "2026-H1", "--format", "json").out == data.out


# --- payouts ----------------------------------------------------------------------------------------------

@pytest.fixture
def sealed(fab, tmp_path):
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "6",
               "--date", "2026-02-10").code == 0
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "GTFS", "--hours", "6",
               "--date", "2026-02-11").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "2469.12", "--date", "2026-02-18").code == 0
    assert fab("close", "2026-H1", "--yes").code == 0
    payees = tmp_path / "payees.yaml"
    payees.write_text("payees:\n  alice:\n    name: Alice Martin\n", encoding="utf-8")
    return fab, payees


def test_payouts_by_hand_in_french(sealed):
    fab, payees = sealed
    result = french(fab, "payouts", "2026-H1", "--payees", str(payees))
    assert result.code == 0, result.err
    err = lines_of(result.err)
    assert f"à régler à la main : Alice Martin (alice) {EURO} — inscrit sans IBAN dans le fichier des bénéficiaires" in err
    assert (f"à régler à la main : Chloé Durand (chloe) {EURO} — aucune coordonnée bancaire dans le fichier "
            "des bénéficiaires") in err
    assert result.out.splitlines()[1].endswith(",to settle by hand")  # the CSV stays machine-readable
    sepa = french(fab, "payouts", "2026-H1", "--payees", str(payees), "--format", "sepa",
                  "--debtor-iban", "FR76 3000 6000 0112 3456 7890 189")
    assert sepa.code == 1
    assert lines_of(sepa.err)[0] == ("erreur : aucun fichier SEPA n'a été écrit : il n'y a aucun virement à mettre dans "
                                     "un fichier SEPA (rien n'est dû, ou pas de coordonnées bancaires)")


# --- English amounts for people: Babel's €1,234.56; machine formats keep 1234.56 ---------------------------

def test_english_human_amounts_use_babel(h2):
    md = lines_of(h2("split", "--period", "2026-H2", "--explain", "--format", "md").out)
    assert md[2] == ("Pool €1,234.56 (donations €1,234.56 + carried in €0.00), commons €0.00, "
                     "distributable **€1,234.56**.")
    assert "| alice | €1,097.39 | 0.8889 | 4 |" in md and "| **paid** | **€1,234.56** | | |" in md
    assert ("- **alice**: score 4, before cap €1,097.39, after cap €1,097.39, rounded €1,097.39, paid €1,097.39"
            in md)
    table = h2("split", "--period", "2026-H2").out
    assert "€1,097.39" in table and ("pool €1,234.56 = donations €1,234.56 + carried in €0.00; commons €0.00; "
                                     "distributable €1,234.56 = paid €1,234.56 + carried over €0.00") in " ".join(
        table.split())
    report = lines_of(h2("report", "--period", "2026-H2", "--format", "md").out)
    assert ("Pool €1,234.56 = donations €1,234.56 + carried in €0.00; commons €0.00; distributable €1,234.56."
            in report)
    assert "| Alice Martin (alice) | 1,097.39 | 0.8889 | 4 |" in report  # the header says the currency
    html = h2("report", "--period", "2026-H2", "--format", "html").out
    assert '<dt>Paid</dt><dd class="figure">€1,234.56</dd><dd class="note">to 2 people</dd>' in html
    data = h2("split", "--period", "2026-H2", "--format", "json").json()
    assert data["paid"] == "1234.56" and data["payouts"][0]["amount"] == "1097.39"
    assert "2026-H2,alice,1097.39,EUR,0.8889,4" in h2("split", "--period", "2026-H2", "--format", "csv").out
    assert h2("report", "--period", "2026-H2", "--format", "csv", "--section", "pool").out.splitlines()[1] == \
        "2026-H2,chloe,Chloé Durand,1,1234.56,EUR"
