"""``fab wiki publish`` and ``fab wiki harvest``: the reciprocity pages on the commons' MediaWiki, and the
wiki edits of members that no contribution records yet (issue 16).  Thin: the pages come from report /
contributors and render, the decisions from ``wiki``, the wiki's answers from ``store.wiki``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import _
from .app import app
from .common import LedgerOpt, echo, emit, fail, load, usage
from .options import TextOrJson

wiki_app = typer.Typer(help=_("The commons' MediaWiki: publish the reciprocity pages, harvest members' wiki edits."),
                       no_args_is_help=True)
app.add_typer(wiki_app, name="wiki")

CredentialsOpt = Annotated[Optional[Path], typer.Option(
    "--credentials", help=_("A file outside the repository with 'user: Name@app' and 'password: ...' lines (default: FAB_WIKI_USER and FAB_WIKI_PASSWORD). Example: --credentials ~/.config/fab/wiki"))]
RetriesOpt = Annotated[int, typer.Option(
    "--retries", min=0, max=10, help=_("How many times to retry when the wiki is unreachable, failing or lagged. Example: --retries 5"))]
MaxlagOpt = Annotated[int, typer.Option(
    "--maxlag", help=_("Ask the wiki to refuse (and fab to wait and retry) while its database lags more than this many seconds. Example: --maxlag 5"))]
PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help=_("The period (default: today's). Example: --period 2026-H1"))]


@wiki_app.command()
def publish(
    period: PeriodOpt = None,
    what: Annotated[str, typer.Option(help=_("report, contributors or all. Example: --what all"))] = "report",
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would change on the wiki (a diff against the page as it is now), change nothing."))] = False,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite a page that someone changed on the wiki since fab last published it."))] = False,
    credentials: CredentialsOpt = None, retries: RetriesOpt = 2, maxlag: MaxlagOpt = 5,
    ledger: LedgerOpt = None,
) -> None:
    """Publish the reciprocity page of a period (and the contributors' page) on the wiki of the settings.

    An unchanged page is not edited; a page changed on the wiki since fab last published it needs --force.

    Example: fab wiki publish --period 2026-H1 --what all --dry-run
    """
    from .. import wiki as core
    from ..render import wiki as render
    from ..store.git import head_sha, uncommitted
    from ..store.wiki import login_name
    from .coremuneration import parse_period

    if what not in ("report", "contributors", "all"):
        usage(_("unknown page '{what}' (choose report, contributors or all)").format(what=what), "--what")
    root, current = load(ledger, quiet=True)
    settings = _settings(current)
    chosen = parse_period(period, current)
    pages = [(w, core.page_title(settings, w, chosen), _page_text(current, w, chosen)) for w in core.WHAT if what in (w, "all")]
    site, login = _connect(settings.api, credentials, root, retries, maxlag, needed=not dry_run)
    named = login.user if login else login_name()  # a dry run needs no password, but knows whose edits are fab's
    account = core.account_name(named) if named else None
    commit, dirty = head_sha(root), bool(uncommitted(root))
    refused = []
    for key, title, text in pages:
        now = _call(site.page, title, account)
        decision = core.decide(now, text, account or "")
        if dry_run or decision.action == "conflict":
            echo(render.diff(now, text), nl=False)
        if decision.action == "conflict" and not (force or dry_run):
            refused.append(render.refusal(title, decision))
            continue
        revid = None
        if not dry_run and decision.action != "unchanged":
            revid = _call(site.save, title, text, core.summary(key, chosen, commit, dirty))
        echo(render.outcome(title, decision, revid, dry_run))
    if refused:
        fail("; ".join(refused), _("the diff above is what publishing would change; to overwrite their changes: fab wiki publish --force"))


@wiki_app.command()
def harvest(
    period: PeriodOpt = None,
    member: Annotated[Optional[str], typer.Option("--member", help=_("Only this member. Example: --member alice"))] = None,
    format: TextOrJson = "text",
    credentials: CredentialsOpt = None, retries: RetriesOpt = 2, maxlag: MaxlagOpt = 5,
    ledger: LedgerOpt = None,
) -> None:
    """The wiki pages members (with a wiki_user) edited in a period that no contribution of theirs records.

    Example: fab wiki harvest --period 2026-H1 --member alice
    Example: fab contribute --from-wiki "Covoiturage rural" --by alice --hours 3
    """
    from .. import wiki as core
    from ..render.formats import as_json
    from ..render.wiki import harvest_text
    from .coremuneration import parse_period

    root, current = load(ledger, quiet=True)
    settings = _settings(current)
    chosen = parse_period(period, current)
    if member is not None and member not in current.members:
        fail(_("no member '{member}' in the ledger").format(member=member), _("see them with: fab member list"))
    users = core.wiki_users(current, member)
    if member is not None and not users:
        fail(_("{member} has no wiki_user in ledger/members/{member}.yaml").format(member=member),
             _("add a line  wiki_user: NAME  (their user name on the wiki) to their member file"))
    site, _login = _connect(settings.api, credentials, root, retries, maxlag, needed=False)
    found = [h for handle, user in users.items()
             for h in core.harvest(current, settings.api, handle, user, _call(site.edits, user, chosen.start, chosen.end))]
    if format == "json":
        emit(as_json({"period": str(chosen), "pages": [h.as_dict() for h in found]}) + "\n", None)
    else:
        emit(harvest_text(found, users, str(chosen)), None)


def from_wiki(page: str, handle: str, ledger: Path | None, credentials: Path | None = None):
    """``fab contribute --from-wiki PAGE``: the title, permanent link and day of ``handle``'s last edit of PAGE."""
    from .. import wiki as core

    root, current = load(ledger, quiet=True)
    settings = _settings(current)
    member = current.members.get(handle)
    if member is None:
        fail(_("no member '{member}' in the ledger").format(member=handle), _("see them with: fab member list"))
    if not member.wiki_user:
        fail(_("{member} has no wiki_user in ledger/members/{member}.yaml").format(member=handle),
             _("add a line  wiki_user: NAME  (their user name on the wiki) to their member file"))
    site, _login = _connect(settings.api, credentials, root, 2, 5, needed=False)
    edit = _call(site.last_edit, page, member.wiki_user)
    if edit is None:
        fail(_("{user} has no edit of the page '{page}' on the wiki").format(user=member.wiki_user, page=page),
             _("check the page's title (as the wiki shows it) and the wiki_user of {member}").format(member=handle))
    return core.from_wiki(settings.api, edit)


def _page_text(current, what: str, period) -> str:
    """The page's MediaWiki text, in the run's language: the period's report, or the contributors' page (of
    the period when its title names ``{period}``, else of every period)."""
    if what == "report":
        from ..render.report import as_wiki
        from ..report import build_report

        return as_wiki(build_report(current, period))
    from ..contributors import build_contributors
    from ..render.contributors import as_wiki as contributors_wiki

    return contributors_wiki(build_contributors(current, period if "{period}" in current.settings.wiki.pages.contributors else None))


def _settings(current):
    if current.settings.wiki is None:
        fail(_("the settings name no wiki"),
             _("add to ledger/fabrique.yaml:  wiki: {api: https://wiki.example.org/api.php, pages: {report: 'Réciprocité/{period}', contributors: Contributeurs}}"))
    return current.settings.wiki


def _connect(api: str, file: Path | None, root: Path, retries: int, maxlag: int, needed: bool):
    from ..store.wiki import Wiki, credentials

    login = _call(credentials, file, root, needed)
    return _call(Wiki, api, login, retries, maxlag), login


def _call(function, *args):
    """Run a call to the wiki; its one-line WikiError becomes fab's error and exit code."""
    from ..store.wiki import WikiError

    try:
        return function(*args)
    except WikiError as error:
        fail(str(error), error.hint, error.code)
