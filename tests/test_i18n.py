"""French and English (issue 8, item 1; issue 14: gettext catalogues): the catalogue is complete, and the
main commands speak both.

English is the default (conftest sets FAB_LANG=en); French comes from FAB_LANG=fr, the locale, or --lang fr.
The French texts are the gettext catalogue src/fabrique_ledger/locales/fr/LC_MESSAGES/fab.po, compiled to the
fab.mo beside it; the messages are what ``pybabel extract`` finds with babel.cfg (see CONTRIBUTING.md).
Human formats use Babel in French (``1 234,56 €``, narrow no-break spaces kept); JSON and CSV stay
machine-readable in both languages.
"""

from __future__ import annotations

import gettext
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from fabrique_ledger import i18n, shown

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "fabrique_ledger"
LOCALES = SRC / "locales"
NNBSP, NBSP = "\u202f", "\xa0"


def catalogues() -> dict[str, Path]:
    """Each language's .po file, by language."""
    return {po.parent.parent.name: po for po in sorted(LOCALES.glob("*/LC_MESSAGES/fab.po"))}


def read(po: Path) -> Catalog:
    with po.open("rb") as file:
        return read_po(file)


def extracted() -> dict[str | tuple[str, str], str]:
    """Every message pybabel extracts with babel.cfg (``msgid``, or ``(msgid, msgid_plural)``), with where."""
    with (REPO / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, str], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(SRC), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def test_there_is_a_french_catalogue():
    assert set(catalogues()) == {"fr"}
    assert read(catalogues()["fr"]).plural_forms == "nplurals=2; plural=(n > 1);"


@pytest.mark.parametrize("lang", sorted(catalogues()))
def test_every_marked_message_is_translated_and_no_entry_is_unused(lang):
    """What the code marks (_, N_, p_, ngettext, Nn_, and the commands' docstrings) is in the .po, translated
    and not fuzzy; the .po holds nothing else (an obsolete entry counts as unused)."""
    wanted = extracted()
    catalogue = read(catalogues()[lang])
    entries = {message.id: message for message in catalogue if message.id}
    missing = sorted(f"{where}: {text!r}" for text, where in wanted.items() if text not in entries)
    untranslated = sorted(repr(m.id) for m in entries.values()
                          if not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    fuzzy = sorted(repr(m.id) for m in entries.values() if m.fuzzy)
    unused = sorted(repr(text) for text in [*entries, *catalogue.obsolete] if text not in wanted)
    assert not (missing or untranslated or fuzzy or unused), (
        f"missing from {lang}/LC_MESSAGES/fab.po:\n" + "\n".join(missing) + "\n\nuntranslated:\n" + "\n".join(untranslated)
        + "\n\nfuzzy:\n" + "\n".join(fuzzy) + "\n\nunused:\n" + "\n".join(unused)
        + "\n\n(update the catalogues as CONTRIBUTING.md says)")


def fields(text: str) -> set[str]:
    """The placeholders of a ``str.format`` template."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<not a template>"}


@pytest.mark.parametrize("lang", sorted(catalogues()))
def test_translations_keep_the_placeholders(lang):
    """A translation has the placeholders of its msgid; of a plural pair, each form has some of them and the
    last form has those of msgid_plural."""
    wrong = []
    for message in read(catalogues()[lang]):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms, every = message.string, fields(message.id[0]) | fields(message.id[1])
            if not all(fields(form) <= every for form in forms) or fields(forms[-1]) != fields(message.id[1]):
                wrong.append(message.id)
        elif fields(message.string) != fields(message.id):
            wrong.append(message.id)
    assert not wrong, wrong


@pytest.mark.parametrize("lang", sorted(catalogues()))
def test_the_compiled_catalogue_is_the_po(lang):
    """fab.mo is committed beside fab.po: it holds exactly the .po's translations (run pybabel compile)."""
    po = catalogues()[lang]
    with (po.parent / "fab.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    expected: dict[object, str] = {}
    catalogue = read(po)
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            expected.update({(message.id[0], i): form for i, form in enumerate(message.string) if form})
        elif message.string:
            expected[message.id] = message.string
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}
    stale = sorted(repr(key) for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key))
    assert not stale, f"{po.parent / 'fab.mo'} is not {po.name} compiled: pybabel compile -D fab -d src/fabrique_ledger/locales\n" + "\n".join(stale)
    assert compiled.info()["plural-forms"] == catalogue.plural_forms


def test_the_template_holds_every_message():
    """locales/fab.pot is what pybabel extract gives (the messages; line numbers may move)."""
    with (LOCALES / "fab.pot").open("rb") as file:
        template = {message.id for message in read_po(file) if message.id}
    assert template == set(extracted()), "run: pybabel extract --no-location -F babel.cfg -o src/fabrique_ledger/locales/fab.pot src/fabrique_ledger"


def test_every_help_text_of_the_commands_is_in_the_catalogue():
    """The help of each command (its docstring or help=), parameter and --help, as Click holds them: what
    cli/localize.py looks up; English in the command tree whatever the language at import."""
    from typer.main import get_command

    from fabrique_ledger.cli import app

    wanted = set(extracted())
    texts: dict[str, str] = {}

    def walk(command, path: str) -> None:
        texts[command.help or ""] = path
        for parameter in command.params:
            texts[getattr(parameter, "help", None) or ""] = f"{path} {parameter.name}"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(get_command(app), "fab")
    texts.pop("", None)
    assert len(texts) > 150
    assert not {text: where for text, where in texts.items() if text not in wanted}


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
    assert i18n._("") == ""  # not the catalogue's header


def test_plural_forms_by_language():
    """French takes the singular for 0 and 1 (« 0 problème »), English for 1 only."""
    pair = ("{count} problem", "{count} problems")
    i18n.set_language("fr")
    assert [i18n.ngettext(*pair, n).format(count=n) for n in (0, 1, 2)] == ["0 problème", "1 problème", "2 problèmes"]
    i18n.set_language("en")
    assert [i18n.ngettext(*pair, n).format(count=n) for n in (0, 1, 2)] == ["0 problems", "1 problem", "2 problems"]


def test_money_dates_and_numbers_by_language():
    """render.formats writes values for people; i18n's Day and Money messages are worded by it."""
    from datetime import date
    from decimal import Decimal

    from fabrique_ledger.render.formats import shown_day, shown_money, shown_number

    i18n.set_language("fr")
    assert shown_money(Decimal("1234.56"), "EUR") == f"1{NNBSP}234,56{NBSP}€"
    assert shown_day(date(2026, 1, 20)) == "20 janv. 2026"
    assert shown_number(Decimal("1234.5")) == f"1{NNBSP}234,5"
    assert str(shown.Money(Decimal("1234.56"), "EUR")) == f"1{NNBSP}234,56{NBSP}€"
    assert str(shown.Day(date(2026, 1, 20))) == "20 janv. 2026"
    assert shown.long_day(date(2026, 2, 1), "fr") == "1er février 2026"
    i18n.set_language("en")
    assert shown_money(Decimal("1234.56"), "EUR") == "€1,234.56"
    assert shown_day(date(2026, 1, 20)) == "20 Jan 2026"
    assert shown_number(Decimal("1234.5")) == "1,234.5"
    assert shown.Day(date(2026, 1, 20)).english() == "20 Jan 2026"
    assert shown.long_day(date(2026, 2, 1), "fr") == "1er février 2026"


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
    assert result.code == 1 and result.err.splitlines() == [
        "erreur : --by : 'zoe' n'est pas membre",
        "  conseil : ajoutez-le d'abord : fab member add zoe --name NOM",
    ]


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


def test_typer_and_click_words_in_french():
    """Typer's and Click's own words (panel titles, --help's help, the usage line, usage errors) follow the
    language of the run (cli/localize.py)."""
    root = _run("--lang", "fr", "--help")
    assert root.returncode == 0, root.stderr
    for words in ("Usage : python -m fabrique_ledger [OPTIONS] COMMANDE [ARGS]...", "─ Mise en place ─",
                  "Affiche ce message et s'arrête."):
        assert words in root.stdout, words
    check = _run("check", "--help", FAB_LANG="fr")
    for words in ("Usage : python -m fabrique_ledger check [OPTIONS]", "─ Options ─", "[par défaut : text]",
                  "[variable d'environnement : FAB_LEDGER]", "Affiche ce message et s'arrête."):
        assert words in check.stdout, words
    assert "Show this message" not in root.stdout + check.stdout and "default:" not in check.stdout
    error = _run("check", "--nope", FAB_LANG="fr")
    assert error.returncode == 2
    for words in ("Usage : python -m fabrique_ledger check [OPTIONS]",
                  "Essayez 'python -m fabrique_ledger check --help' pour l'aide.", "─ Erreur ─",
                  "Aucune option de ce nom : --nope"):
        assert words in error.stderr, words
    english = _run("check", "--nope")
    assert "No such option: --nope" in english.stderr and "check --help' for help." in english.stderr


@pytest.mark.parametrize(("args", "words"), [
    (("nope",), "Aucune commande 'nope'."),
    (("check", "--ledger", ".", "--format"), "L'option '--format' demande une valeur."),
    (("split", "extra"), "Argument(s) en trop (extra)"),
    (("check", "--formt", "json"), "Aucune option de ce nom : --formt (options possibles : --format)"),
])
def test_click_usage_errors_in_french(fab, french, args, words):
    result = french(fab, *args)
    assert result.code == 2 and words in result.err, result.err


def test_click_messages_are_matched_whole_and_worded_again():
    from fabrique_ledger.cli.localize import reworded

    i18n.set_language("fr")
    assert reworded("Missing option '--kind'.") == "Option '--kind' manquante."
    assert reworded("Invalid value for '--hours': Value 'x' is not a valid float.") == \
        "Valeur invalide pour '--hours' : La valeur 'x' n'est pas un float valide."
    assert reworded("Missing argument 'ID'. Choose from:\n\ta,\n\tb") == \
        "Argument 'ID' manquant. Choisissez parmi :\n\ta,\n\tb"
    assert reworded("Something fab said in French already.") == "Something fab said in French already."
    i18n.set_language("en")
    assert reworded("Missing option '--kind'.") == "Missing option '--kind'."


def test_one_process_speaks_both_languages(fab):
    """The command tree is worded in place, from the English kept on it: French, then English again."""
    assert "Affiche ce message" in fab("--lang", "fr", "check", "--help").out
    i18n.set_language(None)
    again = fab("check", "--help")
    assert "Show this message and exit." in again.out and "Usage: fab check" in again.out
    assert "[default: text]" in again.out and "Check the whole ledger" in again.out


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
