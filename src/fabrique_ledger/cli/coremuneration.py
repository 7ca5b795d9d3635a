"""Co-remuneration: the inputs of the split (review, request, allocate) and ``fab split`` itself."""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer

from ..i18n import _
from . import names
from .app import app
from .common import AtOpt, DateOpt, LedgerOpt, ask, console, emit, load, parse_date, parse_number, today, usage
from .options import SplitFormat, Write, writes

PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help=_("Period id (default: the current one). Example: --period 2026-H1"))]


def parse_period(text: str | None, current, option: str = "--period"):
    return current.current_period() if text is None else period_option(text, current.settings, option)


def period_option(text: str | None, settings, option: str = "--period"):
    """--period (or the PERIOD argument) as a Period of the ledger's length (default: today's); exit 2 if it
    is not one.  Period ids are upper-case (2026-H1); '2026-h1', as request ids write it, is read too."""
    from ..periods import Period

    if text is None:
        return Period.containing(today(), settings.period)
    try:
        return Period.parse(text.strip(" ").upper(), settings.period)  # ids are matched whole: a line break is refused
    except ValueError as error:
        usage(str(error), option)


def what_if(settings, policy: str | None, param: list[str] | None):
    """The settings with --policy and --param KEY=VALUE applied (fab split, fab close); exit 2 if they do not fit."""
    from ..settings import with_overrides

    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            usage(_("'{item}' is not KEY=VALUE, like alpha=0.3").format(item=item), "--param")
        params[key.strip()] = parse_number(value, "--param")
    try:
        return with_overrides(settings, policy, params)
    except ValueError as error:
        usage(str(error), "--policy/--param")


@app.command()
@writes()
def review(
    target: Annotated[Optional[str], typer.Argument(help=_("Id of the contribution or request reviewed. Example: 2026-07-21-chloe-export-mediawiki"))] = None,
    by: Annotated[Optional[str], typer.Option("--by", help=_("The reviewer (not an author). Example: --by bruno"))] = None,
    approve: Annotated[bool, typer.Option("--approve", help=_("Approve the work or the request."))] = False,
    object_: Annotated[bool, typer.Option("--object", help=_("Object: it counts 0 until you review it again with --approve."))] = False,
    score: Annotated[Optional[int], typer.Option(help=_("Quality from 1 to 5 (3 = as expected). Example: --score 4"))] = None,
    comment: Annotated[Optional[str], typer.Option(help=_("Why, in a sentence. Example: --comment 'Clear and sourced'"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Review someone else's contribution or request; a new review by the same person replaces theirs.

    Example: fab review 2026-07-21-chloe-export-mediawiki --by bruno --approve --score 4
    """
    from .. import drafts

    target = ask(target, "TARGET", _("Id of the contribution or request"))
    reviewer = ask(by, "--by", _("Reviewer handle"))
    if approve == object_:
        usage(_("choose exactly one of --approve and --object"))
    if score is not None and not 1 <= score <= 5:
        usage(_('{score} is not a score from 1 to 5').format(score=score), "--score")
    day = parse_date(date)
    root, current = load(write.ledger, lock=True)
    target, reviewer = names.review_target(current, target), names.member(current, reviewer, "--by")
    draft = drafts.review(current, target, reviewer=reviewer, verdict="approve" if approve else "object",
                          score=score, comment=comment, day=day)
    write.finish(root, draft)
    names.acting(current, reviewer, write)


@app.command()
@writes()
def request(
    by: Annotated[Optional[str], typer.Option("--by", help=_("The member asking. Example: --by chloe"))] = None,
    amount: Annotated[Optional[str], typer.Option(help=_("Amount asked from the pool. Example: --amount 900"))] = None,
    justification: Annotated[Optional[list[str]], typer.Option(
        help=_("Id of one of your contributions; repeat for several. Example: --justification 2026-07-21-chloe-export-mediawiki"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Ask for an amount from the pool (policy 'requests'), justified by your contributions.

    Example: fab request --by chloe --amount 900 --justification 2026-07-21-chloe-export-mediawiki
    """
    from .. import drafts

    member = ask(by, "--by", _("Member handle"))
    value = parse_number(ask(amount, "--amount", _("Amount asked")), "--amount")
    day = parse_date(date)
    root, current = load(write.ledger, lock=True)
    member = names.member(current, member, "--by")
    draft = drafts.request(current, member_handle=member, amount=value, justification=justification or [], day=day)
    write.finish(root, draft)
    names.acting(current, member, write)


@app.command()
@writes()
def allocate(
    points: Annotated[Optional[list[str]], typer.Argument(help=_("HANDLE=POINTS for each member you give to. Example: alice=60 chloe=40"))] = None,
    by: Annotated[Optional[str], typer.Option("--by", help=_("The member giving points. Example: --by bruno"))] = None,
    period: PeriodOpt = None,
    *, write: Write,
) -> None:
    """Give your peer points (policy 'peer') to others for a period; never to yourself.

    Example: fab allocate --by bruno alice=60 chloe=40 --period 2026-H2
    """
    from .. import drafts

    giver = ask(by, "--by", _("Your handle"))
    given = {}
    for item in ask(points, "HANDLE=POINTS", _("Points, like alice=60")).split() if isinstance(points, str) else ask(points, "HANDLE=POINTS", _("Points, like alice=60")):
        match = re.fullmatch(r"([^=\s]+)=([0-9]{1,7})", item.strip())
        if not match:
            usage(_("'{item}' is not HANDLE=POINTS, like alice=60").format(item=item), "POINTS")
        if match.group(1) in given:
            usage(_('{group} is given points twice').format(group=match.group(1)), "POINTS")
        given[match.group(1)] = int(match.group(2))
    root, current = load(write.ledger, lock=True)
    giver = names.member(current, giver, "--by")
    given = {names.member(current, handle, "POINTS"): count for handle, count in given.items()}
    draft = drafts.allocation(current, giver=giver, points=given, period=parse_period(period, current))
    write.finish(root, draft)
    names.acting(current, giver, write)


@app.command()
def split(
    period: PeriodOpt = None,
    policy: Annotated[Optional[str], typer.Option(
        help=_("What-if: another policy (proportional, equal, hybrid, requests, peer, recent, balanced). Example: --policy hybrid"))] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        help=_("What-if: KEY=VALUE for alpha, discount, approvals, points, cap, min_payout, commons_share. Example: --param alpha=0.3"))] = None,
    explain: Annotated[bool, typer.Option("--explain", help=_("Show, per person, how the amount is reached."))] = False,
    format: SplitFormat = "text",
    output: Annotated[Optional[str], typer.Option(help=_("Write to this file instead of the screen. Example: --output split.md"))] = None,
    ledger: LedgerOpt = None,
    at: AtOpt = None,
) -> None:
    """Compute the co-remuneration payouts of a period from the pool of donations; a closed period
    shows its seal (what is paid), and --policy/--param a labelled what-if.

    Example: fab split --period 2026-H1 --policy hybrid --param alpha=0.3 --explain
    """
    from ..render import split as render
    from ..split.period import reads
    from ..split.view import for_period

    if format == "xlsx" and output is None:
        usage(_("a workbook is a file: give it with --output, like --output {name}").format(name="split.xlsx"), "--output")
    def needs(settings, present):  # only what this split reads (issue 6): P's folders, not the whole ledger
        return reads(what_if(settings, policy, param), period_option(period, settings), present)

    _ignored, current = load(ledger, at, quiet=format in ("json", "csv", "xlsx"), scope=needs)
    chosen = parse_period(period, current)
    data = for_period(current, chosen, what_if(current.settings, policy, param) if policy or param else None, explain)
    if format == "text" and output is None:
        render.print_table(data, console())
        return
    if format == "xlsx":
        from ..render.sheets import split_workbook
        from .sheets import write_bytes

        assert output is not None  # refused above with a usage error
        return write_bytes(split_workbook(data), output)
    text = {"json": lambda: render.as_json(data) + "\n", "csv": lambda: render.as_csv(data),
            "md": lambda: render.as_markdown(data), "text": lambda: render.as_markdown(data)}[format]()
    emit(text, output)
