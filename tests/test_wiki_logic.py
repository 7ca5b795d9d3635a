"""The pure logic of fab wiki (issue 16), without a wiki: when to publish, which pages a contribution
covers, what harvest keeps.  The real wiki is in tests/test_wiki.py."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from fabrique_ledger.ledger import Ledger
from fabrique_ledger.periods import Period
from fabrique_ledger.records import Contribution, Member, Source
from fabrique_ledger.settings import Settings
from fabrique_ledger.wiki import (
    Edit,
    PageNow,
    Revision,
    WikiSettings,
    account_name,
    decide,
    harvest,
    page_title,
    permanent_link,
    summary,
    title_in_url,
)

API = "https://wiki.example.org/w/api.php"


def rev(revid: int, user: str, comment: str = "by hand") -> Revision:
    return Revision(revid, user, comment, "2026-03-01T10:00:00Z")


@pytest.mark.parametrize("now, action, others", [
    (PageNow("P", None), "create", []),
    (PageNow("P", "new text\n\n", (rev(3, "Alice"),)), "unchanged", []),  # MediaWiki drops trailing white space
    (PageNow("P", "old", (rev(2, "FabBot", "fab: report"), rev(1, "Alice"))), "update", []),
    (PageNow("P", "old, edited", (rev(3, "Alice"), rev(2, "FabBot", "fab: report"), rev(1, "Bob"))), "conflict", [3]),
    (PageNow("P", "written by hand", (rev(2, "Alice"), rev(1, "Bob"))), "conflict", [2, 1]),
    (PageNow("P", "old", (rev(3, "FabBot", "not by fab"), rev(2, "Alice"))), "conflict", [3, 2]),  # the account, by hand
    (PageNow("P", "old", (rev(3, "Admin", "Protected"), rev(2, "FabBot", "fab: report")), published="old"), "update", []),
])
def test_decide(now, action, others):
    decision = decide(now, "new text", "FabBot")
    assert (decision.action, [r.revid for r in decision.others]) == (action, others)


def test_a_page_never_published_by_fab_says_so():
    assert decide(PageNow("P", "x", (rev(1, "Alice"),)), "y", "FabBot").never_published
    assert not decide(PageNow("P", "x", (rev(2, "Alice"), rev(1, "FabBot", "fab: r"))), "y", "FabBot").never_published


def test_names_titles_links_and_summaries():
    assert account_name("fabBot@fab") == "FabBot" and account_name("Fab_Bot") == "Fab Bot"
    settings = WikiSettings(api=API)
    assert page_title(settings, "report", Period.parse("2026-H1")) == "Réciprocité/2026-H1"
    assert page_title(settings, "contributors", Period.parse("2026-H1")) == "Contributeurs"
    assert permanent_link(API, "Vélos partagés", 57) == "https://wiki.example.org/w/index.php?title=V%C3%A9los_partag%C3%A9s&oldid=57"
    assert summary("report", Period.parse("2026-H1"), "3e6076df65c1aa", False) == "fab: reciprocity report 2026-H1 from ledger commit 3e6076df65c1"
    assert summary("contributors", Period.parse("2026-H1"), None, True) == "fab: contributors' page (2026-H1) from a ledger outside git with uncommitted changes"


@pytest.mark.parametrize("url, title", [
    ("https://wiki.lafabriquedesmobilites.fr/wiki/Covoiturage_rural", "Covoiturage rural"),
    ("https://wiki.example.org/index.php/Atelier_v%C3%A9lo-cargo_2026", "Atelier vélo-cargo 2026"),
    ("https://wiki.example.org/w/index.php?title=v%C3%A9los_partag%C3%A9s&oldid=57", "Vélos partagés"),
    ("https://github.com/fabmob/gtfs", None),
])
def test_title_in_url(url, title):
    assert title_in_url(url) == title


@pytest.mark.parametrize("bad", [{"api": "ftp://wiki.example.org/api.php"}, {"api": "https://wiki example/api.php"},
                                 {"api": API, "pages": {"report": "Réciprocité/[[{period}]]"}},
                                 {"api": API, "pages": {"report": "R", "extra": "x"}}])
def test_wiki_settings_refuse_what_cannot_work(bad):
    with pytest.raises(ValidationError):
        Settings(wiki=bad)


def test_harvest_groups_edits_by_page_and_skips_pages_recorded_by_url_or_wiki_title():
    src = Source("ledger/x.yaml", 1)
    ledger = Ledger(records=(
        Member(id="alice", source=src, name="Alice", roles=("contributor",), joined=date(2026, 1, 1), wiki_user="AliceM"),
        Contribution(id="c1", source=src, authors="alice", kind="code", title="Loader", hours=2, date=date(2026, 2, 1),
                     url="https://wiki.example.org/wiki/Recorded_by_url"),
        Contribution(id="c2", source=src, authors="alice", kind="wiki", title="recorded by title", hours=2, date=date(2026, 2, 1)),
        Contribution(id="c3", source=src, authors="bruno", kind="wiki", title="Someone else's", hours=2, date=date(2026, 2, 1)),
    ))
    edits = [Edit("Recorded by url", 1, date(2026, 2, 1), 100), Edit("Recorded_by_title", 2, date(2026, 2, 2), 100),
             Edit("Someone else's", 5, date(2026, 3, 9), -20), Edit("Someone else's", 4, date(2026, 3, 2), 300)]
    (found,) = harvest(ledger, API, "alice", "AliceM", edits)
    assert found.as_dict() == {"member": "alice", "wiki_user": "AliceM", "title": "Someone else's", "edits": 2,
                               "bytes_added": 300, "first": "2026-03-02", "last": "2026-03-09",
                               "link": "https://wiki.example.org/w/index.php?title=Someone_else%27s&oldid=5"}
