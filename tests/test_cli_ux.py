"""Issue 15: a command line people enjoy — what a new user meets, in English and in French.

Each test names the item of the issue it holds to."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from fabrique_ledger.cli.options import normalize
from fabrique_ledger.i18n import set_language
from fabrique_ledger.render.formats import as_json, pretty_money
from fabrique_ledger.render.report import print_terminal

REPO = Path(__file__).resolve().parent.parent
MONEY_KEYS = {"amount", "donations", "suggested_donation", "paid", "carried_over", "distributable", "total",
              "commons", "carried_in", "due", "owed"}


def _amounts(data, found: set[str]) -> set[str]:
    """Every amount of a report (its JSON form), by the keys that hold money."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in MONEY_KEYS and isinstance(value, str) and value.replace(".", "").isdigit():
                found.add(value)
            else:
                _amounts(value, found)
    elif isinstance(data, list):
        for value in data:
            _amounts(value, found)
    return found


@pytest.fixture(scope="module")
def shipped_report(tmp_path_factory):
    """The shipped sample ledger (ledger/ and charter.md of the repository), read on the README's day."""
    from fabrique_ledger.store.inventory import read_ledger

    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "ledger", root / "ledger")
    shutil.copy(REPO / "charter.md", root / "charter.md")
    ledger = read_ledger(root, date(2026, 11, 27), use_cache=False)
    return ledger


@pytest.mark.parametrize("period", ["2026-H1", "2026-H2"])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_1_report_never_cuts_an_amount(shipped_report, lang, width, period):
    """Item 1: at 60, 80 and 120 columns every amount of the page is shown whole, and nothing is cut ('…')."""
    from fabrique_ledger.periods import Period
    from fabrique_ledger.report import build_report

    ledger = shipped_report
    set_language(lang)
    report = build_report(ledger, Period.parse(period, ledger.settings.period))
    amounts = _amounts(json.loads(as_json(report)), set())
    assert len(amounts) > 5
    console = Console(record=True, width=width, color_system=None)
    print_terminal(report, console)
    text = console.export_text()
    assert "…" not in text
    for amount in amounts:
        assert pretty_money(amount) in text, (amount, width, lang)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width


def _lang(fab, lang: str, *args: str):
    """fab in ``lang`` (English is the environment's; French through --lang, put after the command)."""
    set_language(None)  # a --lang of the same process chose the language until now
    return fab(*args) if lang == "en" else fab(*args, "--lang", "fr")


def _err(fab, lang: str, *args: str) -> tuple[int, list[str]]:
    result = _lang(fab, lang, *args)
    return result.code, result.err.splitlines()


CONTRIBUTE = ("contribute", "--kind", "wiki", "--title", "T", "--hours", "2", "--date", "2026-03-01")


@pytest.mark.parametrize("lang, expected", [
    ("en", {
        "alcie": ["error: --by: 'alcie' is not a member — did you mean alice?", "  hint: see the members with: fab member list"],
        "Bruno": ["error: --by: 'Bruno' is not a handle: handles are lowercase: bruno", "  hint: write --by bruno"],
        "zed": ["error: --by: 'zed' is not a member", "  hint: add them first: fab member add zed --name NAME"],
    }),
    ("fr", {
        "alcie": ["erreur : --by : 'alcie' n'est pas membre — vouliez-vous dire alice ?",
                  "  conseil : voyez les membres avec : fab member list"],
        "Bruno": ["erreur : --by : 'Bruno' n'est pas un identifiant : les identifiants sont en minuscules : bruno",
                  "  conseil : écrivez --by bruno"],
        "zed": ["erreur : --by : 'zed' n'est pas membre", "  conseil : ajoutez-le d'abord : fab member add zed --name NOM"],
    }),
])
def test_2_3_typed_names_are_told_as_typed_with_a_suggestion(fab, lang, expected):
    """Items 2 and 3: a mistyped handle is told as the option it was typed in, with the close member; the
    hint offers to create it only when nothing is close; nothing is written."""
    before = fab.state()
    for typed, lines in expected.items():
        assert _err(fab, lang, *CONTRIBUTE, "--by", typed) == (1, lines)
    assert _err(fab, lang, "sign", "chole")[1][0] == (
        "error: HANDLE: 'chole' is not a member — did you mean chloe?" if lang == "en"
        else "erreur : HANDLE : 'chole' n'est pas membre — vouliez-vous dire chloe ?")
    assert fab.state() == before


def test_2_review_of_an_unknown_record_suggests_the_close_id(fab):
    assert fab(*CONTRIBUTE, "--by", "alice", "--id", "gtfs-loader").code == 0
    assert _err(fab, "en", "review", "gtfs-loadr", "--by", "bruno", "--approve", "--date", "2026-03-02") == (1, [
        "error: TARGET: 'gtfs-loadr' is neither a contribution nor a request — did you mean gtfs-loader?",
        "  hint: the ids are the file names under ledger/contributions/ and ledger/requests/"])
    assert _err(fab, "fr", "review", "gtfs-loadr", "--by", "bruno", "--approve", "--date", "2026-03-02") == (1, [
        "erreur : TARGET : 'gtfs-loadr' n'est ni une contribution ni une demande — vouliez-vous dire gtfs-loader ?",
        "  conseil : les identifiants sont les noms des fichiers sous ledger/contributions/ et ledger/requests/"])


@pytest.mark.parametrize("lang, lines", [
    ("en", ["error: --by: chloe's member file has a problem: ledger/members/chloe.yaml:6:1",
            "  hint: fix that file first (fab check shows every problem)"]),
    ("fr", ["erreur : --by : la fiche membre de chloe a un problème : ledger/members/chloe.yaml:6:1",
            "  conseil : corrigez d'abord ce fichier (fab check montre chaque problème)"]),
])
def test_4_a_broken_member_file_is_named_not_called_missing(fab, lang, lines):
    """Item 4: chloe's file has a typo; contributing as chloe points at it instead of 'not a member'."""
    path = fab.root / "ledger/members/chloe.yaml"
    path.write_text(path.read_text() + "nmae: typo\n")
    assert _err(fab, lang, *CONTRIBUTE, "--by", "chloe") == (1, lines)


@pytest.mark.parametrize("lang, amount, hours", [
    ("en", ["error: --amount: '1,500' is ambiguous: a comma is the decimal mark here (1,5 is 1.5), never a thousands "
            "separator; write 1500 if that is the amount", "  hint: see the examples in --help"],
           ["error: --hours: '1h20' is 1.3333 hours, which is not a whole number of hundredths: write the hours as a "
            "number, like 1.33", "  hint: see the examples in --help"]),
    ("fr", ["erreur : --amount : '1,500' est ambigu : la virgule est ici le séparateur décimal (1,5 vaut 1.5), jamais "
            "un séparateur de milliers ; écrivez 1500 si c'est le montant voulu",
            "  conseil : voyez les exemples dans --help"],
           ["erreur : --hours : '1h20' fait 1.3333 heures, ce qui n'est pas un nombre entier de centièmes : écrivez "
            "les heures en nombre, comme 1.33", "  conseil : voyez les exemples dans --help"]),
])
def test_5_ambiguous_amounts_and_hours(fab, lang, amount, hours):
    """Item 5: '1,500' is refused with the reason, '1h30' and '1:30' are an hour and a half."""
    assert _err(fab, lang, "donate", "--by", "bruno", "--amount", "1,500") == (2, amount)
    assert _err(fab, lang, *CONTRIBUTE[:5], "--by", "alice", "--hours", "1h20") == (2, hours)
    for typed in ("1h30", "1:30", "1,5"):
        shown = fab(*CONTRIBUTE[:5], "--by", "alice", "--hours", typed, "--dry-run")
        assert shown.code == 0 and "hours: 1.5\n" in shown.out, typed
    assert "hours: 0.75\n" in fab(*CONTRIBUTE[:5], "--by", "alice", "--hours", "45min", "--dry-run").out


def test_6_global_options_before_or_after_the_command(fab, monkeypatch):
    """Item 6: --ledger, --lang and --no-cache work on either side of the command name."""
    monkeypatch.setenv("FAB_NO_CACHE", "")  # --no-cache sets it for the process: undone after the test
    ok_en, ok_fr = "ok: 3 records, no problems\n", "ok : 3 fiches, aucun problème\n"
    ledger = str(fab.root)
    assert fab("--ledger", ledger, "check").out == ok_en
    assert fab("check", "--ledger", ledger).out == ok_en
    assert fab("check", "--lang", "fr").out == ok_fr
    assert fab("--lang", "fr", "check").out == ok_fr
    assert fab("check", "--no-cache", "--lang=fr").out == ok_fr
    assert fab("--ledger", ledger, "member", "list", "--format", "json").json()[0]["handle"] == "alice"


@pytest.mark.parametrize("lang, said", [("en", "id: {id}"), ("fr", "identifiant : {id}")])
def test_7_a_write_prints_the_new_id_and_periods_read_in_any_case(fab, lang, said):
    """Item 7: the id, on its own line, for the next command; '2026-h1' is 2026-H1."""
    result = _lang(fab, lang, *CONTRIBUTE, "--by", "alice")
    assert result.code == 0 and result.out.splitlines()[-1] == said.format(id="2026-03-01-alice-t")
    split = fab("split", "--period", "2026-h1", "--format", "json")
    assert split.code == 0 and split.json()["period"] == "2026-H1"


def _help(fab, *command: str, lang: str = "en") -> str:
    set_language(None)
    return fab(*command, "--help").out if lang == "en" else fab("--lang", "fr", *command, "--help").out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_8_help_pages_in_words(fab, lang):
    """Item 8: no Python types, required options marked, one way to write arguments, sentences whole,
    commands in panels in the order of a community's year."""
    required = "[required]" if lang == "en" else "[obligatoire]"
    for command in (("contribute",), ("sign",), ("donate",), ("member", "add"), ("split",), ("log",), ("--help",)[:0]):
        page = _help(fab, *command, lang=lang)
        assert not any(t in page for t in ("<str>", "<bool>", "<int>", "<list", "<path>")), command
    contribute = _help(fab, "contribute", lang=lang)
    assert contribute.count(required) == 4
    assert "HANDLE" in contribute and "HOURS" in contribute and "DATE" in contribute
    assert "Usage: fab sign [OPTIONS] HANDLE" in _help(fab, "sign") and "fab log [OPTIONS] [RECORD]" in _help(fab, "log")
    split = _help(fab, "split", lang=lang)
    assert ("a closed period shows its seal" if lang == "en" else "une période close montre") in " ".join(split.split())
    panels = [line.split("─")[1].strip() for line in _help(fab, lang=lang).splitlines() if line.startswith("╭─")]
    assert panels == (["Options", "Setting up", "Recording", "Reviewing", "Co-remuneration", "Audit", "Services",
                       "Payouts"] if lang == "en" else
                      ["Options", "Mise en place", "Enregistrer", "Examiner", "Co-rémunération", "Audit", "Services",
                       "Versements"])


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_9_files_follow_the_umask_and_bank_details_stay_private(fab, tmp_path, umask, mode):
    """Item 9: public records and charter.md get the user's umask (0644 by default), not 0600."""
    import os
    import stat

    before = os.umask(umask)
    try:
        assert fab("init", str(tmp_path / "new")).code == 0
        assert fab(*CONTRIBUTE, "--by", "alice").code == 0
    finally:
        os.umask(before)
    for path in (tmp_path / "new/charter.md", tmp_path / "new/ledger/fabrique.yaml",
                 fab.root / "ledger/contributions/2026-H1/2026-03-01-alice-t.yaml"):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


def test_9_no_colour_in_fragments_of_ids_and_amounts():
    """Item 9: rich's highlighter no longer colours the digits inside '2026-03-01-alice-t' or '1,550.00'."""
    import io

    from rich.console import ColorSystem

    from fabrique_ledger.render.escape import console

    page = console()
    page.file, page._force_terminal, page._color_system = io.StringIO(), True, ColorSystem.STANDARD
    page.print("2026-03-01-alice-t 1,550.00")
    assert "\x1b[" not in page.file.getvalue()


def test_10_author_commits_when_git_knows_no_one(fab, tmp_path, monkeypatch):
    """Item 10: with no git identity, the --author the hint offers is the commit's author and committer."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tuseConfigOnly = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    refused = fab(*CONTRIBUTE, "--by", "alice")
    assert refused.code == 1 and "(or pass --author 'Name <email>')" in refused.err
    assert fab(*CONTRIBUTE, "--by", "alice", "--author", "Ann Treasurer <ann@example.org>").code == 0
    assert fab.git("log", "-1", "--format=%an <%ae> | %cn <%ce>").strip() == (
        "Ann Treasurer <ann@example.org> | Ann Treasurer <ann@example.org>")


@pytest.mark.parametrize("lang, lines", [
    ("en", ["error: --date: a follow-up is dated by its commit (fab log shows it); --date dates a new alert",
            "  hint: see the examples in --help"]),
    ("fr", ["erreur : --date : un suivi est daté par son commit (fab log le montre) ; --date date une nouvelle alerte",
            "  conseil : voyez les exemples dans --help"]),
])
def test_10_date_of_an_alert_follow_up_is_refused_not_dropped(fab, lang, lines):
    assert fab("alert", "--about", "X", "--evidence", "https://example.org/x", "--by", "alice",
               "--date", "2026-03-01").code == 0
    assert _err(fab, lang, "alert", "2026-03-01-x", "--status", "invited", "--date", "2026-03-05") == (2, lines)


# --- item 3: every `fab ...` that fab or its docs tell people to type exists ---------------------------

FAB_COMMAND = re.compile(r"""(?<![\w/.-])fab((?: +(?:[^\s`'"(),;|<>\\]+|'[^']*'|"[^"]*"))+)""")
PROSE = {"use", "uses", "used", "user", "users", "imports"}  # words of sentences about fab close to a command's name
PLACEHOLDER = re.compile(r"\{[^}]*\}|\.\.\.|^[A-Z][A-Z_=0-9|-]*$|^<.*>$|^\[.*\]$")


def _quoted_commands() -> dict[str, str]:
    """Every `fab ...` in the message catalogue (hints, errors, help texts, docstrings) and in the docs,
    each with where it was found."""
    from babel.messages.pofile import read_po

    texts = []
    with open(REPO / "src/fabrique_ledger/locales/fab.pot", "rb") as pot:
        texts += [("fab.pot", m.id if isinstance(m.id, str) else " ".join(m.id)) for m in read_po(pot) if m.id]
    for doc in [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]:
        texts += [(doc.name, line) for line in doc.read_text(encoding="utf-8").splitlines()]
    found = {}
    for where, text in texts:
        for line in text.splitlines():
            for match in FAB_COMMAND.finditer(line):
                found.setdefault(match.group(1).strip(), where)
    return found


def _problem(root, text: str) -> str | None:
    """Why ``fab text`` would not parse (an unknown command or option, a value not among the choices), or None."""
    import shlex

    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    command, place = root, "fab"
    if not tokens or tokens[0].endswith(":"):  # 'fab guard: refused ...', a message fab prints
        return None
    root_options = {opt: p for p in root.params for opt in p.opts}
    while len(tokens) > 1 and tokens[0] in root_options:  # fab --lang fr wiki ...: global options first
        option = root_options[tokens.pop(0)]
        if not getattr(option, "is_flag", False):
            tokens.pop(0)
    if not (tokens[0].startswith("--") or tokens[0] in root.commands):  # prose ('fab reads...'), or a typo
        close = difflib.get_close_matches(tokens[0], root.commands, n=1, cutoff=0.85) if tokens else []
        return f"no command fab {tokens[0]} (did you mean {close[0]}?)" if close and tokens[0] not in PROSE else None
    while tokens and getattr(command, "commands", None) and not tokens[0].startswith("-"):
        if tokens[0] not in command.commands:
            return None if PLACEHOLDER.search(tokens[0]) or not tokens[0].isalpha() else f"no command {place} {tokens[0]}"
        command, place = command.commands[tokens[0]], f"{place} {tokens.pop(0)}"
    options = {opt: p for p in [*command.params, *root.params] for opt in p.opts}
    while tokens:
        token = tokens.pop(0)
        if token in ("&&", "|", "#") or token.startswith("#"):
            break
        if not token.startswith("--") or token in ("--help", "--"):
            continue
        name, equal, value = token.partition("=")
        param = options.get(name) or (root.commands.get("check").params[0] if name == "--ledger" else None)
        if param is None:
            return f"{place}: no option {name}"
        if getattr(param, "is_flag", False):
            continue
        if not equal:
            value = tokens.pop(0) if tokens else ""
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and descriptor.is_choice and value and not PLACEHOLDER.search(value):
            if normalize(value) not in [str(c) for c in descriptor.choices]:
                return f"{place}: {name} {value} is not one of {descriptor.choices}"
    return None


def test_3_every_quoted_command_parses():
    """Item 3: each `fab ...` quoted in a hint, a help page or the docs names commands and options that
    exist, with values among the choices (a hint must never send people to a command that fails)."""
    import typer.main

    from fabrique_ledger.cli import app

    root = typer.main.get_command(app)
    quoted = _quoted_commands()
    assert len(quoted) > 100
    problems = {f"fab {text}  ({where})": problem for text, where in quoted.items()
                if (problem := _problem(root, text)) is not None}
    assert problems == {}


@pytest.mark.parametrize("lang, expected", [
    ("en", {"member": ["error: 'alcie' is not a member, and never was", "  hint: did you mean alice? (fab log --member alice)"],
            "record": ["error: no record '2026-03-01-alice-u' in the ledger or its history",
                       "  hint: did you mean 2026-03-01-alice-t? (fab log 2026-03-01-alice-t)"],
            "again": ["error: HANDLE: 'alice' is already a member",
                      "  hint: choose another handle; see the members with: fab member list"]}),
    ("fr", {"member": ["erreur : 'alcie' n'est pas membre et ne l'a jamais été",
                       "  conseil : vouliez-vous dire alice ? (fab log --member alice)"],
            "record": ["erreur : aucune fiche '2026-03-01-alice-u' dans le registre ni dans son historique",
                       "  conseil : vouliez-vous dire 2026-03-01-alice-t ? (fab log 2026-03-01-alice-t)"],
            "again": ["erreur : HANDLE : 'alice' est déjà membre",
                      "  conseil : choisissez un autre identifiant ; voyez les membres avec : fab member list"]}),
])
def test_2_3_log_and_member_add_suggest_and_offer_only_what_exists(fab, lang, expected):
    """Items 2 and 3: fab log suggests the close member or record id (its old hint sent people to
    fab check --format json, which lists no ids); member add has no --id to offer."""
    assert fab(*CONTRIBUTE, "--by", "alice").code == 0
    assert _err(fab, lang, "log", "--member", "alcie") == (1, expected["member"])
    assert _err(fab, lang, "log", "2026-03-01-alice-u") == (1, expected["record"])
    assert _err(fab, lang, "member", "add", "alice", "--name", "Alice Again") == (1, expected["again"])


@pytest.mark.parametrize("lang, note", [
    ("en", "note: bruno has no email in their member file, so this commit carries your git identity, not theirs "
           "(fab verify reports it); add an email to ledger/members/bruno.yaml, or pass --author 'Name <email>'"),
    ("fr", "note : bruno n'a pas d'adresse électronique dans sa fiche membre : ce commit porte donc votre identité "
           "git, pas la sienne (fab verify le signale) ; ajoutez une adresse à ledger/members/bruno.yaml, ou passez "
           "--author 'Nom <adresse>'"),
])
def test_10_a_members_act_without_their_email_says_whose_name_it_carries(fab, lang, note):
    result = _lang(fab, lang, "sign", "bruno", "--date", "2026-01-20")
    assert result.code == 0 and result.err.splitlines() == [note]
    assert _lang(fab, lang, "sign", "alice", "--date", "2026-01-21").err == ""  # alice has an email


def test_9_explain_on_the_terminal_is_drawn_not_markdown(fab):
    assert fab(*CONTRIBUTE, "--by", "alice").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-03-02").code == 0
    shown = fab("split", "--period", "2026-H1", "--explain").out
    assert "**" not in shown and " • alice: score 2, before cap €100.00" in shown
    assert "- **alice**: score 2" in fab("split", "--period", "2026-H1", "--explain", "--format", "md").out
