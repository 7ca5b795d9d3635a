"""The contributors' thank-you page: who gave what kinds, as Markdown lines, a wiki table and an HTML page.

H1: alice writes two wiki pages and co-writes code with chloe; bruno donates; chloe's translation is
objected to by bruno (it does not count, so no 🌍 for her).  H2: dan, who has a wiki user page,
organises an event.
"""

from __future__ import annotations

import pytest

from conftest import Fab, replay

WIKI = "https://wiki.lafabriquedesmobilites.fr/wiki/"


@pytest.fixture
def given(fab: Fab) -> Fab:
    """The ledger of _given (built once, copied for each test: see conftest.replay)."""
    replay(fab, "contributors-given", _given)
    return fab


def _given(fab: Fab, env) -> None:
    assert fab("member", "add", "dan", "--name", "Dan Petit", "--wiki-user", "Dan P", "--joined", "2026-01-05").code == 0
    steps = [
        ("donate", "--by", "bruno", "--amount", "500", "--date", "2026-02-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "3", "--date", "2026-02-02", "--id", "a1"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Autopartage", "--hours", "2", "--date", "2026-03-01", "--id", "a2"),
        ("contribute", "--by", "chloe:0.5", "--by", "alice:0.5", "--kind", "code", "--title", "GTFS", "--hours", "4",
         "--date", "2026-03-02", "--id", "c1"),
        ("contribute", "--by", "chloe", "--kind", "translation", "--title", "EN", "--hours", "1", "--date", "2026-03-03", "--id", "t1"),
        ("review", "t1", "--by", "bruno", "--object", "--comment", "machine translation", "--date", "2026-03-04"),
        ("contribute", "--by", "dan", "--kind", "event", "--title", "Meetup", "--hours", "2", "--date", "2026-08-01", "--id", "d1"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)


def test_markdown_lines_for_every_period(given):
    result = given("contributors")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "# Thank you! — contributors to Fabrique des Mobilités",
        "",
        "The people who gave their time or money to the commons since the ledger began (2026-H1–2026-H2), "
        "in alphabetical order. Thank you all!",
        "",
        "- **Alice Martin** — 📖 wiki ×2 · 💻 code",
        "- **Bruno Lefèvre** — 💵 donations",
        "- **Chloé Durand** — 💻 code",
        f"- **Dan Petit** ([Dan P]({WIKI}User:Dan_P)) — 📋 events",
        "",
        "Key: 📖 wiki · 💻 code · 📋 events · 💵 donations",
    ]


def test_one_period_only(given):
    result = given("contributors", "--period", "2026-H1", "--format", "md")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[2] == ("The people who gave their time or money to the commons in 2026-H1, in alphabetical order. "
                        "Thank you all!")
    assert [line for line in lines if line.startswith("- ")] == [
        "- **Alice Martin** — 📖 wiki ×2 · 💻 code", "- **Bruno Lefèvre** — 💵 donations", "- **Chloé Durand** — 💻 code"]
    assert lines[-1] == "Key: 📖 wiki · 💻 code · 💵 donations"
    empty = given("contributors", "--period", "2025-H2")
    assert empty.out.splitlines() == ["# Thank you! — contributors to Fabrique des Mobilités", "",
                                      "No contribution or donation is recorded in 2025-H2."]


def test_wiki_table(given):
    result = given("contributors", "--format", "wiki")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "== Thank you! — contributors to Fabrique des Mobilités ==",
        "",
        "The people who gave their time or money to the commons since the ledger began (2026-H1–2026-H2), "
        "in alphabetical order. Thank you all!",
        "",
        '{| class="wikitable sortable"',
        "! contributor !! wiki !! contributions",
        "|-",
        "| Alice Martin || || 📖 wiki ×2 · 💻 code",
        "|-",
        "| Bruno Lefèvre || || 💵 donations",
        "|-",
        "| Chloé Durand || || 💻 code",
        "|-",
        "| Dan Petit || [[User:Dan P|Dan P]] || 📋 events",
        "|}",
        "",
        "Key: 📖 wiki · 💻 code · 📋 events · 💵 donations",
    ]


def test_html_page_escapes_and_links(given, tmp_path):
    assert given("member", "add", "eve", "--name", "Eve <script>alert(1)</script>", "--wiki-user", "Eve|[[x]]",
                 "--joined", "2026-01-05").code == 0
    assert given("contribute", "--by", "eve", "--kind", "mentoring", "--title", "Onboarding", "--hours", "1",
                 "--date", "2026-09-01").code == 0
    page = tmp_path / "merci.html"
    result = given("contributors", "--format", "html", "--output", str(page))
    assert result.code == 0 and f"wrote {page}" in result.err and result.out == ""
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script>" not in html and "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'href="{WIKI}User:Dan_P"' in html and "Eve|[[x]]" not in html  # not a valid page title: no link
    assert html.count('<li class="person"') == 5 and 'id="member-dan"' in html
    assert '<span title="wiki ×2" aria-label="wiki">📖</span>' in html
    wiki = given("contributors", "--format", "wiki").out
    assert "| Eve &lt;script&gt;alert(1)&lt;/script&gt; || Eve&#124;&#91;&#91;x&#93;&#93; || 🧑‍🏫 mentoring" in wiki


def test_usage_errors(given):
    assert given("contributors", "--format", "pdf").code == 2
    assert given("contributors", "--period", "2026-H3").code == 2
    assert given("contributors", "--wiki-url", "wiki.example.org").code == 2
    result = given("contributors", "--wiki-url", "https://wiki.example.org/w")
    assert result.code == 0 and "(https://wiki.example.org/w/User:Dan_P)" in result.out
