"""Paying contributors (issue 8): what a sealed period still owes, the transfers to make, and the
rule that keeps ``Payment`` records honest.

A seal (``ledger/periods/<P>.yaml``) says what each member is owed for P; ``Payment`` records
(``ledger/payments/<id>.yaml``) say what was transferred.  What is still owed is the difference, per
member.  Bank details never enter the ledger: they come from the treasurer's private payees file
(``store/payees.py``) as ``Payee`` values and meet the ledger only here, in memory.

Pure functions over a Ledger: no files, no git, no terminal.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .amounts import decimals
from .i18n import M_, Text, said
from .ledger import Ledger
from .periods import Period
from .problems import Problem, problem_at
from .records import Payment, Seal
from .seals import seal_currency

ZERO = Decimal(0)
BY_HAND = "to settle by hand"
TO_TRANSFER = "to transfer"


@dataclass(frozen=True)
class Payee:
    """One member's bank details, read from the private payees file (never from the ledger).

    ``iban`` is None when the file lists the member without an account (to be paid by hand);
    ``line`` is where the member stands in the file, for messages.
    """

    handle: str
    name: str | None = None
    iban: str | None = None  # compact form, validated
    bic: str | None = None
    sepa: bool = True  # whether the IBAN's country is in the SEPA zone
    line: int = 0


@dataclass(frozen=True)
class Debtor:
    """The commons' own account, from which the transfers are made."""

    name: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True)
class Balance:
    """What a sealed period owes one member, what was paid, and under which references."""

    member: str
    due: Decimal
    paid: Decimal
    references: tuple[str, ...]

    @property
    def owed(self) -> Decimal:
        return max(self.due - self.paid, ZERO)


@dataclass(frozen=True)
class Transfer:
    """One transfer to make (or, without bank details, one payment to settle by hand)."""

    member: str
    name: str
    amount: Decimal
    iban: str | None
    bic: str | None
    end_to_end: str  # the id the bank carries to the recipient's statement (at most 35 characters)
    description: str  # the remittance text (at most 140 characters)
    why_by_hand: Text = ""

    @property
    def status(self) -> str:
        return BY_HAND if self.why_by_hand else TO_TRANSFER


def currency_of(ledger: Ledger, period: Period | str) -> str:
    """The currency a period's seal is in (the ledger's for an early seal that does not say, or no seal): its
    amounts are paid in it, whatever the settings say now (a change of currency is a problem of fab check)."""
    return seal_currency(ledger.seals.get(str(period)), ledger.settings.currency)


def payments_of(ledger: Ledger, period: Period | str) -> list[Payment]:
    """The Payment records of a period, in the order they were made (date, then id)."""
    return sorted((p for p in ledger.of(Payment) if p.period == str(period)), key=lambda p: (p.date, p.id))


def balances(ledger: Ledger, period: Period) -> list[Balance]:
    """Per member, by handle: what the seal of ``period`` pays them and what Payment records paid.

    Members paid without being owed anything (a problem ``fab check`` reports) are listed too.
    """
    seal = ledger.seals.get(str(period))
    due = dict(seal.payouts) if seal is not None else {}
    paid: dict[str, Decimal] = defaultdict(Decimal)
    refs: dict[str, list[str]] = defaultdict(list)
    for payment in payments_of(ledger, period):
        for member, amount in payment.paid.items():
            paid[member] += amount
            refs[member].append(payment.reference)
    return [Balance(h, due.get(h, ZERO), paid.get(h, ZERO), tuple(dict.fromkeys(refs.get(h, ()))))
            for h in sorted(set(due) | set(paid))]


def still_owed(ledger: Ledger, period: Period) -> dict[str, Decimal]:
    """Member -> amount still to pay for ``period`` (only those owed something)."""
    return {b.member: b.owed for b in balances(ledger, period) if b.owed > 0}


END_TO_END_MAX = 35  # the most characters a bank carries in an EndToEndId


def _end_to_end(period: Period, handle: str, digits: int = 8) -> str:
    """FAB-2026-H1-alice; when that is too long, its start, '/' and a digest of the handle
    (FAB-2026-H1-association-ve/8d1f0c2a), so that two handles sharing their first letters never share an
    id: a handle holds no '/', so a shortened id is never the id of another handle either."""
    full = f"FAB-{period}-{handle}"
    if len(full) <= END_TO_END_MAX:
        return full
    digest = hashlib.sha256(handle.encode("utf-8")).hexdigest()[:digits]
    return f"{full[:END_TO_END_MAX - digits - 1].rstrip('-')}/{digest}"


def end_to_end_ids(period: Period, handles: Iterable[str]) -> dict[str, str]:
    """Each handle's EndToEndId for ``period``, all different (a longer digest if two short ones ever met)."""
    handles = list(dict.fromkeys(handles))
    for digits in range(8, 24):
        ids = {handle: _end_to_end(period, handle, digits) for handle in handles}
        if len(set(ids.values())) == len(ids):
            return ids
    raise AssertionError("EndToEndIds: sha256 digests of different handles never agree on 23 digits")


def description(ledger: Ledger, period: Period) -> str:
    """The remittance text of the period's transfers, as the recipient reads it on their statement."""
    return f"{ledger.settings.name} - co-remuneration {period}"[:140]


def transfers(ledger: Ledger, period: Period, payees: Mapping[str, Payee], *, sepa: bool = False) -> list[Transfer]:
    """The transfers still to make for ``period``, by handle.

    A member owed something but absent from ``payees``, or listed there without an IBAN (or, for a
    SEPA file, with an IBAN outside the SEPA zone) is a transfer ``to settle by hand``.
    """
    text = description(ledger, period)
    found = []
    owed = sorted(still_owed(ledger, period).items())
    ids = end_to_end_ids(period, (handle for handle, _amount in owed))
    for handle, amount in owed:
        payee = payees.get(handle)
        member = ledger.members.get(handle)
        name = (payee.name if payee is not None and payee.name else None) or (member.name if member else handle)
        why: Text
        if payee is None:
            why = M_("no bank details in the payees file")
        elif payee.iban is None:
            why = M_("listed without an IBAN in the payees file")
        elif sepa and not payee.sepa:
            why = M_("the account ({country}) is outside the SEPA zone", country=payee.iban[:2])
        else:
            why = ""
        found.append(Transfer(handle, name, amount, payee.iban if payee is not None else None,
                              payee.bic if payee is not None else None, ids[handle], text, why))
    return found


def payment_data(ledger: Ledger, period: Period, *, reference: str, members: Iterable[str] | None = None,
                 day=None) -> dict:
    """The content of a Payment record for what is still owed (to everyone, or to ``members``).

    Raises ValueError with a sentence for the user when there is nothing to record.
    """
    owed = still_owed(ledger, period)
    chosen = list(dict.fromkeys(members)) if members else sorted(owed)
    if not owed:
        raise ValueError(M_('nothing is owed for {period}: every payout of the seal is paid', period=period))
    for handle in chosen:
        if handle not in owed:
            raise ValueError(M_('{handle} is owed nothing for {period} (owed: {owed})', handle=handle, period=period, owed=', '.join(sorted(owed))))
    return {"period": str(period), "date": day or ledger.today, "reference": reference,
            "paid": {h: owed[h] for h in sorted(chosen)}}


def payment_message(data: dict, currency: str) -> str:
    total = sum(data["paid"].values(), ZERO)
    return f"pay {data['period']}: {total} {currency} to {', '.join(data['paid'])} ({data['reference']})"


# --- the check of Payment records (fab check, code "payment") -------------------------------------

def _at(payment: Payment, message: Text, key: str | None = None, hint: Text = "") -> Problem:
    return problem_at(payment, "payment", message, hint, key=key)


def payments(ledger: Ledger) -> Iterable[Problem]:
    """A payment is for a closed period, dated after it ended, pays members of the ledger, in exact positive
    amounts, and never more than the seal owes each of them minus the payments recorded before it."""
    digits = ledger.settings.digits
    running: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    blamed: set[tuple[str, str]] = set()
    for payment in sorted(ledger.of(Payment), key=lambda p: (p.period, p.date, p.id)):
        try:
            period = Period.parse(payment.period, ledger.settings.period)
        except ValueError as error:
            yield _at(payment, M_("'period': {error}", error=said(error)), "period")
            continue
        seal: Seal | None = ledger.seals.get(str(period))
        if seal is None:
            yield _at(payment, M_('the payment is for {period}, which is not closed: payouts are paid from a sealed period', period=period),
                      "period", M_('close the period first (fab close {period}), then record what was paid', period=period))
            continue
        if payment.date <= period.end:
            yield _at(payment, M_('paid on {date}, before {period} ended ({end})', date=payment.date, period=period, end=period.end), "date")
        for member, amount in payment.paid.items():
            if member not in ledger.members:
                yield _at(payment, M_("'paid' names '{member}', who is not a member", member=member), "paid")
                continue
            if amount <= 0:
                yield _at(payment, M_('the amount paid to {member} is {amount}; it must be more than 0', member=member, amount=amount), "paid")
                continue
            if decimals(amount) > digits:
                yield _at(payment, M_('the amount paid to {member}, {amount}, has more decimals than {currency} allows ({digits})', member=member, amount=amount, currency=ledger.settings.currency, digits=digits), "paid")
                continue
            due = seal.payouts.get(member, ZERO)
            before = running[(str(period), member)]
            running[(str(period), member)] = before + amount
            if before + amount <= due:
                continue
            unit = Decimal(1).scaleb(-digits)
            if payment.date <= seal.date:  # paid before this seal was made: the seal is what is wrong
                if (str(period), member) not in blamed:
                    blamed.add((str(period), member))
                    yield _less_than_paid(ledger, seal, member, unit)
                continue
            left = max(due - before, ZERO).quantize(unit)
            yield _at(payment, M_('{member} is paid {amount} but {period} still owes them {left} (sealed {quantize}, paid before {quantize2})', member=member, amount=amount, period=period, left=left, quantize=due.quantize(unit), quantize2=before.quantize(unit)), "paid")


def _less_than_paid(ledger: Ledger, seal: Seal, member: str, unit: Decimal) -> Problem:
    """A seal made after payments that pays a member less than they were already paid (a period closed
    again after a reopen): the seal is refused, never the payments that were really made."""
    made = [p for p in payments_of(ledger, seal.id) if member in p.paid and p.date <= seal.date]
    paid = sum((p.paid[member] for p in made), ZERO)
    return problem_at(seal, "payment", M_("the seal pays {member} {due} for {period}, less than the {paid} already paid to them ({references})", member=member, due=seal.payouts.get(member, ZERO).quantize(unit), period=seal.id, paid=paid.quantize(unit), references=", ".join(dict.fromkeys(p.reference for p in made))),
        M_("a seal never pays anyone less than they were already paid: seal {period} with a policy or parameters that pay "
          "at least that (fab close {period} --policy ... --param ...); if a payment record is wrong, correct it first", period=seal.id),
        key="payouts")
