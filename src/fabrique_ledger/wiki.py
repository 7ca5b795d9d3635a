"""The commons' MediaWiki (issue 16): what ``fab wiki publish`` puts where, whether it may, and what
``fab wiki harvest`` finds in members' wiki edits.  Pure logic: the pages' text comes from ``render``, the
wiki's answers from ``store.wiki``; nothing here talks to a wiki, reads a file or prints.

Why a page "changed since fab last published it" is told from the page's own history (the newest
revision by the publishing account whose summary starts with ``fab:``) rather than from a file kept by
fab: the history is the truth every publisher sees, from any machine, and nothing is written to the ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, field_validator

from .i18n import _
from .periods import Period
from .records import Contribution, Text

if TYPE_CHECKING:  # settings.py imports this module, and ledger.py imports settings.py
    from .ledger import Ledger

MARK = "fab:"  # every edit summary fab writes starts with it: how fab knows its own revisions
WHAT = ("report", "contributors")
_NOT_IN_TITLE = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")


class WikiPages(BaseModel):
    """Titles of the pages fab publishes; ``{period}`` is replaced by the period id."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    report: Text = "Réciprocité/{period}"
    contributors: Text = "Contributeurs"

    @field_validator("report", "contributors")
    @classmethod
    def _title(cls, value: str) -> str:
        if _NOT_IN_TITLE.search(value.replace("{period}", "")):
            raise ValueError(_("a page title cannot hold # < > [ ] | { } or control characters, but {period}"))
        return value


class WikiSettings(BaseModel):
    """``wiki:`` in ledger/fabrique.yaml: the wiki's Action API address and the pages' titles."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    api: Text
    pages: WikiPages = WikiPages()

    @field_validator("api")
    @classmethod
    def _api(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(_("the wiki's api must be the address of its api.php, like https://wiki.example.org/api.php"))
        return value


def page_title(settings: WikiSettings, what: str, period: Period) -> str:
    """The title of the page ``what`` (report or contributors) for ``period``."""
    return getattr(settings.pages, what).replace("{period}", str(period))


def index_url(api: str) -> str:
    """index.php next to api.php: where permanent links point."""
    return api[: -len("api.php")] + "index.php" if api.endswith("api.php") else api.rstrip("/") + "/index.php"


def permanent_link(api: str, title: str, revid: int) -> str:
    """A link to one revision of a page, which names the page (so that harvest can match it later)."""
    return f"{index_url(api)}?title={quote(title.replace(' ', '_'), safe='/:,()!~')}&oldid={revid}"


# --- publishing ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Revision:
    revid: int
    user: str
    comment: str
    timestamp: str


@dataclass(frozen=True)
class PageNow:
    """A page as the wiki has it: its text (None when it does not exist) and its newest revisions first."""

    title: str
    text: str | None
    revisions: tuple[Revision, ...] = ()
    published: str | None = None  # the text of fab's last publication (its newest ``fab:`` revision), if any


@dataclass(frozen=True)
class Decision:
    """What publishing a page does: ``create``, ``unchanged`` (no edit), ``update``, or ``conflict`` (the page
    was changed by someone else since fab last published it: ``others`` are their revisions)."""

    action: Literal["create", "unchanged", "update", "conflict"]
    others: tuple[Revision, ...] = ()
    never_published: bool = False


def account_name(login: str) -> str:
    """The user a bot password acts as: 'FabBot@fab' -> 'FabBot' (MediaWiki's first letter is upper case)."""
    name = login.split("@", 1)[0].replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def same_text(old: str | None, new: str) -> bool:
    """MediaWiki drops trailing white space when it saves: equal but for it is equal."""
    return old is not None and old.rstrip() == new.rstrip()


def decide(now: PageNow, text: str, account: str) -> Decision:
    """Whether to create, leave, update the page, or refuse (without --force) because someone changed it."""
    if now.text is None:
        return Decision("create")
    if same_text(now.text, text):
        return Decision("unchanged")
    if now.published is not None and same_text(now.text, now.published):
        return Decision("update")  # later revisions left the text as fab published it (a protection, a move)
    others: list[Revision] = []
    for revision in now.revisions:
        if is_fabs(revision, account):
            return Decision("conflict", tuple(others)) if others else Decision("update")
        others.append(revision)
    return Decision("conflict", tuple(others), never_published=now.published is None)


def is_fabs(revision: Revision, account: str) -> bool:
    """A revision fab published with this account."""
    return revision.user == account and revision.comment.startswith(MARK)


def summary(what: str, period: Period, commit: str | None, uncommitted: bool) -> str:
    """The edit summary: starts with ``fab:`` and names the ledger commit the page was made from."""
    page = f"reciprocity report {period}" if what == "report" else f"contributors' page ({period})"
    source = f"ledger commit {commit[:12]}" if commit else "a ledger outside git"
    return f"{MARK} {page} from {source}" + (" with uncommitted changes" if uncommitted else "")


# --- harvesting ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Edit:
    """One revision from the wiki's usercontribs: the page, the revision, its day and its size change."""

    title: str
    revid: int
    day: date
    sizediff: int


@dataclass(frozen=True)
class Harvested:
    """The edits of one member on one page that no contribution record covers yet."""

    member: str
    wiki_user: str
    title: str
    edits: int
    added: int
    first: date
    last: date
    link: str

    def as_dict(self) -> dict:
        return {"member": self.member, "wiki_user": self.wiki_user, "title": self.title, "edits": self.edits,
                "bytes_added": self.added, "first": self.first.isoformat(), "last": self.last.isoformat(),
                "link": self.link}


def page_key(title: str) -> str:
    """A page title as MediaWiki compares them: '_' is a space, spaces collapse, the first letter is upper case."""
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def title_in_url(url: str) -> str | None:
    """The page a wiki address names: ``?title=Page``, ``/wiki/Page`` or ``/index.php/Page``; else None."""
    parts = urlsplit(url)
    titles = parse_qs(parts.query).get("title")
    if titles:
        return page_key(titles[0])
    for marker in ("/wiki/", "/index.php/"):
        if marker in parts.path:
            return page_key(unquote(parts.path.split(marker, 1)[1])) or None
    return None


def covered_pages(ledger: Ledger, member: str) -> set[str]:
    """Pages a contribution of ``member`` already records: by its url, or by its title for kind wiki."""
    pages = set()
    for record in ledger.of(Contribution):
        if not any(author.member == member for author in record.authors):
            continue
        if record.url and (title := title_in_url(record.url)):
            pages.add(title)
        if record.kind == "wiki":
            pages.add(page_key(record.title))
    return pages


def wiki_users(ledger: Ledger, member: str | None) -> dict[str, str]:
    """Handle -> wiki user name of the members who gave one (only ``member`` when given)."""
    return {handle: m.wiki_user for handle, m in sorted(ledger.members.items())
            if m.wiki_user and (member is None or handle == member)}


def harvest(ledger: Ledger, api: str, member: str, wiki_user: str, edits: list[Edit]) -> list[Harvested]:
    """The pages ``member`` edited (``edits``, any order) that none of their contributions covers, by title."""
    covered, by_page = covered_pages(ledger, member), {}
    for edit in edits:
        by_page.setdefault(page_key(edit.title), []).append(edit)
    found = []
    for title, page_edits in sorted(by_page.items()):
        if title in covered:
            continue
        last = max(page_edits, key=lambda e: e.revid)
        found.append(Harvested(member, wiki_user, title, len(page_edits), sum(max(e.sizediff, 0) for e in page_edits),
                               min(e.day for e in page_edits), last.day, permanent_link(api, title, last.revid)))
    return found


@dataclass(frozen=True)
class FromWiki:
    """What ``fab contribute --from-wiki PAGE`` records: kind wiki, the page's title, a permanent link to the
    member's last revision of it, and its day (hours stay declared by the member)."""

    title: str
    url: str
    day: date


def from_wiki(api: str, edit: Edit) -> FromWiki:
    """The contribution fields from the member's last ``edit`` of a page."""
    title = page_key(edit.title)
    return FromWiki(title, permanent_link(api, title, edit.revid), edit.day)
