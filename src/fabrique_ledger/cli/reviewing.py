"""The six-monthly review: ``fab alert``, ``fab report`` and ``fab close``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import _
from . import names
from .app import app
from .common import AtOpt, DateOpt, LedgerOpt, ask, console, echo, emit, fail, load, locate, parse_date, today, usage
from .coremuneration import PeriodOpt, parse_period, what_if
from .options import ReportFormat, Write, writes

SECTIONS = ("pool", "reciprocity", "contributors", "split", "agenda")
ALERT_STATUSES = ("open", "invited", "signed", "dismissed")


@app.command()
@writes()
def alert(
    alert_id: Annotated[Optional[str], typer.Argument(
        metavar="[ID]", help=_("An existing alert to follow up with --status. Example: 2026-04-02-velocite-conseil"))] = None,
    about: Annotated[Optional[str], typer.Option(help=_("Who uses the commons without reciprocity (a name or a member handle). Example: --about 'Vélocité Conseil'"))] = None,
    evidence: Annotated[Optional[str], typer.Option(help=_("A public link showing the use. Example: --evidence https://example.org/offre"))] = None,
    by: Annotated[Optional[str], typer.Option("--by", help=_("The member reporting it. Example: --by chloe"))] = None,
    status: Annotated[Optional[str], typer.Option(help=_("Follow-up of an existing alert: open, invited, signed or dismissed. Example: --status invited"))] = None,
    note: Annotated[Optional[str], typer.Option(help=_("What was done or seen. Example: --note 'Invited by email on 2 Dec'"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Report a use of the commons without reciprocity, or follow up an alert with --status.

    Example: fab alert --about "Vélocité Conseil" --evidence https://example.org/offre --by chloe
    Example: fab alert 2026-04-02-velocite-conseil --status invited --note "Invited by email"
    """
    from .. import drafts
    from ..records import Alert, path_of
    from ..store.root import raw

    if alert_id is not None:
        if date is not None:  # not silently dropped (issue 15, item 10)
            usage(_("a follow-up is dated by its commit (fab log shows it); --date dates a new alert"), "--date")
        if status not in ALERT_STATUSES:
            usage(_('give the new status of the alert: one of {ALERT_STATUSES}').format(ALERT_STATUSES=', '.join(ALERT_STATUSES)), "--status")
        root, current = load(write.ledger, lock=True)
        draft = drafts.alert_status(current, alert_id, raw(root, path_of(Alert, None, alert_id)), status=status, note=note)
    else:
        if status is not None:
            usage(_("--status follows up an existing alert: give its ID, like fab alert 2026-04-02-velocite-conseil --status invited"))
        about = ask(about, "--about", _("Who uses the commons without reciprocity"))
        evidence = ask(evidence, "--evidence", _("Link to the evidence"))
        reporter = ask(by, "--by", _("Your handle"))
        day = parse_date(date)
        root, current = load(write.ledger, lock=True)
        draft = drafts.alert(current, about=about, evidence=evidence, reported_by=names.member(current, reporter, "--by"), day=day, note=note)
    write.finish(root, draft)


@app.command()
def report(
    period: PeriodOpt = None,
    format: ReportFormat = "text",
    output: Annotated[Optional[Path], typer.Option(help=_("Write to this file instead of the screen. Example: --output reciprocite.html"))] = None,
    section: Annotated[Optional[str], typer.Option(help=_("For csv: pool, reciprocity, contributors, split or agenda. Example: --section reciprocity"))] = None,
    ledger: LedgerOpt = None,
    at: AtOpt = None,
) -> None:
    """The reciprocity page of a period and the agenda of the six-monthly review.

    Example: fab report --period 2026-H1 --format html --output revue-2026-H1.html
    """
    from ..render.formats import as_json
    from ..report import build_report

    if format == "csv" and section not in SECTIONS:
        usage(_('csv holds one table: choose it with --section ({SECTIONS})').format(SECTIONS=', '.join(SECTIONS)), "--section")
    if format == "xlsx" and output is None:
        usage(_("a workbook is a file: give it with --output, like --output {name}").format(name="reciprocite.xlsx"), "--output")
    answers = None
    if at is None and format != "xlsx" and (format != "text" or output is not None):  # a page's text: kept for an unchanged ledger
        from ..store.answers import Answers

        answers = Answers(locate(ledger), today(), ("report", period or "", format, section or ""))
        known = answers.get()
        if known is not None:
            emit(known[0], output)
            return
    _ignored, current = load(ledger, at, quiet=format in ("json", "csv", "xlsx"))
    data = build_report(current, parse_period(period, current))
    if format == "xlsx":
        from ..render.sheets import report_workbook
        from .sheets import write_bytes

        assert output is not None  # refused above with a usage error
        return write_bytes(report_workbook(data), output)
    if format != "json":
        from ..render import report as render
    if format == "text" and output is None:
        render.print_terminal(data, console())
        return
    if format == "html":
        from ..render.report_html import as_html

        text = as_html(data)
    elif format == "json":
        text = as_json(data) + "\n"
    elif format == "csv":
        assert section is not None  # refused above with a usage error unless one of SECTIONS
        text = render.as_csv(data, section)
    else:
        text = {"md": render.as_markdown, "wiki": render.as_wiki, "text": render.as_markdown}[format](data)
    if answers is not None:
        answers.put(text, 0)
    emit(text, output)


@app.command()
@writes()
def close(
    period: Annotated[Optional[str], typer.Argument(help=_("The period to seal. Example: 2026-H1"))] = None,
    policy: Annotated[Optional[str], typer.Option(help=_("Seal with another policy than the settings'. Example: --policy hybrid"))] = None,
    param: Annotated[Optional[list[str]], typer.Option(help=_("KEY=VALUE for the policy or cap/min_payout/commons_share. Example: --param alpha=0.3"))] = None,
    yes: Annotated[bool, typer.Option("--yes", help=_("Do not ask for confirmation (needed without a terminal)."))] = False,
    reopen: Annotated[bool, typer.Option("--reopen", help=_("Reopen a closed period, on record, with --reason."))] = False,
    reason: Annotated[Optional[str], typer.Option(help=_("Why the period is reopened. Example: --reason 'Donation of May was missing'"))] = None,
    include_uncommitted: Annotated[bool, typer.Option("--include-uncommitted", help=_(
        "Commit the ledger's files that are not committed yet together with the seal (without it, fab close refuses to seal them)."))] = False,
    *, write: Write,
) -> None:
    """Seal a period after its collective review: payouts, carry-over, dereferenced members, digest.

    Example: fab close 2026-H1
    Example: fab close --reopen 2026-H1 --reason "A donation of May was missing"
    """
    from .. import drafts, seals
    from ..checks import check
    from ..records import Seal, path_of
    from ..render.problems import as_text
    from ..store.root import raw

    if write.no_commit:
        usage(_("a seal is always committed, so that it can be verified; preview it with --dry-run"), "--no-commit")
    root, current = load(write.ledger, lock=True)
    chosen = parse_period(ask(period, "PERIOD", _("Period to close (like 2026-H1)")), current, "PERIOD")
    if reopen:
        reason = ask(reason, "--reason", _("Why is the period reopened"))
        draft = drafts.reopen(current, str(chosen), raw(root, path_of(Seal, None, chosen)), reason=reason)
        if not draft.problems:
            _say_payments(current, chosen)
        write.finish(root, draft)
        return
    errors = [p for p in check(current) if p.severity == "error"]
    if errors:
        echo(as_text(errors), err=True)
        fail(_('{chosen} cannot be closed while the ledger has problems').format(chosen=chosen), _("fix them (fab check), then close again"))
    seal = current.sealed(chosen)
    if seal is not None:
        fail(_('{chosen} was closed on {date}').format(chosen=chosen, date=seal.date), _('to change it, reopen it first: fab close --reopen {chosen} --reason ...').format(chosen=chosen))
    if chosen.end >= current.today:
        fail(_('{chosen} runs until {end}: it can be closed once it has ended').format(chosen=chosen, end=chosen.end))
    out_of_order = seals.out_of_order(current, chosen)
    if out_of_order is not None:
        fail(*out_of_order)
    pending = _uncommitted(root, current, chosen, include_uncommitted)
    draft, summary = _seal_draft(current, chosen, policy, param)
    if write.format == "text" and sys.stdout.isatty():  # the Markdown drawn on a terminal, as it is elsewhere
        from rich.markdown import Markdown

        console().print(Markdown(summary, hyperlinks=False))
    elif write.format == "text":
        echo(summary)
    if not write.dry_run and not yes and not draft.problems:
        if not sys.stdin.isatty():
            usage(_("closing a period needs a confirmation: run it on a terminal, or add --yes"))
        if not typer.confirm(_("Seal {chosen} with these payouts?").format(chosen=chosen), default=False):
            fail(_("nothing was sealed"))
    write.finish(root, draft, also=tuple(p for p in pending if p != draft.rel))


def _uncommitted(root, current, chosen, include: bool) -> tuple[str, ...]:
    """The files of the ledger (every one the seal's computation read: settings, charter, members,
    signatures, records and seals) that differ from the last commit, by blob id; refused (listed) unless
    ``include``, and refused anyway when git ignores or skips one of them: a seal is only ever made of
    committed files, so that fab verify can recompute it from history."""
    from ..store.committed import pending

    found = pending(root, current)
    if found is None or not found.paths:
        return ()
    unstageable = [*found.ignored, *found.skipped]
    if unstageable:
        fail(_("{chosen} cannot be sealed: {paths} would be sealed, but git ignores them (.gitignore, .git/info/exclude) "
               "or is told to skip them (skip-worktree), so they cannot be committed with the seal").format(
                 chosen=chosen, paths=", ".join(unstageable)),
             _("fab never force-adds a file: stop ignoring or skipping them and commit them, or move them out of the ledger"))
    if not include:
        fail(_("{chosen} cannot be sealed while files the seal is computed from are not committed: {paths}").format(
            chosen=chosen, paths=", ".join(found.paths)),
             _("commit them first (git add ... && git commit), or add --include-uncommitted to commit them with the seal"))
    return found.paths


def _say_payments(current, chosen) -> None:
    """Reopening a period that was paid: the payments stay, and the next seal must cover them."""
    from ..payouts import currency_of, payments_of
    from ..render.formats import shown_money

    made = payments_of(current, chosen)
    if not made:
        return
    cur = currency_of(current, chosen)
    listed = "; ".join(f"{p.reference} ({', '.join(f'{m} {shown_money(str(a), cur)}' for m, a in sorted(p.paid.items()))})" for p in made)
    echo(_("note: payments recorded for {period}: {listed}; the seal that closes it again must pay each member at least "
           "what they were paid").format(period=chosen, listed=listed), err=True)


def _seal_draft(current, chosen, policy, param):
    """The seal's draft and a Markdown summary of what it seals."""
    from .. import drafts, review, seals
    from ..render.split import as_markdown
    from ..split.period import split_period
    from ..split.view import as_data

    settings = what_if(current.settings, policy, param)
    split = split_period(current, chosen, settings)
    leaving = [m.id for m, _ in review.dereferencing_candidates(current, chosen)]
    draft = drafts.seal(current, seals.seal_data(current, split, leaving, settings))
    summary = as_markdown(as_data(split)) + "\n" + _("Leaving the referencing: {names}").format(names=", ".join(leaving) or _("nobody")) + "\n"
    return draft, summary
