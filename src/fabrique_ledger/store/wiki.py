"""The commons' MediaWiki through its Action API (issue 16): the only code that talks to a wiki.

Built on mwclient (a small, maintained Action API client: login with a bot password, edit tokens, base
timestamps against edit conflicts, continuation of lists, and bounded retries of connection errors,
server errors and ``maxlag`` answers). Every failure becomes one ``WikiError`` with a one-line message and
a hint, worded for the person running fab: the command line never shows a traceback or a password.

Credentials come from FAB_WIKI_USER / FAB_WIKI_PASSWORD, or from a file outside the ledger's repository
(``user: Name@app`` and ``password: ...`` lines): never from the ledger, never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ..i18n import _
from ..problems import FabError
from ..wiki import MARK, Edit, PageNow, Revision, account_name

USER_AGENT = "fab (the reciprocity ledger of a commons; https://github.com/fabmob) mwclient"
REVISIONS = 50  # how far back a page's history is read to find fab's last publication


class WikiError(FabError):
    """A one-line reason and a hint (fab's one error type); ``code`` is the exit code (1: the wiki or the
    account, 2: a usage error, like a missing account)."""

    def __init__(self, message: str, hint: str | None = None, code: int = 1) -> None:
        super().__init__(message, hint or "", usage=code == 2)
        self.code = code


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never shown, not even in a debugger's or a log's repr
        return f"Credentials(user={self.user!r}, password=***)"


def credentials(file: Path | None, ledger_root: Path, needed: bool = True) -> Credentials | None:
    """The bot password: from ``file`` (outside the ledger's repository) or FAB_WIKI_USER / FAB_WIKI_PASSWORD."""
    if file is not None:
        return _from_file(file, ledger_root)
    user, password = os.environ.get("FAB_WIKI_USER", "").strip(), os.environ.get("FAB_WIKI_PASSWORD", "")
    if user and password:
        return Credentials(user, password)
    if not needed:
        return None
    raise WikiError(_("no wiki account: set FAB_WIKI_USER and FAB_WIKI_PASSWORD, or give --credentials FILE"),
                    _("create a bot password on the wiki (Special:BotPasswords), then  export FAB_WIKI_USER='Name@fab' FAB_WIKI_PASSWORD='...'"), 2)


def login_name() -> str | None:
    """FAB_WIKI_USER, when set (a dry run tells fab's revisions by it without logging in)."""
    return os.environ.get("FAB_WIKI_USER", "").strip() or None


def _from_file(file: Path, ledger_root: Path) -> Credentials:
    from .payees import inside_repository

    area = inside_repository(file, ledger_root)
    if area is not None:
        raise WikiError(_("--credentials: {file} is inside the ledger's git repository ({area}); a password must never be committed").format(file=file, area=area),
                        _("keep it outside the repository, like  --credentials ~/.config/fab/wiki"), 2)
    try:
        lines = Path(file).expanduser().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise WikiError(_("could not read --credentials {file}: {reason}").format(file=file, reason=getattr(error, "strerror", None) or error), code=2) from None
    values = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("user", "password"):
            values[key.strip()] = value.strip()
    if not values.get("user") or not values.get("password"):
        raise WikiError(_("--credentials {file} must hold a line 'user: Name@app' and a line 'password: ...'").format(file=file), code=2)
    return Credentials(values["user"], values["password"])


class Wiki:
    """One wiki, logged in or not; every call answers fab's types or raises WikiError."""

    def __init__(self, api: str, login: Credentials | None, retries: int = 2, maxlag: int = 5) -> None:
        import mwclient

        self.api, self.maxlag = api, maxlag
        parts = urlsplit(api)
        path = parts.path.rsplit("/", 1)[0] + "/"
        with _errors(api, login):
            self.site = mwclient.Site(parts.netloc, path=path, scheme=parts.scheme, max_retries=retries,
                                      retry_timeout=2, clients_useragent=USER_AGENT, connection_options={"timeout": 30})
            if login is not None:
                self.site.login(login.user, login.password)
        self.account = account_name(login.user) if login is not None else None

    @property
    def may_flag_bot(self) -> bool:
        """Whether edits can be marked as bot edits: the account holds the ``bot`` right."""
        return "bot" in getattr(self.site, "rights", ())

    def page(self, title: str, account: str | None) -> PageNow:
        """The page now, its recent history, and the text fab last published on it with ``account``."""
        with _errors(self.api, None):
            answer = self.site.api("query", prop="revisions", titles=title, rvprop="ids|user|comment|timestamp|content",
                                   rvslots="main", rvlimit=1, maxlag=self.maxlag, formatversion=2)
            page = answer["query"]["pages"][0]
            if page.get("missing") or page.get("invalid"):
                if page.get("invalid"):
                    raise WikiError(_("'{title}' cannot be a page title on this wiki: {reason}").format(title=title, reason=page.get("invalidreason", "")),
                                    _("change wiki.pages in ledger/fabrique.yaml"))
                return PageNow(title, None)
            text = page["revisions"][0]["slots"]["main"]["content"]
            history = self.site.api("query", prop="revisions", titles=title, rvprop="ids|user|comment|timestamp",
                                    rvlimit=REVISIONS, maxlag=self.maxlag, formatversion=2)["query"]["pages"][0]
        revisions = tuple(Revision(r["revid"], r.get("user", ""), r.get("comment", ""), r["timestamp"])
                          for r in history.get("revisions", []))
        return PageNow(title, text, revisions, self._published(title, account) if account else None)

    def _published(self, title: str, account: str) -> str | None:
        with _errors(self.api, None):
            mine = self.site.api("query", prop="revisions", titles=title, rvuser=account, rvprop="ids|comment|content",
                                 rvslots="main", rvlimit=REVISIONS, maxlag=self.maxlag, formatversion=2)["query"]["pages"][0]
        for revision in mine.get("revisions", []):
            if revision.get("comment", "").startswith(MARK):
                return revision["slots"]["main"]["content"]
        return None

    def save(self, title: str, text: str, summary: str) -> int | None:
        """Edit the page (a bot edit when the account may); the new revision id, None when nothing changed."""
        with _errors(self.api, None, title):
            page = self.site.pages[title]
            answer = page.edit(text, summary=summary, bot=self.may_flag_bot, maxlag=self.maxlag)
        return answer.get("newrevid")

    def edits(self, user: str, start: date, end: date) -> list[Edit]:
        """``user``'s edits between two days (included), from the wiki's usercontribs."""
        with _errors(self.api, None):
            found = self.site.usercontributions(user, start=f"{start.isoformat()}T00:00:00Z", end=f"{end.isoformat()}T23:59:59Z",
                                                dir="newer", prop="ids|title|timestamp|sizediff")
            return [Edit(c["title"], int(c["revid"]), _day(c["timestamp"]), int(c.get("sizediff", 0))) for c in found]

    def last_edit(self, title: str, user: str) -> Edit | None:
        """``user``'s newest revision of the page ``title`` (None when they never edited it, or no such page)."""
        with _errors(self.api, None):
            page = self.site.api("query", prop="revisions", titles=title, rvuser=user, rvlimit=1, rvprop="ids|timestamp|size",
                                 maxlag=self.maxlag, formatversion=2)["query"]["pages"][0]
        revisions = page.get("revisions") or []
        if not revisions:
            return None
        return Edit(page["title"], int(revisions[0]["revid"]), _day(revisions[0]["timestamp"]), 0)


def _day(stamp) -> date:
    """mwclient gives a time.struct_time (UTC); the API a 2026-03-01T10:00:00Z string."""
    if isinstance(stamp, str):
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
    return datetime(*stamp[:6], tzinfo=timezone.utc).date()


class _errors:
    """Turns what mwclient and requests raise into one WikiError each, worded for the user."""

    def __init__(self, api: str, login: Credentials | None, title: str | None = None) -> None:
        self.api, self.login, self.title = api, login, title

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _trace) -> bool:
        if error is None or isinstance(error, WikiError):
            return False
        found = _explain(error, self.api, self.login, self.title)
        if found is None:
            return False
        raise found from None


def _explain(error: BaseException, api: str, login: Credentials | None, title: str | None) -> WikiError | None:
    import requests
    from mwclient import errors

    if isinstance(error, errors.LoginError):
        user = login.user if login else "?"
        return WikiError(_("the wiki at {api} refused the login of {user}: {reason}").format(api=api, user=user, reason=error.info or error.code),
                         _("check FAB_WIKI_USER (Name@app, as Special:BotPasswords shows it) and FAB_WIKI_PASSWORD"))
    if isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return WikiError(_("could not reach the wiki at {api}").format(api=api),
                         _("check wiki.api in ledger/fabrique.yaml and your network, then try again"))
    if isinstance(error, errors.MaximumRetriesExceeded):
        return WikiError(_("the wiki at {api} is busy (lagged or failing): gave up after the retries").format(api=api),
                         _("try again later, or raise --retries"))
    if isinstance(error, errors.ProtectedPageError) and (error.code is not None or _protected(error.page)):
        return WikiError(_("the wiki refuses to let this account edit '{title}': {reason}").format(title=title, reason=error.info or _("the page is protected")),
                         _("ask a wiki administrator to lift the protection or to give the account the right to edit it"))
    if isinstance(error, (errors.AssertUserFailedError, errors.InsufficientPermission)):
        return WikiError(_("the wiki account may not edit pages (missing right)"),
                         _("give the bot password the grants 'Edit existing pages' and 'Create, edit, and move pages'"))
    if isinstance(error, errors.EditError):
        return WikiError(_("the wiki refused the edit of '{title}': {reason}").format(title=title, reason=_reason(error)),
                         _("run fab wiki publish again: it compares with the page as it is now"))
    if isinstance(error, errors.APIError):
        return _api_error(error, api, title)
    if isinstance(error, (requests.exceptions.RequestException, errors.MwClientError, ValueError, KeyError)):
        return WikiError(_("the wiki at {api} gave an answer fab does not understand: {reason}").format(api=api, reason=_reason(error)),
                         _("check that wiki.api in ledger/fabrique.yaml is the address of the wiki's api.php"))
    return None


def _protected(page) -> bool:
    """Whether the page is protected against edits (mwclient refuses before asking when the account lacks the level)."""
    return bool(getattr(page, "protection", {}).get("edit"))


def _api_error(error, api: str, title: str | None) -> WikiError:
    if error.code in ("permissiondenied", "writeapidenied", "noedit", "mwoauth-invalid-authorization", "readapidenied"):
        return WikiError(_("the wiki account lacks a right: {reason}").format(reason=error.info),
                         _("give the bot password the grants 'Edit existing pages' and 'Create, edit, and move pages'"))
    if error.code == "maxlag":
        return WikiError(_("the wiki at {api} is busy (lagged or failing): gave up after the retries").format(api=api),
                         _("try again later, or raise --retries"))
    return WikiError(_("the wiki at {api} answered {code}: {reason}").format(api=api, code=error.code, reason=error.info),
                     _("see the wiki's API documentation for this code"))


def _reason(error: BaseException) -> str:
    return " ".join(str(part) for part in getattr(error, "args", ()) if isinstance(part, str)) or type(error).__name__
