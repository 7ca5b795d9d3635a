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

import pytest

HIDE = "\x1b[1A\x1b[2K"  # cursor up, erase line: what hides the line above it
OSC_LINK = "\x1b]8;;https://evil.example/pay\x07"  # a terminal hyperlink
HINT = ("  hint: remove it: such characters would act on the screens and pages where other members read the ledger "
        "(moving the cursor, erasing or reordering text)")
ONE_LINE = "  hint: this text is one line: write it without line breaks or tabs"


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
