"""Paying contributors: ``fab payouts PERIOD`` (the transfers to make) and ``--mark-paid`` (record them)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import N_, _, ngettext
from .app import app
from .common import DateOpt, ask, echo, fail, load, parse_date, usage
from .options import PayoutsFormat, Write, writes

LIST_FORMATS = ("csv", "sepa")
WRITE_FORMATS = ("text", "json")  # with --mark-paid


@app.command()
@writes(without=("format",))
def payouts(
    period: Annotated[Optional[str], typer.Argument(help=_("A closed (sealed) period. Example: 2026-H1"))] = None,
    payees: Annotated[Optional[Path], typer.Option(
        "--payees", help=_("The treasurer's PRIVATE file of bank details (YAML or CSV), kept outside the ledger's repository. Example: --payees ~/private/payees.yaml"))] = None,
    format: PayoutsFormat = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", help=_('Write the transfers to this file (outside the repository: it holds IBANs) instead of the screen. Example: --output ~/private/virements-2026-H1.xml'))] = None,
    execution_date: Annotated[Optional[str], typer.Option(
        "--execution-date", help=_('Day the bank should make the transfers, YYYY-MM-DD (default: today). Example: --execution-date 2026-07-20'))] = None,
    debtor_name: Annotated[Optional[str], typer.Option(
        "--debtor-name", help=_("Holder of the commons' account (default: the payees file's debtor, else the ledger's name). Example: --debtor-name 'Fabrique des Mobilités'"))] = None,
    debtor_iban: Annotated[Optional[str], typer.Option(
        "--debtor-iban", help=_("The commons' IBAN, paying the transfers (default: the payees file's debtor). Example: --debtor-iban 'FR76 3000 6000 0112 3456 7890 189'"))] = None,
    debtor_bic: Annotated[Optional[str], typer.Option(
        "--debtor-bic", help=_("The commons' bank BIC (default: the payees file's, else found from the IBAN). Example: --debtor-bic AGRIFRPP"))] = None,
    mark_paid: Annotated[Optional[str], typer.Option(
        "--mark-paid", help=_('Record in the ledger that what is still owed was paid, under this bank reference. Example: --mark-paid VIR-2026-07-20'))] = None,
    member: Annotated[Optional[list[str]], typer.Option(
        "--member", help=_("With --mark-paid: only these members were paid (repeat it). Example: --member alice"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """The transfers a sealed period still owes (CSV or SEPA file), or record them as paid with --mark-paid.

    Bank details come from a private payees file outside the ledger's repository; members without
    them are listed "to settle by hand" (in the CSV, and on the screen for a SEPA file).

    Example: fab payouts 2026-H1 --payees ~/private/payees.yaml
    Example: fab payouts 2026-H1 --format sepa --payees ~/private/payees.yaml --output ~/private/h1.xml
    Example: fab payouts 2026-H1 --mark-paid VIR-2026-07-20
    """
    root, current = load(write.ledger, lock=True)
    from .coremuneration import parse_period

    chosen = parse_period(ask(period, "PERIOD", _("Closed period to pay (like 2026-H1)")), current, "PERIOD")
    if mark_paid is not None:
        _mark_paid(root, current, chosen, mark_paid, member, date, replace(write, format=format or "text"))
        return
    if member:
        usage(_("--member chooses who was paid: use it with --mark-paid REFERENCE"), "--member")
    fmt = format or "csv"
    if fmt not in LIST_FORMATS:
        usage(_("unknown format '{fmt}' (choose csv or sepa; text and json go with --mark-paid)").format(fmt=fmt), "--format")
    if payees is None:
        usage(_("missing option '--payees' (the private file of bank details, outside the repository)"))
    _list(root, current, chosen, fmt, payees, output, execution_date, (debtor_name, debtor_iban, debtor_bic))


def _require_sealed(current, chosen) -> None:
    if current.sealed(chosen) is None:
        if str(chosen) in current.seals:
            fail(_('{chosen} was reopened: payouts are paid from a sealed period').format(chosen=chosen), _('close it again first: fab close {chosen}').format(chosen=chosen))
        fail(_('{chosen} is not closed: payouts are paid from a sealed period').format(chosen=chosen),
             _('after the collective review, seal it: fab close {chosen}').format(chosen=chosen))


def _require_checked(current, chosen) -> None:
    """No transfer is drawn from a seal that fab check refuses (edited by hand, not adding up...)."""
    from ..render.problems import as_text
    from ..sealrules import seal_problems

    problems = seal_problems(current, chosen)
    if problems:
        echo(_("error: no transfer was written: the seal of {chosen} does not pass fab check, so what it pays is not "
               "known:").format(chosen=chosen), err=True)
        echo(as_text(problems), err=True)
        raise typer.Exit(1)


def _mark_paid(root, current, chosen, reference, members, date, write: Write) -> None:
    from .. import drafts

    if write.format not in WRITE_FORMATS:
        usage(_("unknown format '{fmt}' with --mark-paid (choose text or json)").format(fmt=write.format), "--format")
    from ..privacy import bank_details

    reference = reference.strip()
    if not reference:
        usage(_("give the bank's reference of the transfers, like VIR-2026-07-20"), "--mark-paid")
    if (refused := bank_details(reference)) is not None:
        fail(_("{option}: {message}").format(option="--mark-paid", message=refused), code=2)
    day = parse_date(date)
    _require_sealed(current, chosen)
    try:
        draft = drafts.payment(current, chosen, reference=reference, members=members, day=day)
    except ValueError as error:
        fail(str(error))
    write.finish(root, draft)


def _list(root, current, chosen, fmt, payees_path, output, execution_date, debtor_options) -> None:
    from .. import payouts as pay
    from ..render import payouts as render
    from ..render.formats import money, pretty_money
    from ..settings import digits_of
    from ..store.payees import PayeesError, read_payees, refuse_inside

    try:
        if output is not None:
            refuse_inside(output, root, N_("the output"), "--output")
        found = read_payees(payees_path, root)
    except PayeesError as error:
        if error.usage:
            fail(error.lines[0], str(error.hint) or "see the examples in --help", code=2)
        echo(_('error: nothing was written; {payees_path} has these problems:').format(payees_path=payees_path), err=True)
        echo("\n".join(error.lines), err=True)
        raise typer.Exit(1) from None
    _require_sealed(current, chosen)
    _require_checked(current, chosen)
    for note in found.notes:
        echo(_('note: {note}').format(note=note), err=True)
    cur = pay.currency_of(current, chosen)
    digits = digits_of(cur)
    for handle, payee in sorted(found.payees.items()):
        if handle not in current.members:
            echo(_('note: {payees_path}:{line}: {handle} is not a member of the ledger (ignored)').format(payees_path=payees_path, line=payee.line, handle=handle), err=True)
    transfers = pay.transfers(current, chosen, found.payees, sepa=fmt == "sepa")
    if fmt == "csv":
        data = render.as_csv(transfers, str(chosen), cur).encode("utf-8")
    else:
        debtor = _debtor(current, found.debtor, *debtor_options)
        execution = parse_date(execution_date, "--execution-date") or current.today
        if execution < current.today:
            usage(_('{execution} is in the past; a bank executes transfers today or later').format(execution=execution), "--execution-date")
        try:
            data, notes = render.as_sepa(transfers, debtor, cur, execution)
        except render.SepaError as error:
            fail(_('no SEPA file was written: {error}').format(error=error))
        for note in notes:
            echo(_('note: {note}').format(note=note), err=True)
    _write(data, output)
    by_transfer = [t for t in transfers if not t.why_by_hand]
    by_hand = [t for t in transfers if t.why_by_hand]
    total = sum((t.amount for t in by_transfer), pay.ZERO)
    if not transfers:
        echo(_('{chosen}: nothing is owed; every payout of the seal is paid').format(chosen=chosen), err=True)
        return
    count = ngettext("{count} transfer", "{count} transfers", len(by_transfer)).format(count=len(by_transfer))
    echo(_("{chosen}: {count}, {amount}").format(chosen=chosen, count=count,
                                               amount=pretty_money(money(total, digits), cur))
         + (_(" (in {output})").format(output=output) if output is not None else ""), err=True)
    for t in by_hand:
        echo(_('to settle by hand: {name} ({member}) {pretty_money} — {why_by_hand}').format(name=t.name, member=t.member, pretty_money=pretty_money(str(t.amount), cur), why_by_hand=t.why_by_hand), err=True)
    echo(_("once paid: fab payouts {chosen} --mark-paid REFERENCE").format(chosen=chosen)
               + (" [--member HANDLE]..." if by_hand else ""), err=True)


def _debtor(current, from_file, name, iban, bic):
    """The commons' account: the options, else the payees file's ``debtor:``; the name defaults to the ledger's."""
    from ..payouts import Debtor
    from ..store.payees import bic_of, check_bic, check_iban

    if iban is not None:
        try:
            iban, _ignored = check_iban(iban)
        except ValueError as error:
            usage(str(error), "--debtor-iban")
    elif from_file is not None:
        iban = from_file.iban
    else:
        usage(_("a SEPA file needs the commons' account: give --debtor-iban, or a 'debtor:' entry in the payees file"),
              "--debtor-iban")
    if not check_iban(iban)[1]:
        usage(_("the commons' account {iban} is outside the SEPA zone: pay with --format csv").format(iban=iban), "--debtor-iban")
    if bic is not None:
        try:
            bic = check_bic(bic)
        except ValueError as error:
            usage(str(error), "--debtor-bic")
    elif from_file is not None and from_file.bic and from_file.iban == iban:
        bic = from_file.bic
    else:
        bic = bic_of(iban)
    name = name or (from_file.name if from_file is not None else "") or current.settings.name
    return Debtor(name.strip(), iban, bic)


def _write(data: bytes, output: Path | None) -> None:
    """The CSV or SEPA file, on the screen or into ``output`` (private: mode 0600), its control characters
    shown as on the screen (render.escape.visible)."""
    if output is None:
        echo(data.decode("utf-8"), nl=False)
        return
    from ..render.escape import visible
    from ..store.atomic import write_file

    target = output.expanduser()
    try:
        write_file(target, visible(data.decode("utf-8")).encode("utf-8"), private=True)
    except OSError as error:
        fail(_('could not write {output}: {value}').format(output=output, value=error.strerror or error))
