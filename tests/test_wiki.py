"""fab wiki publish / harvest and fab contribute --from-wiki against a real MediaWiki (issue 16)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import mediawiki
from conftest import REPO, Fab

WHY = mediawiki.missing()


@pytest.fixture(scope="session")
def wiki(tmp_path_factory):
    """One MediaWiki for the whole session (about 3 s to make), stopped at the end."""
    if WHY is not None:
        pytest.skip(WHY)
    made = mediawiki.make_wiki(tmp_path_factory.mktemp("mediawiki"))
    yield made
    made.stop()


@pytest.fixture
def site(wiki, tmp_path, monkeypatch, request) -> tuple[Fab, str]:
    """The shipped ledger in a new git repository, its settings naming the test wiki, with page titles of
    this test's own (the wiki is shared by the session); the bot password in the environment."""
    root = tmp_path / "fabrique"
    shutil.copytree(REPO / "ledger", root / "ledger")
    shutil.copy(REPO / "charter.md", root / "charter.md")
    name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)
    prefix = name[:40] + "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    with (root / "ledger/fabrique.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"wiki:\n  api: {wiki.api}\n  pages:\n    report: 'Test {prefix}/Réciprocité/{{period}}'\n"
                       f"    contributors: 'Test {prefix}/Contributeurs'\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "sample"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    monkeypatch.setenv("FAB_WIKI_USER", "FabBot@fab")
    monkeypatch.setenv("FAB_WIKI_PASSWORD", mediawiki.BOT_PASSWORD)
    return Fab(root), f"Test {prefix}"


def one_line_error(result, text: str) -> None:
    """Exit 1, an error line (and its hint), no traceback, nothing on stdout but a diff."""
    assert result.code == 1, (result.out, result.err)
    lines = result.err.splitlines()
    assert lines[0].startswith("error: ") and text in lines[0], result.err
    assert len(lines) <= 2 and all(line.startswith(("error: ", "  hint: ")) for line in lines), result.err
    assert "Traceback" not in result.err + result.out


# --- publishing -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_publish_puts_both_pages_with_every_member_and_amount_then_is_idempotent(site, wiki, lang):
    fab, prefix = site
    report = fab("--lang", lang, "report", "--period", "2026-H1", "--format", "json").json()
    result = fab("--lang", lang, "wiki", "publish", "--period", "2026-H1", "--what", "all")
    assert result.code == 0, result.err
    title, thanks = f"{prefix}/Réciprocité/2026-H1", f"{prefix}/Contributeurs"
    created = "created" if lang == "en" else "page créée :"
    assert result.out.count(created) == 2, result.out
    text = wiki.text(title)
    assert text == fab("--lang", lang, "report", "--period", "2026-H1", "--format", "wiki").out.rstrip()
    assert wiki.text(thanks) == fab("--lang", lang, "contributors", "--format", "wiki").out.rstrip()
    split, pool = report["split"], report["pool"]
    amounts = ([p["amount"] for p in split["payouts"]] + [s["amount"] for s in pool["sources"]] + [pool["donations"]]
               + [split[k] for k in ("paid", "carried_over", "distributable")]
               + [r[k] for r in report["reciprocity"] for k in ("donations", "suggested_donation") if r[k] is not None])
    assert len(amounts) >= 15
    for amount in amounts:
        assert f'data-sort-value="{amount}"' in text, amount
    for row in report["reciprocity"] + report["contributors"]:
        assert f"({row['member']})" in text, row["member"]
    # the summary names the ledger commit; the edit is a bot edit (FabBot is in the bot group)
    head = fab.head()
    (revision,) = wiki.revisions(title)
    assert revision["user"] == "FabBot" and revision["comment"] == f"fab: reciprocity report 2026-H1 from ledger commit {head[:12]}"
    flags = wiki.get(action="query", list="recentchanges", rcprop="title|flags", rcshow="bot", rclimit=500)["query"]["recentchanges"]
    assert title in {c["title"] for c in flags}
    # again, unchanged: no edit, no new revision
    again = fab("--lang", lang, "wiki", "publish", "--period", "2026-H1", "--what", "all")
    assert again.code == 0 and again.out.count("unchanged" if lang == "en" else "page inchangée :") == 2, again.out
    assert len(wiki.revisions(title)) == 1 and len(wiki.revisions(thanks)) == 1


def test_a_page_changed_on_the_wiki_is_not_overwritten_without_force(site, wiki):
    fab, prefix = site
    title = f"{prefix}/Réciprocité/2026-H1"
    assert fab("wiki", "publish", "--period", "2026-H1").code == 0
    alice = wiki.session("AliceMartin", mediawiki.USER_PASSWORD)
    wiki.edit(alice, title, wiki.text(title) + "\n\nA note added on the wiki by Alice.")
    refused = fab("wiki", "publish", "--period", "2026-H1")
    one_line_error(refused, "was changed on the wiki since fab last published it, by AliceMartin (revision")
    assert "-A note added on the wiki by Alice." in refused.out and f"+++ {title} (from the ledger)" in refused.out
    assert wiki.text(title).endswith("A note added on the wiki by Alice.")
    forced = fab("wiki", "publish", "--period", "2026-H1", "--force")
    assert forced.code == 0 and f"updated {title} (revision" in forced.out, forced.err
    assert "A note added" not in wiki.text(title)
    assert [r["user"] for r in wiki.revisions(title)] == ["FabBot", "AliceMartin", "FabBot"]


def test_a_page_fab_never_published_is_not_overwritten_without_force(site, wiki):
    fab, prefix = site
    alice = wiki.session("AliceMartin", mediawiki.USER_PASSWORD)
    wiki.edit(alice, f"{prefix}/Contributeurs", "Our contributors, written by hand.")
    refused = fab("wiki", "publish", "--what", "contributors")
    one_line_error(refused, "exists on the wiki and was not published by fab with this account (last edits: AliceMartin")
    assert wiki.text(f"{prefix}/Contributeurs") == "Our contributors, written by hand."


def test_dry_run_shows_the_diff_and_changes_nothing(site, wiki, monkeypatch):
    fab, prefix = site
    title = f"{prefix}/Réciprocité/2026-H2"
    monkeypatch.delenv("FAB_WIKI_PASSWORD")  # no login needed to look
    first = fab("wiki", "publish", "--period", "2026-H2", "--dry-run")
    assert first.code == 0, first.err
    assert first.out.startswith(f"--- {title} (not on the wiki yet)\n+++ {title} (from the ledger)\n")
    assert first.out.endswith(f"would create {title}\n") and wiki.text(title) is None
    monkeypatch.setenv("FAB_WIKI_PASSWORD", mediawiki.BOT_PASSWORD)
    assert fab("wiki", "publish", "--period", "2026-H2").code == 0
    fab.write("ledger/contributions/2026-H2/2026-11-20-alice-dry-run.yaml",
              "authors: alice\nkind: wiki\ntitle: Dry run page\nhours: 2\ndate: 2026-11-20\n")
    second = fab("wiki", "publish", "--period", "2026-H2", "--dry-run")
    assert second.code == 0 and f"--- {title} (on the wiki, revision " in second.out and second.out.endswith(f"would update {title}\n")
    assert re.search(r"^\+.*Alice Martin \(alice\)", second.out, re.M)
    assert len(wiki.revisions(title)) == 1
    # published for real, a working tree with uncommitted records says so in the summary
    assert fab("wiki", "publish", "--period", "2026-H2").code == 0
    assert wiki.revisions(title)[0]["comment"].endswith(f"{fab.head()[:12]} with uncommitted changes")


# --- what goes wrong ------------------------------------------------------------------------------------

def test_a_wrong_password_is_one_line_and_never_printed(site, wiki, monkeypatch):
    fab, _prefix = site
    monkeypatch.setenv("FAB_WIKI_PASSWORD", "0123456789abcdef0123456789abcdee")
    result = fab("wiki", "publish")
    one_line_error(result, "refused the login of FabBot@fab")
    assert "0123456789abcdef" not in result.out + result.err


def test_a_stopped_wiki_is_one_line(site, wiki):
    fab, _prefix = site
    settings = fab.root / "ledger/fabrique.yaml"
    settings.write_text(settings.read_text().replace(wiki.api, f"http://127.0.0.1:{mediawiki.free_port()}/api.php"))
    started = time.monotonic()
    one_line_error(fab("wiki", "publish", "--retries", "1"), "could not reach the wiki at http://127.0.0.1:")
    one_line_error(fab("wiki", "harvest", "--retries", "0"), "could not reach the wiki at http://127.0.0.1:")
    assert time.monotonic() - started < 20


def test_a_protected_page_and_a_missing_right_are_one_line(site, wiki, monkeypatch):
    fab, prefix = site
    title = f"{prefix}/Réciprocité/2026-H1"
    assert fab("wiki", "publish", "--period", "2026-H1").code == 0
    wiki.php("protect.php", "--user", "Admin", "--reason", "test", title)  # a null revision by Admin: not a change of the text
    fab.write("ledger/contributions/2026-H1/2026-06-20-alice-protected.yaml",
              "authors: alice\nkind: wiki\ntitle: Protected\nhours: 2\ndate: 2026-06-20\n")
    one_line_error(fab("wiki", "publish", "--period", "2026-H1"), f"the wiki refuses to let this account edit '{title}'")
    monkeypatch.setenv("FAB_WIKI_USER", "FabBot@ro")
    monkeypatch.setenv("FAB_WIKI_PASSWORD", mediawiki.READ_ONLY_PASSWORD)
    one_line_error(fab("wiki", "publish", "--period", "2026-H2"), "the wiki account may not edit pages (missing right)")


def test_maxlag_is_sent_and_a_lagged_wiki_is_retried_a_bounded_number_of_times(site, wiki):
    """A maxlag below -1 (a wiki without replicas reports a lag of -1) makes MediaWiki answer 'lagged' every time (Retry-After: 5 s): one retry, then a one-line error."""
    fab, _prefix = site
    started = time.monotonic()
    one_line_error(fab("wiki", "publish", "--maxlag", "-2", "--retries", "1"), "is busy (lagged or failing): gave up after the retries")
    assert 5 <= time.monotonic() - started < 30


def test_credentials_come_from_a_file_outside_the_repository_only(site, wiki, monkeypatch, tmp_path):
    fab, prefix = site
    monkeypatch.delenv("FAB_WIKI_USER")
    monkeypatch.delenv("FAB_WIKI_PASSWORD")
    none = fab("wiki", "publish")
    assert none.code == 2 and none.err.startswith("error: no wiki account: set FAB_WIKI_USER and FAB_WIKI_PASSWORD")
    inside = fab.write("wiki-credentials", f"user: FabBot@fab\npassword: {mediawiki.BOT_PASSWORD}\n")
    refused = fab("wiki", "publish", "--credentials", str(inside))
    assert refused.code == 2 and "is inside the ledger's git repository" in refused.err
    outside = tmp_path / "private" / "wiki"
    outside.parent.mkdir()
    outside.write_text(f"user: FabBot@fab\npassword: {mediawiki.BOT_PASSWORD}\n")
    result = fab("wiki", "publish", "--period", "2026-H1", "--credentials", str(outside))
    assert result.code == 0 and wiki.text(f"{prefix}/Réciprocité/2026-H1") is not None
    assert mediawiki.BOT_PASSWORD not in result.out + result.err


def test_no_wiki_in_the_settings_says_how_to_add_one(fab):
    result = fab("wiki", "publish")
    assert result.code == 1 and result.err.splitlines()[0] == "error: the settings name no wiki"


# --- sortable tables, as MediaWiki renders them ------------------------------------------------------

def test_french_tables_carry_the_plain_value_of_every_amount_in_the_rendered_html(site, wiki):
    fab, prefix = site
    report = fab("report", "--period", "2026-H1", "--format", "json").json()
    assert fab("--lang", "fr", "wiki", "publish", "--period", "2026-H1").code == 0
    html = wiki.html(f"{prefix}/Réciprocité/2026-H1")
    assert html.count('class="wikitable sortable') >= 5
    cells = re.findall(r'<td data-sort-value="([^"]*)" style="text-align:right">([^<]*)', html)
    shown = {value: text.strip() for value, text in cells}
    for payout in report["split"]["payouts"]:
        value = payout["amount"]
        assert value in shown and Decimal(value) == Decimal(shown[value].replace("\u202f", "").replace("\xa0", "").replace(",", ".")), (value, shown.get(value))
    # every right-aligned (number) cell of the page carries a plain value: digits, a point, a minus, or empty
    numbers = re.findall(r'<td([^>]*)style="text-align:right">', html)
    assert numbers and all(re.fullmatch(r' data-sort-value="(-?[0-9]+(\.[0-9]+)?)?" ', attrs) for attrs in numbers), set(numbers)
    # dates sort by their ISO day, "—" as empty
    assert re.search(r'<td data-sort-value="2026-0[1-6]-[0-9]{2}">[0-9]{1,2} [a-zéû]+\.? 2026', html)
    assert '<td data-sort-value="">—' in html or '<td data-sort-value="">non signée' in html


def test_french_tables_sort_by_value_in_a_browser_with_the_wikis_own_sorter(site, wiki, tmp_path):
    """The page viewed in French (uselang=fr) in headless Chromium: a site script (tests/mediawiki_sort.js) clicks
    the header of every column whose cells carry data-sort-value, with MediaWiki's own jquery.tablesorter,
    and writes each resulting order; every one is ascending by value ('—' first, as empty), where the French
    text would sort '1 500,00' before '450,00'."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium browser: apt-get install chromium to run this test")
    fab, prefix = site
    title = f"{prefix}/Réciprocité/2026-H1"
    assert fab("--lang", "fr", "wiki", "publish", "--period", "2026-H1", "--what", "all").code == 0
    wiki.edit_as_admin("MediaWiki:Common.js", (Path(__file__).parent / "mediawiki_sort.js").read_text())
    orders = []
    for page in (title,):
        run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                              "--virtual-time-budget=30000", "--dump-dom", f"http://127.0.0.1:{wiki.port}/index.php?title={page}&uselang=fr"],
                             capture_output=True, text=True, timeout=180)
        found = re.search(r'<pre id="fab-sorted">(.*?)</pre>', run.stdout, re.S)
        assert found, run.stderr[-2000:]
        orders.append(json.loads(found.group(1).replace("&quot;", '"')))
    (report,) = orders
    assert len(report) >= 15
    for order in report:
        values = order["values"]
        empty = [v for v in values if v == ""]
        assert values[:len(empty)] == empty, order
        filled = values[len(empty):]
        key = (lambda v: v) if all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v) for v in filled) else Decimal
        assert filled == sorted(filled, key=key), order
    donations = next(o for o in report if o["table"] == 1 and o["column"] == 5)
    assert donations["values"] == ["0.00", "450.00", "800.00", "1500.00"]


def test_contributors_user_links_are_escaped_titles(site, wiki):
    fab, prefix = site
    for handle, old, new in (("alice", "AliceMartin", "\"O'Brien & Co\""), ("chloe", "ChloeDurand", "\"Chloé {{PAGENAME}} ~~~~\"")):
        member = fab.root / f"ledger/members/{handle}.yaml"
        member.write_text(member.read_text().replace(f"wiki_user: {old}", f"wiki_user: {new}"))
    assert fab("wiki", "publish", "--what", "contributors").code == 0
    html = wiki.html(f"{prefix}/Contributeurs")
    assert re.search(r'<a href="[^"]*User:O%27Brien_%26_Co[^"]*" class="new" title="User:O&#39;Brien &amp; Co \(page does not exist\)">O\'Brien &amp; Co</a>', html), html
    assert "<td>Chloé &#123;&#123;PAGENAME&#125;&#125; &#126;&#126;&#126;&#126;</td>" in html  # not a title: shown, not linked


# --- harvest and contribute --from-wiki ----------------------------------------------------------------

def test_harvest_lists_pages_no_contribution_records_and_from_wiki_records_one(site, wiki, monkeypatch):
    fab, prefix = site
    today = date.today()
    monkeypatch.setenv("FAB_TODAY", today.isoformat())  # the wiki's edits are made now
    alice = wiki.session("AliceMartin", mediawiki.USER_PASSWORD)
    one, two = f"{prefix} Vélos partagés", f"{prefix} Covoiturage solidaire"
    wiki.edit(alice, one, "Une page sur les vélos partagés.")
    last = wiki.edit(alice, one, "Une page sur les vélos partagés, complétée.")
    wiki.edit(alice, two, "Une page sur le covoiturage.")
    fab.write(f"ledger/contributions/{_period(today)}/{today}-alice-covoiturage.yaml",
              f"authors: alice\nkind: wiki\ntitle: Covoiturage\nhours: 2\ndate: {today}\n"
              f"url: http://127.0.0.1:{wiki.port}/index.php?title={two.replace(' ', '_')}\n")
    data = fab("wiki", "harvest", "--member", "alice", "--format", "json").json()
    assert [p for p in data["pages"] if p["title"].startswith(prefix)] == [{"member": "alice", "wiki_user": "AliceMartin", "title": one, "edits": 2,
                              "bytes_added": len("Une page sur les vélos partagés, complétée.".encode()), "first": today.isoformat(),
                              "last": today.isoformat(), "link": f"http://127.0.0.1:{wiki.port}/index.php?title={one.replace(' ', '_').replace('é', '%C3%A9')}&oldid={last}"}]
    text = fab("wiki", "harvest")  # the wiki is shared by the session's tests: AliceMartin edited other pages too
    assert text.code == 0 and re.search(f"^alice \\(AliceMartin\\): [0-9]+ wiki pages? edited in {_period(today)} that no contribution records$", text.out, re.M)
    assert f"\n  {one}: 2 edits, +47 bytes, " in text.out and f"\n  {two}:" not in text.out
    assert "bruno (BrunoLefevre): 0 wiki pages" in text.out
    recorded = fab("contribute", "--from-wiki", one, "--by", "alice", "--hours", "3")
    assert recorded.code == 0, recorded.err
    path = fab.root / fab.git("show", "--name-only", "--format=", "HEAD").strip()
    assert f"kind: wiki\ntitle: {one}\nhours: 3\ndate: {today}\nurl: http://127.0.0.1:{wiki.port}/index.php?title=" in path.read_text()
    assert fab("check").code == 0
    assert not [p for p in fab("wiki", "harvest", "--member", "alice", "--format", "json").json()["pages"] if p["title"].startswith(prefix)]


def test_from_wiki_refuses_a_page_the_member_never_edited(site, wiki):
    fab, prefix = site
    result = fab("contribute", "--from-wiki", f"{prefix} nowhere", "--by", "alice", "--hours", "3")
    one_line_error(result, f"AliceMartin has no edit of the page '{prefix} nowhere' on the wiki")


def _period(day: date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"
