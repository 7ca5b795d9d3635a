"""The reciprocity report's renderers (Markdown, MediaWiki, CSV, terminal, HTML) on a hand-written report.

``report_sample.json`` has the shape of ``fabrique_ledger.report.build_report``'s dict: six consultants
(every status), five contributors, three payouts and one person carried over, every agenda list
filled. Its numbers add up: donations 1,550.00 + 450.50 + 200.00 = 2,200.50; commons 10 % = 220.05;
distributable 1,980.45 = paid (795.52 + 667.57 + 317.09 = 1,780.18) + carried over 200.27 (Yanis,
below min_payout). ``_emptied`` keeps the shape and empties every list. The browser test renders
the HTML page in headless Chromium when there is one.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from fabrique_ledger.render.report import (
    SECTIONS,
    as_csv,
    as_markdown,
    as_wiki,
    pretty_date,
    pretty_money,
    print_terminal,
)
from fabrique_ledger.render.report_html import as_html

SAMPLE = Path(__file__).with_name("report_sample.json")
EVIL = "<script>alert(1)</script>"


@pytest.fixture
def report() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _emptied(report: dict) -> dict:
    """The same period with nothing in it but 150.00 carried in: every list empty, nobody paid."""
    empty = copy.deepcopy(report)
    money = {"donations": "0.00", "carried_in": "150.00", "commons": "15.00", "distributable": "135.00"}
    empty["pool"].update(money, total="150.00", sources=[])
    empty["split"].update(money, pool="150.00", paid="0.00", carried_over="135.00", payouts=[], warnings=[])
    empty["reciprocity"] = empty["contributors"] = empty["contributions_by_kind"] = []
    empty["agenda"] = {key: [] for key in report["agenda"]}
    empty["warnings"] = []
    return empty


def _block(text: str, first: str, count: int) -> list[str]:
    """``count`` lines of ``text`` from the line equal to ``first``."""
    lines = text.splitlines()
    start = lines.index(first)
    return lines[start:start + count]


# --- numbers and dates for the reader -----------------------------------------------------------------

def test_pretty_money_keeps_the_digits_and_adds_separators():
    assert pretty_money("1980.45", "EUR") == "€1,980.45"
    assert pretty_money("1234567.8", "EUR") == "€1,234,567.80"  # Babel: at least the currency's 2 digits
    assert pretty_money("0.00", "EUR") == "€0.00"
    assert pretty_money("-2500.00", "EUR") == "-€2,500.00"
    assert pretty_money("150000", "JPY") == "¥150,000"
    assert pretty_money("652.18") == "652.18"
    assert pretty_money(None, "EUR") == "—"
    assert pretty_money("n/a", "EUR") == "n/a EUR"


def test_pretty_date_is_day_month_year_in_english():
    assert pretty_date("2026-11-27") == "27 Nov 2026"
    assert pretty_date("2026-07-01") == "1 Jul 2026"
    assert pretty_date(None) == "—"
    assert pretty_date("someday") == "someday"


# --- Markdown ------------------------------------------------------------------------------------------

def test_markdown_sections_in_order(report):
    text = as_markdown(report)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Fabrique des Mobilités — reciprocity report 2026-H2", "## Pool", "## Reciprocity", "## Contributors",
        "### Ranked by value", "### Contributions by kind", "## Proposed split", "## Review agenda",
        "### Dereferencing candidates", "### Signatures of an outdated charter", "### Alerts",
        "### Unreviewed contributions", "### Pending requests",
    ]
    assert ("Period 2026-H2, 1 Jul 2026 – 31 Dec 2026; generated 27 Nov 2026; open: the split below is a proposal "
            "until the period is closed.") in text.splitlines()


def test_markdown_pool_table_totals_to_the_donations(report):
    assert _block(as_markdown(report), "| donor | donations | amount (EUR) |", 6) == [
        "| donor | donations | amount (EUR) |",
        "|---|---:|---:|",
        "| Bruno Lefèvre (bruno) | 2 | 1,550.00 |",
        "| David Moreau (david) | 1 | 450.50 |",
        "| François Girard (francois) | 1 | 200.00 |",
        "| **total** | **4** | **2,200.50** |",
    ]
    assert ("Pool €2,200.50 = donations €2,200.50 + carried in €0.00; commons €220.05; "
            "distributable €1,980.45.") in as_markdown(report).splitlines()


def test_markdown_reciprocity_rows_show_every_status(report):
    text = as_markdown(report)
    assert ("| consultant | organisation | referenced | signed | uses | donations (EUR) | suggested donation (EUR) "
            "| contributions | hours | value | reviews given | status |") in text
    assert ("| Bruno Lefèvre (bruno) | Lefèvre Conseil | yes | 20 Jan 2026 | 1 (réseau) | 1,550.00 | 600.00 "
            "| 1 | 5 | 5 | 0 | both |") in text.splitlines()
    assert ("| Emma Rousseau (emma) | Rousseau Études | yes | 5 Feb 2026 (outdated charter) "
            "| 3 (wiki, logo, données ouvertes) | 0.00 | 360.00 | 0 | 0 | 0 | 0 | uses without giving back |") \
        in text.splitlines()
    assert "| Hugo Petit (hugo) | — | no | not signed | 0 | 0.00 | — | 0 | 0 | 0 | 0 | dormant |" in text.splitlines()
    for status in ("contributes", "donates", "both", "uses without giving back", "dormant"):
        assert f"| {status} |" in text


def test_markdown_contributors_are_ranked_with_their_kinds(report):
    text = as_markdown(report)
    assert _block(text, "| rank | contributor | contributions | hours | value | hours by kind |", 4) == [
        "| rank | contributor | contributions | hours | value | hours by kind |",
        "|---:|---|---:|---:|---:|---|",
        "| 1 | Chloé Durand (chloe) | 2 | 26 | 23.8333 | code 16 h, wiki 10 h |",
        "| 2 | Alice Martin (alice) | 3 | 30 | 20 | event 8 h, wiki 22 h |",
    ]
    assert "| wiki | 4 | 37 | 27.8333 |" in text.splitlines()


def test_markdown_split_totals_add_up(report):
    text = as_markdown(report)
    assert ("Policy: proportional. Distributable €1,980.45 = paid €1,780.18 + carried over €200.27."
            in text.splitlines())
    assert _block(text, "| member | amount (EUR) | share | score |", 8) == [
        "| member | amount (EUR) | share | score |",
        "|---|---:|---:|---:|",
        "| Chloé Durand (chloe) | 795.52 | 0.4017 | 23.8333 |",
        "| Alice Martin (alice) | 667.57 | 0.3371 | 20 |",
        "| Gaëlle Bernard (gaelle) | 317.09 | 0.1601 | 9.5 |",
        "| **paid** | **1,780.18** | | |",
        "| **carried over** | **200.27** | | |",
        "| **distributable** | **1,980.45** | | |",
    ]


def test_markdown_warnings_are_shown_once(report):
    text = as_markdown(report)
    warning = "2026-H1 is not closed: its carry-over is not included (close it with fab close 2026-H1)"
    assert text.count(warning) == 1  # the split repeats the report's warning: not printed twice
    report["warnings"] = []
    assert text.count(warning) == 1 and f"> **warning:** {warning}" in as_markdown(report)


def test_markdown_agenda_bullets(report):
    lines = as_markdown(report).splitlines()
    assert "- Emma Rousseau (emma): no donation and no counted contribution in 2026-H2" in lines
    assert "- David Moreau (david): signed 14 Nov 2025 (charter 51e5f24e91aa)" in lines
    assert ("- Trajets Partagés SAS — invited, reported by Alice Martin (alice) on 3 Sep 2026: "
            "[evidence](https://trajets-partages.example.org/blog/etude-covoiturage) — note: Invitation envoyée le "
            "10 septembre (2026-09-03-trajets-partages)") in lines
    assert ("- Vélocité Conseil — open, reported by Gaëlle Bernard (gaelle) on 12 Oct 2026; has signed the charter "
            "since: [evidence](https://velocite-conseil.example.fr/references/vélo-cargo) (2026-10-12-velocite-conseil)"
            ) in lines
    assert ("- Traduction de la charte en anglais — translation, 6 h, by Gaëlle Bernard (gaelle), Chloé Durand (chloe) "
            "on 21 Sep 2026 (2026-09-21-gaelle-traduction-charte)") in lines
    assert "- Alice Martin (alice) asks €700.00: 0 of 1 approval, 0 objections (2026-h2-alice)" in lines
    assert "- Gaëlle Bernard (gaelle) asks €300.00: 1 of 2 approvals, 1 objection (2026-h2-gaelle)" in lines


def test_markdown_empty_sections_say_so(report):
    text = as_markdown(_emptied(report))
    lines = text.splitlines()
    for sentence in ("No donations this period.", "No consultants this period.", "No counted contributions this period.",
                     "No contributions this period.", "Nobody is paid this period.", "No dereferencing candidates.",
                     "No outdated signatures.", "No alerts.", "No unreviewed contributions.", "No pending requests."):
        assert sentence in lines
    assert "Policy: proportional. Distributable €135.00 = paid €0.00 + carried over €135.00." in lines
    assert "|" not in text  # no table header without rows


def test_markdown_closed_period_says_split(report):
    report["closed"] = True
    lines = as_markdown(report).splitlines()
    assert "## Split" in lines and "## Proposed split" not in lines
    assert lines[2].endswith("closed: the split below is the one that was sealed.")


def test_markdown_names_a_mix_of_policies_as_fab_split_does(report):
    report["split"]["policy"] = {"mix": [{"name": "proportional", "fraction": "0.7"},
                                         {"name": "requests", "fraction": "0.3", "approvals": "2"}]}
    assert ("Policy: mix: proportional 0.7, requests 0.3. Distributable €1,980.45 = paid €1,780.18 "
            "+ carried over €200.27.") in as_markdown(report).splitlines()


def test_markdown_cells_cannot_break_the_table(report):
    report["pool"]["sources"][0]["name"] = "Bruno | Lefèvre <b>"
    assert "| Bruno \\| Lefèvre &lt;b&gt; (bruno) | 2 | 1,550.00 |" in as_markdown(report).splitlines()


# --- MediaWiki -------------------------------------------------------------------------------------------

def test_wiki_tables_are_balanced_and_sortable(report):
    for variant in (report, _emptied(report)):
        text = as_wiki(variant)
        opens = [line for line in text.splitlines() if line.startswith("{|")]
        closes = [line for line in text.splitlines() if line == "|}"]
        assert len(opens) == len(closes)
        assert all(line == '{| class="wikitable sortable"' for line in opens)
    assert len([line for line in as_wiki(report).splitlines() if line.startswith("{|")]) == 5


def test_wiki_headings_and_payouts_table(report):
    text = as_wiki(report)
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("==")] == [
        "== Pool ==", "== Reciprocity ==", "== Contributors ==", "=== Ranked by value ===",
        "=== Contributions by kind ===", "== Proposed split ==", "== Review agenda ==", "=== Dereferencing candidates ===",
        "=== Signatures of an outdated charter ===", "=== Alerts ===", "=== Unreviewed contributions ===",
        "=== Pending requests ===",
    ]
    def right(value: str) -> str:  # a number cell: sorted by its plain value (issue 16), aligned right
        return f'data-sort-value="{value}" style="text-align:right" | '

    assert _block(text, "|+ Payouts", 16) == [
        "|+ Payouts",
        "! member !! amount (EUR) !! share !! score",
        "|-",
        f"| Chloé Durand (chloe) || {right('795.52')}795.52 || {right('0.4017')}0.4017 || {right('23.8333')}23.8333",
        "|-",
        f"| Alice Martin (alice) || {right('667.57')}667.57 || {right('0.3371')}0.3371 || {right('20')}20",
        "|-",
        f"| Gaëlle Bernard (gaelle) || {right('317.09')}317.09 || {right('0.1601')}0.1601 || {right('9.5')}9.5",
        '|- class="sortbottom"',
        f"| '''paid''' || {right('1780.18')}'''1,780.18''' ||  ||",
        '|- class="sortbottom"',
        f"| '''carried over''' || {right('200.27')}'''200.27''' ||  ||",
        '|- class="sortbottom"',
        f"| '''distributable''' || {right('1980.45')}'''1,980.45''' ||  ||",
        "|}",
        "",
    ]


def test_wiki_links_bullets_and_escaping(report):
    report["reciprocity"][1]["organisation"] = "Lefèvre | [[Conseil]] {{x}} ''gras''"
    lines = as_wiki(report).splitlines()
    assert ("* Trajets Partagés SAS — invited, reported by Alice Martin (alice) on 3 Sep 2026: "
            "[https://trajets-partages.example.org/blog/etude-covoiturage evidence] — note: Invitation envoyée le "
            "10 septembre (2026-09-03-trajets-partages)") in lines
    assert "* Alice Martin (alice) asks €700.00: 0 of 1 approval, 0 objections (2026-h2-alice)" in lines
    assert "| Bruno Lefèvre (bruno) || Lefèvre &#124; &#91;&#91;Conseil&#93;&#93; &#123;&#123;x&#125;&#125; " \
           "&#39;&#39;gras&#39;&#39; || yes" in "\n".join(lines)
    assert ('| David Moreau (david) || Moreau &amp; Associés || yes || data-sort-value="2025-11-14" | 14 Nov 2025 (outdated charter)'
            in "\n".join(lines))


def test_french_wiki_cells_sort_by_their_plain_value_and_a_dash_as_empty(report):
    """MediaWiki's French sorter reads '1 550,00' (U+202F) and '5 févr. 2026 (charte dépassée)' as text: every
    number, amount and date cell carries its plain value, and '—' or 'not signed' an empty one (issue 16)."""
    from fabrique_ledger.i18n import set_language

    set_language("fr")
    text = as_wiki(report)
    assert 'data-sort-value="1550.00" style="text-align:right" | 1\u202f550,00' in text
    assert 'data-sort-value="2025-11-14" | 14 nov. 2025 (charte dépassée)' in text
    assert 'data-sort-value="" | non signée' in text
    for line in text.splitlines():
        for cell in line.split("||"):
            if 'style="text-align:right"' in cell:
                assert re.match(r'^\|? ?data-sort-value="(-?[0-9]+(\.[0-9]+)?)?" style', cell.strip()), cell


def test_wiki_empty_sections_say_so(report):
    lines = as_wiki(_emptied(report)).splitlines()
    for sentence in ("No donations this period.", "No consultants this period.", "Nobody is paid this period.",
                     "No alerts.", "No pending requests."):
        assert sentence in lines


def test_wiki_does_not_link_what_is_not_a_web_address(report):
    report["agenda"]["alerts"][0]["evidence"] = "javascript:alert(1)"
    text = as_wiki(report)
    assert "[javascript:" not in text and "evidence: javascript:alert(1)" in text


# --- CSV -----------------------------------------------------------------------------------------------

def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_pool_and_split(report):
    assert as_csv(report, "pool").splitlines() == [
        "period,donor,name,donations,amount,currency",
        "2026-H2,bruno,Bruno Lefèvre,2,1550.00,EUR",
        "2026-H2,david,David Moreau,1,450.50,EUR",
        "2026-H2,francois,François Girard,1,200.00,EUR",
    ]
    assert as_csv(report, "split").splitlines() == [
        "period,member,amount,currency,share,score",
        "2026-H2,chloe,795.52,EUR,0.4017,23.8333",
        "2026-H2,alice,667.57,EUR,0.3371,20",
        "2026-H2,gaelle,317.09,EUR,0.1601,9.5",
    ]


def test_csv_reciprocity_keeps_raw_values(report):
    rows = _rows(as_csv(report, "reciprocity"))
    assert rows[0] == ["period", "member", "name", "organisation", "referenced", "signed", "charter_current", "uses",
                       "resources", "mission_revenue", "suggested_donation", "donations", "currency", "contributions",
                       "hours", "value", "reviews_given", "status"]
    assert rows[3] == ["2026-H2", "david", "David Moreau", "Moreau & Associés", "true", "2025-11-14", "false", "2",
                       "wiki; communauté", "22525.00", "450.50", "450.50", "EUR", "0", "0", "0", "1", "donates"]
    assert rows[6] == ["2026-H2", "hugo", "Hugo Petit", "", "false", "", "false", "0", "", "", "", "0.00", "EUR", "0",
                       "0", "0", "0", "dormant"]
    assert sorted({row[-1] for row in rows[1:]}) == ["both", "contributes", "donates", "dormant", "uses without giving back"]


def test_csv_contributors_has_a_column_per_kind(report):
    assert as_csv(report, "contributors").splitlines()[:3] == [
        "period,rank,member,name,contributions,hours,value,hours_wiki,hours_code,hours_event,hours_translation",
        "2026-H2,1,chloe,Chloé Durand,2,26,23.8333,10,16,0,0",
        "2026-H2,2,alice,Alice Martin,3,30,20,22,0,8,0",
    ]


def test_csv_agenda_is_one_row_per_item(report):
    rows = _rows(as_csv(report, "agenda"))
    assert rows[0] == ["list", "id", "date", "member", "subject", "kind", "hours", "amount", "currency", "status",
                       "detail", "url"]
    assert [row[0] for row in rows[1:]] == ["dereferencing_candidates", "outdated_signatures", "outdated_signatures",
                                            "alerts", "alerts", "unreviewed_contributions", "unreviewed_contributions",
                                            "pending_requests", "pending_requests"]
    assert rows[5] == ["alerts", "2026-10-12-velocite-conseil", "2026-10-12", "gaelle", "Vélocité Conseil", "", "", "",
                       "", "open", "signed since", "https://velocite-conseil.example.fr/references/vélo-cargo"]
    assert rows[9] == ["pending_requests", "2026-h2-gaelle", "", "gaelle", "Gaëlle Bernard", "", "", "300.00", "EUR",
                       "1/2 approvals", "1 objection", ""]


def test_csv_of_an_empty_period_is_its_header(report):
    empty = _emptied(report)
    for section in SECTIONS:
        assert len(as_csv(empty, section).splitlines()) == 1


def test_csv_unknown_section_names_the_sections(report):
    with pytest.raises(ValueError, match="pool, reciprocity, contributors, split, agenda"):
        as_csv(report, "payouts")


# --- terminal ------------------------------------------------------------------------------------------

def _terminal(report: dict, width: int = 120) -> str:
    console = Console(record=True, width=width, color_system=None)
    print_terminal(report, console)
    return console.export_text()


def test_terminal_has_a_titled_table_per_section(report):
    text = _terminal(report)
    for title in ("Donations by donor", "What each consultant uses", "What each consultant gives back (EUR)",
                  "Ranked by value", "Contributions by kind", "Payouts", "Review agenda", "Pending requests"):
        assert title in text
    payouts = [line.split() for line in text.splitlines() if "Chloé Durand (chloe)" in line and "795.52" in line]
    assert payouts == [["Chloé", "Durand", "(chloe)", "795.52", "0.4017", "23.8333"]]
    assert any(line.split() == ["paid", "1,780.18"] for line in text.splitlines())
    assert any(line.split() == ["distributable", "1,980.45"] for line in text.splitlines())
    assert "uses without" in text and "dormant" in text


def test_terminal_empty_sections_say_so_and_markup_is_not_interpreted(report):
    text = _terminal(_emptied(report))
    for sentence in ("Donations by donor: No donations this period.", "Payouts: Nobody is paid this period.",
                     "No alerts.", "No pending requests."):
        assert sentence in text
    report["pool"]["sources"][0]["name"] = "[bold]Bruno[/bold] [link"
    assert "[bold]Bruno[/bold] [link (bruno)" in _terminal(report, width=160)


# --- HTML ----------------------------------------------------------------------------------------------

class _Page(HTMLParser):
    """Collects tags with their attributes, the ids, and what is inside <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.style = ""
        self._in_style = False
        self._stack: list[str] = []
        self.bars: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "svg":
            self._stack.append(a.get("id", ""))
        if tag == "rect" and "bar" in a.get("class", "").split() and self._stack:
            self.bars[self._stack[-1]] = self.bars.get(self._stack[-1], 0) + 1
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "svg" and self._stack:
            self._stack.pop()
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_html_has_the_sections_charts_and_key_numbers(report):
    text = as_html(report)
    page = _parse(text)
    assert {"pool", "reciprocity", "contributors", "split", "agenda",
            "chart-payouts", "chart-by-member", "chart-by-kind"} <= page.ids
    assert page.bars == {"chart-payouts": 3, "chart-by-member": 5, "chart-by-kind": 4}
    svgs = [a for tag, a in page.tags if tag == "svg"]
    assert all(a.get("role") == "img" and a.get("aria-label") for a in svgs)
    assert text.count("<title>Payouts by member, in EUR</title>") == 1
    for figure in ("€2,200.50", "€1,980.45", "€1,780.18", "€200.27", ">€795.52</text>",
                   ">23.8333 (26 h)</text>", ">27.8333 (37 h)</text>", "<h1>Fabrique des Mobilités</h1>"):
        assert figure in text
    assert '<span class="status takes">uses without giving back</span>' in text
    assert "<tfoot><tr><td>paid</td><td class=\"num\">1,780.18</td>" in text


def test_html_is_standalone_and_printable(report):
    text = as_html(report)
    page = _parse(text)
    resources = [(tag, a) for tag, a in page.tags
                 if tag in ("link", "script", "img", "iframe", "source", "video", "audio", "embed", "object", "image",
                            "use", "input")]
    for tag, attrs in resources:
        for name in ("src", "href", "srcset", "data", "xlink:href"):
            assert not attrs.get(name, "").lower().startswith(("http:", "https:", "//")), (tag, attrs)
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe")]
    assert "url(" not in page.style and "@import" not in page.style
    assert "@media print" in page.style and "break-before: page" in page.style
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    assert links == ["https://trajets-partages.example.org/blog/etude-covoiturage",
                     "https://velocite-conseil.example.fr/references/vélo-cargo"]


def test_html_escapes_every_text(report):
    report["title"] = EVIL
    report["pool"]["sources"][0]["name"] = EVIL
    report["reciprocity"][0]["name"] = EVIL
    report["contributors"][0]["name"] = EVIL
    report["contributions_by_kind"][0]["kind"] = EVIL
    report["agenda"]["alerts"][0]["about"] = EVIL
    report["agenda"]["alerts"][0]["note"] = EVIL
    report["agenda"]["alerts"][1]["evidence"] = 'https://x.example/"onmouseover="alert(1)'
    report["warnings"] = [EVIL]
    text = as_html(report)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'href="https://x.example/&quot;onmouseover=&quot;alert(1)"' in text
    assert not [tag for tag, _ in _parse(text).tags if tag == "script"]


def test_html_key_numbers_and_state(report):
    text = as_html(report)
    assert '<dt>Paid</dt><dd class="figure">€1,780.18</dd><dd class="note">to 3 people</dd>' in text
    assert '<span class="state open">open — the split is a proposal</span>' in text
    report["closed"] = True
    text = as_html(report)
    assert '<span class="state closed">closed</span>' in text and "<h2>Split</h2>" in text
    assert '<dd class="note">to nobody</dd>' in as_html(_emptied(report))


def test_html_does_not_link_other_schemes(report):
    report["agenda"]["alerts"][0]["evidence"] = "javascript:alert(1)"
    text = as_html(report)
    assert 'href="javascript' not in text and "evidence: javascript:alert(1)" in text


def test_html_empty_charts_become_sentences(report):
    text = as_html(_emptied(report))
    page = _parse(text)
    assert page.bars == {} and "<svg" not in text
    assert '<p class="empty" id="chart-payouts">Nobody is paid this period.</p>' in text
    assert '<p class="empty" id="chart-by-member">No counted contributions this period.</p>' in text
    assert '<p class="empty" id="chart-by-kind">No contributions this period.</p>' in text
    for sentence in ("No donations this period.", "No consultants this period.", "No alerts.",
                     "No unreviewed contributions.", "No pending requests."):
        assert f'<p class="empty">{sentence}</p>' in text
    assert {"pool", "reciprocity", "contributors", "split", "agenda"} <= page.ids


# --- in a real browser -----------------------------------------------------------------------------------

def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.skip("no chromium browser: apt-get install chromium to run this test")
    return found


def _browse(browser: str, page: Path, tmp: Path, *action: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *action, page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False)


def _console_problems(stderr: str) -> list[str]:
    """Chromium logs what the page writes to its console as ``...:CONSOLE(line)] "message"`` whatever the
    level, and also SVG attribute errors; the page has no script, so any console line is a problem.
    (Its other ERROR lines, about D-Bus and the GPU, say nothing about the page.)"""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def test_html_in_a_real_browser(report, tmp_path):
    browser = _chromium()
    page = tmp_path / "report.html"
    page.write_text(as_html(report), encoding="utf-8")

    dom = _browse(browser, page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = _parse(dom.stdout)
    assert parsed.bars == {"chart-payouts": 3, "chart-by-member": 5, "chart-by-kind": 4}
    tables = {a.get("id") for tag, a in parsed.tags if tag == "table"}
    assert tables == {"table-pool", "table-reciprocity", "table-contributors", "table-kinds", "table-split"}
    assert {"pool", "reciprocity", "contributors", "split", "agenda"} <= parsed.ids
    assert "Gaëlle Bernard" in dom.stdout and "1,780.18" in dom.stdout
    assert _console_problems(dom.stderr) == []

    shot = tmp_path / "page.png"
    run = _browse(browser, page, tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", "--hide-scrollbars")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console_problems(run.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    assert struct.unpack(">II", data[16:24]) == (1200, 2000)


def test_the_console_check_catches_errors(tmp_path):
    """The browser check above is not vacuous: a script error and a bad SVG attribute are caught."""
    browser = _chromium()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><svg><rect class="bar" width="-5" height="4"/></svg>'
                    "<script>undefinedFunction()</script>", encoding="utf-8")
    run = _browse(browser, page, tmp_path, "--dump-dom")
    problems = _console_problems(run.stderr)
    assert any("Uncaught" in line for line in problems)
    assert any("negative value" in line for line in problems)
