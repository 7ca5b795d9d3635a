"""French and English (issue 8, item 1): the catalogue is complete, and the main commands speak both.

English is the default (conftest sets FAB_LANG=en); French comes from FAB_LANG=fr, the locale, or --lang fr.
Human formats use Babel in French (``1 234,56 €``, narrow no-break spaces kept); JSON and CSV stay
machine-readable in both languages.
"""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fabrique_ledger import i18n
from fabrique_ledger.locales.fr import FR

SRC = Path(__file__).resolve().parent.parent / "src" / "fabrique_ledger"
NNBSP, NBSP = "\u202f", "\xa0"


def marked_strings() -> dict[str, str]:
    """Every literal given to _() or N_() in the package, with the file that has it."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "locales" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_", "M_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, str(path.relative_to(SRC)))
    return found


def command_docstrings() -> set[str]:
    """The commands' docstrings: cli/__init__.py gives their translation as help."""
    from fabrique_ledger.cli import app

    docs: set[str] = set()

    def walk(typer_app) -> None:
        for command in typer_app.registered_commands:
            if command.callback is not None and command.callback.__doc__:
                docs.add(inspect.cleandoc(command.callback.__doc__))
        for group in typer_app.registered_groups:
            walk(group.typer_instance)
        callback = typer_app.registered_callback
        if callback is not None and callback.callback is not None and callback.callback.__doc__:
            docs.add(inspect.cleandoc(callback.callback.__doc__))

    walk(app)
    return docs


def test_every_marked_message_has_a_french_translation_and_no_entry_is_unused():
    wanted = {**marked_strings(), **{doc: "cli (command docstring)" for doc in command_docstrings()}}
    missing = sorted(f"{where}: {text!r}" for text, where in wanted.items() if text not in FR)
    unused = sorted(repr(text) for text in FR if text not in wanted)
    assert not missing and not unused, "missing:\n" + "\n".join(missing) + "\n\nunused:\n" + "\n".join(unused)


def test_translations_keep_the_placeholders():
    import string

    def fields(text: str) -> set[str]:
        try:
            return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError:
            return {"<not a template>"}

    wrong = [english for english, french in FR.items() if fields(english) - fields(french) - {""}
             and not fields(english) <= fields(french) | {"cur"}]
    assert not wrong, wrong
    assert all(french.strip() for french in FR.values())


def test_language_choice(monkeypatch):
    for name in ("FAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.language() == "fr"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert i18n.language() == "en"
    monkeypatch.setenv("FAB_LANG", "fr")
    assert i18n.language() == "fr"
    i18n.set_language("en")
    assert i18n.language() == "en" and i18n._("Alerts") == "Alerts"
    i18n.set_language("fr")
    assert i18n._("Alerts") == "Signalements"
    assert i18n._("a message nobody translated") == "a message nobody translated"


def test_money_dates_and_numbers_by_language():
    from datetime import date
    from decimal import Decimal

    i18n.set_language("fr")
    assert i18n.money(Decimal("1234.56"), "EUR") == f"1{NNBSP}234,56{NBSP}€"
    assert i18n.day(date(2026, 1, 20)) == "20 janv. 2026"
    assert i18n.number(Decimal("1234.5")) == f"1{NNBSP}234,5"
    i18n.set_language("en")
    assert i18n.money(Decimal("1234.56"), "EUR") == "€1,234.56"
    assert i18n.day(date(2026, 1, 20)) == "20 Jan 2026"
    assert i18n.number(Decimal("1234.5")) == "1,234.5"


# --- the commands, in both languages ---------------------------------------------------------------------

@pytest.fixture(params=["env", "option"])
def french(request, monkeypatch):
    """Runs fab in French, through FAB_LANG=fr or through --lang fr."""
    def run(fab, *args):
        try:
            if request.param == "env":
                monkeypatch.setenv("FAB_LANG", "fr")
                return fab(*args)
            return fab("--lang", "fr", *args)
        finally:  # back to English for the comparisons that follow
            monkeypatch.setenv("FAB_LANG", "en")
            i18n.set_language(None)
    return run


def test_check_reports_in_french(fab, french):
    fab.write("ledger/contributions/2026-H2/2026-10-01-alice-x.yaml",
              "title: X\nkind: wiki\nhours: -3\ndate: 2026-10-01\nauthors:\n  - member: alice\n")
    result = french(fab, "check")
    assert result.code == 1
    assert result.out.splitlines()[:2] == [
        "ledger/contributions/2026-H2/2026-10-01-alice-x.yaml:3:8: bad-value "
        "'hours' : hours doit être supérieur à 0 et au plus égal à 10000",
        "  conseil : écrivez-le ainsi  hours: 6  (1.5 = une heure et demie)",
    ]
    english = fab("check")
    assert "bad-value 'hours': hours must be more than 0 and at most 10000" in english.out
    assert "  hint: write it like  hours: 6  (1.5 = an hour and a half)" in english.out


def test_contribute_refusal_in_french(fab, french):
    result = french(fab, "contribute", "--by", "alice", "--kind", "wiki", "--title", "Oops", "--hours", "-3",
                    "--date", "2026-03-11")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == ("erreur : rien n'a été écrit ; ledger/contributions/2026-H1/2026-03-11-alice-oops.yaml "
                        "aurait ces problèmes :")
    assert lines[1].endswith("bad-value 'hours' : hours doit être supérieur à 0 et au plus égal à 10000")
    assert lines[2] == "  conseil : écrivez-le ainsi  hours: 6  (1.5 = une heure et demie)"


def test_unknown_member_refusal_in_french(fab, french):
    result = french(fab, "contribute", "--by", "zoe", "--kind", "wiki", "--title", "Oops", "--hours", "2",
                    "--date", "2026-03-11")
    assert result.code == 1
    assert "unknown-reference 'authors' désigne 'zoe', qui n'est pas membre" in result.err
    assert "  conseil : corrigez l'identifiant, ou ajoutez d'abord le membre : fab member add zoe --name ..." in result.err


def _pool(fab) -> None:
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6",
               "--date", "2026-02-10").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "1234.56", "--date", "2026-02-18").code == 0


def test_split_in_french(fab, french):
    _pool(fab)
    md = french(fab, "split", "--period", "2026-H1", "--format", "md")
    assert md.code == 0, md.err
    assert md.out.startswith("## Co-rémunération de 2026-H1 — proportional\n")
    assert "| membre | montant | part | score |" in md.out
    assert f"| alice | 1{NNBSP}234,56{NBSP}€ | 1 | 6 |" in md.out
    assert f"distribuer **1{NNBSP}234,56{NBSP}€**" in md.out.replace("à répartir **", "distribuer **")
    table = french(fab, "split", "--period", "2026-H1")
    assert "Co-rémunération de 2026-H1" in table.out and "montant (EUR)" in table.out
    assert f"1{NNBSP}234,56{NBSP}€" in table.out
    data = french(fab, "split", "--period", "2026-H1", "--format", "json").json()
    assert data["paid"] == "1234.56" and data["payouts"][0]["amount"] == "1234.56"  # machine format in French too
    assert french(fab, "split", "--period", "2026-H1", "--format", "csv").out.splitlines()[0] == \
        "period,member,amount,currency,share,score,status"
    english = fab("split", "--period", "2026-H1", "--format", "md")
    assert english.out.startswith("## Split of 2026-H1 — proportional\n") and "| alice | €1,234.56 | 1 | 6 |" in english.out


def test_report_markdown_in_french(fab, french):
    _pool(fab)
    result = french(fab, "report", "--period", "2026-H1", "--format", "md")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("# Fabrique des Mobilités — rapport de réciprocité 2026-H1\n")
    for heading in ("## Pot commun", "## Réciprocité", "## Contributeurs", "## Co-rémunération proposée",
                    "## Ordre du jour de la revue", "### Signalements", "### Contributions non évaluées"):
        assert f"\n{heading}\n" in out, heading
    for sentence in ("Aucun signalement.", "Aucune demande en attente.", "Aucun candidat au déréférencement."):
        assert f"\n{sentence}" in out, sentence
    assert f"1{NNBSP}234,56{NBSP}€" in out
    empty = french(fab, "report", "--period", "2025-H2", "--format", "md")
    assert "\nAucun don sur cette période.\n" in empty.out
    english = fab("report", "--period", "2025-H2", "--format", "md")
    assert "\nNo donations this period.\n" in english.out and "## Review agenda" in english.out


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "FAB_LANG": "en", "COLUMNS": "200", **env}
    return subprocess.run([sys.executable, "-m", "fabrique_ledger", *args], capture_output=True, text=True,
                          env=environment, timeout=60)


@pytest.mark.parametrize("how", [("--lang", "fr"), ("--lang=fr",), ()])
def test_help_in_french(how):
    env = {} if how else {"FAB_LANG": "fr"}
    root = _run(*how, "--help", **env)
    assert root.returncode == 0, root.stderr
    assert "fab tient le registre de réciprocité d'un commun" in root.stdout
    assert "Langue des messages et des rapports" in root.stdout
    contribute = _run(*how, "contribute", "--help", **env)
    assert "Enregistre une contribution au commun" in contribute.stdout
    assert "Exemple : fab contribute" in contribute.stdout
    assert "Temps passé, en heures." in contribute.stdout
    english = _run("contribute", "--help")
    assert "Record a contribution to the commons" in english.stdout and "Time spent, in hours." in english.stdout


def test_unknown_language_is_a_usage_error(fab):
    result = fab("--lang", "de", "check")
    assert result.code == 2


def test_payouts_csv_headers_stay_machine_readable(fab, french, tmp_path):
    _pool(fab)
    assert fab("close", "2026-H1", "--yes").code == 0
    payees = tmp_path / "payees.yaml"
    payees.write_text("payees:\n  alice:\n    name: Alice Martin\n    iban: FR76 3000 6000 0112 3456 7890 189\n", encoding="utf-8")
    english = fab("payouts", "2026-H1", "--payees", str(payees))
    result = french(fab, "payouts", "2026-H1", "--payees", str(payees))
    assert result.code == english.code == 0, result.err
    assert result.out.splitlines()[0] == english.out.splitlines()[0]
    assert "1234.56" in result.out


def test_mission_list_for_a_consultant_in_french(fab, french):
    assert fab("mission", "post", "--title", "Étude covoiturage rural", "--client", "Métropole de Lyon",
               "--deadline", "2026-12-15", "--by", "alice", "--date", "2026-11-20").code == 0
    refused = french(fab, "mission", "list", "--for", "chloe")
    english = fab("mission", "list", "--for", "chloe")
    assert refused.code == english.code
    assert "chloe" in refused.out + refused.err
    bad = french(fab, "mission", "list", "--for", "zoe")
    assert "'zoe' n'est pas membre" in bad.err


def test_a_word_in_context_reads_the_same_in_english_and_right_in_french():
    i18n.set_language("en")
    assert i18n.p_("mission|open") == "open"
    i18n.set_language("fr")
    assert (i18n.p_("mission|open"), i18n._("open")) == ("ouverte", "ouvert")  # a mission, an alert
    assert i18n.p_("mission|never translated") == "never translated"
