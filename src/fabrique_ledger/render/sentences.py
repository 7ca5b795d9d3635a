"""Each record change in one sentence a reviewer understands without opening the file ("chloe records
10 h of code: Chargeur GTFS"), amounts read as on the reciprocity page; shared by fab log, diff and verify."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .. import i18n
from ..amounts import decimals
from ..changes import fields_text, value_text
from ..diff import RecordChange
from ..i18n import N_, _, ngettext
from ..records import (
    Alert,
    Allocation,
    Contribution,
    Donation,
    Member,
    Mission,
    Payment,
    Record,
    Request,
    Review,
    Seal,
    Signature,
    Use,
)
from ..settings import digits_of
from .formats import decimal_mark, money, pretty_money, shown_day


def when(day: date) -> str:
    """A day in a sentence: ISO in English (as the output always showed it), '3 févr. 2026' in French."""
    return shown_day(day) if i18n.language() == "fr" else str(day)


def jsonable(value: Any) -> Any:
    """A YAML or model value as JSON: exact numbers and dates as strings, containers kept."""
    if isinstance(value, (Decimal, date)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _cash(amount: Decimal, currency: str) -> str:
    """1500 -> '€1,500.00' (the currency's digits; more digits, a problem of its own, are kept)."""
    digits = digits_of(currency)
    return pretty_money(money(amount, digits) if decimals(amount) <= digits else str(amount), currency)


def _hours(value: Any) -> str:
    return decimal_mark(value_text(value.normalize() if hasattr(value, "normalize") else value))


def _people(handles: Sequence[str]) -> str:
    return handles[0] if len(handles) == 1 else ", ".join(handles[:-1]) + _(" and ") + handles[-1]


def _period_of(record: Record) -> str:
    return record.source.path.split("/")[2]


def subject(record: Record, currency: str) -> str:
    """How a sentence names an existing record: "bruno's donation of 1,500.00 EUR"."""
    if isinstance(record, Contribution):
        return _("{people}'s contribution '{title}'").format(people=_people([a.member for a in record.authors]),
                                                             title=record.title)
    if isinstance(record, Donation):
        return _("{donor}'s donation of {amount}").format(donor=record.donor,
                                                          amount=_cash(record.amount, record.currency or currency))
    if isinstance(record, Member):
        return _("member {id} ({name})").format(id=record.id, name=record.name)
    if isinstance(record, Signature):
        return _("{member}'s signature of {date}").format(member=record.member, date=when(record.date))
    if isinstance(record, Use):
        return _("{member}'s use of {resource}").format(member=record.member, resource=record.resource)
    if isinstance(record, Review):
        return _("{reviewer}'s review of {target}").format(reviewer=record.reviewer, target=record.target)
    if isinstance(record, Request):
        return _("{member}'s request of {amount}").format(member=record.member, amount=_cash(record.amount, currency))
    if isinstance(record, Allocation):
        return _("{giver}'s points for {period}").format(giver=record.giver, period=_period_of(record))
    if isinstance(record, Alert):
        return _("the alert about {about}").format(about=record.about)
    if isinstance(record, Seal):
        return _("the seal of {period}").format(period=record.id)
    if isinstance(record, Mission):
        return _("the mission '{title}'").format(title=record.title)
    if isinstance(record, Payment):
        return _("the payment {reference} of {period}").format(reference=record.reference, period=record.period)
    return f"{record.record_kind} {record.id}"


VERDICTS = {  # (verdict, changed): the sentence of a review
    ("approve", False): N_("{reviewer} approves {target}{score}"),
    ("object", False): N_("{reviewer} objects to {target}{score}"),
    ("approve", True): N_("{reviewer} now approves {target}{score}"),
    ("object", True): N_("{reviewer} now objects to {target}{score}"),
}


def _verdict(review: Review, now: bool = False) -> str:
    score = _(" (score {score})").format(score=decimal_mark(str(review.score))) if review.score is not None else ""
    template = VERDICTS["approve" if review.verdict == "approve" else "object", now]
    return _(template).format(reviewer=review.reviewer, target=review.target, score=score)


def _closed(seal: Seal, currency: str, again: bool = False) -> str:
    paid = sum(seal.payouts.values(), Decimal(0))
    template = _("{period} is closed again: {paid} paid to {members}, {carried} carried over") if again else \
        _("{period} is closed: {paid} paid to {members}, {carried} carried over")
    return template.format(period=seal.id, paid=_cash(paid, currency),
                           members=ngettext("{count} member", "{count} members", len(seal.payouts)).format(count=len(seal.payouts)),
                           carried=_cash(seal.carried_over, currency))


def added(record: Record, currency: str) -> str:
    """A new record in one sentence: "chloe records 10 h of code: Chargeur GTFS"."""
    if isinstance(record, Contribution):
        authors = [a.member for a in record.authors]
        template = ngettext("{people} records {hours} h of {kind}: {title}", "{people} record {hours} h of {kind}: {title}",
                            len(authors))
        return template.format(people=_people(authors), hours=_hours(record.hours), kind=record.kind, title=record.title)
    if isinstance(record, Donation):
        rate = _(" at rate {rate}").format(rate=decimal_mark(value_text(record.rate))) \
            if record.currency and record.currency != currency and record.rate else ""
        return _("{donor} donates {amount}{rate} on {date}").format(
            donor=record.donor, amount=_cash(record.amount, record.currency or currency), rate=rate, date=when(record.date))
    if isinstance(record, Member):
        return _("{id} joins as {roles} ({name})").format(id=record.id, roles=_(" and ").join(record.roles), name=record.name)
    if isinstance(record, Signature):
        return _("{member} signs the charter (version {version}) on {date}").format(
            member=record.member, version=record.charter[:12], date=when(record.date))
    if isinstance(record, Use):
        mission = _(" for the mission '{mission}'").format(mission=record.mission) if record.mission else ""
        revenue = _(" (mission revenue {amount})").format(amount=_cash(record.mission_revenue, currency)) \
            if record.mission_revenue else ""
        return _("{member} uses {resource}{mission}{revenue}").format(
            member=record.member, resource=record.resource, mission=mission, revenue=revenue)
    if isinstance(record, Review):
        return _verdict(record)
    if isinstance(record, Request):
        return _("{member} requests {amount} from the pool for {period}").format(
            member=record.member, amount=_cash(record.amount, currency), period=_period_of(record))
    if isinstance(record, Allocation):
        given = ", ".join(f"{h} {n}" for h, n in record.points.items())
        return _("{giver} gives points for {period}: {given}").format(giver=record.giver, period=_period_of(record),
                                                                      given=given)
    if isinstance(record, Alert):
        return _("{reporter} reports {about} for using the commons without reciprocity ({evidence})").format(
            reporter=record.reported_by, about=record.about, evidence=record.evidence)
    if isinstance(record, Seal):
        return _closed(record, currency)
    if isinstance(record, Mission):
        return _("{poster} posts the mission '{title}' for {client} (deadline {deadline})").format(
            poster=record.posted_by, title=record.title, client=record.client, deadline=when(record.deadline))
    if isinstance(record, Payment):
        paid = ", ".join(f"{h} {_cash(a, currency)}" for h, a in record.paid.items())
        return _("payouts of {period} are paid ({reference}): {paid}").format(
            period=record.period, reference=record.reference, paid=paid)
    return _("{kind} {id} is added").format(kind=record.record_kind, id=record.id)


def changed(change: RecordChange, currency: str) -> str:
    """A changed record: "bruno's donation of 1,500.00 EUR changes to 1,200.00 EUR"."""
    before, after, fields = change.before, change.after, list(change.fields)
    names = {f.field for f in fields}
    moved = _(" (moved from {path})").format(path=change.moved_from) if change.moved_from else ""
    if isinstance(after, Donation) and isinstance(before, Donation) and names == {"amount"}:
        return _("{subject} changes to {amount}").format(
            subject=subject(before, currency), amount=_cash(after.amount, after.currency or currency)) + moved
    if isinstance(after, Review) and "verdict" in names:
        return _verdict(after, now=True) + moved
    if isinstance(after, Alert) and names <= {"status", "note"}:
        note = f" ({after.note})" if "note" in names and after.note else ""
        return _("the alert about {about} is now {status}{note}").format(about=after.about, status=after.status, note=note)
    if isinstance(after, Seal) and isinstance(before, Seal) and before.sealed and not after.sealed:
        return _("{period} is reopened: {reason}").format(period=after.id, reason=after.reason)
    if isinstance(before, Seal) and isinstance(after, Seal) and not before.sealed and after.sealed:
        return _closed(after, currency, again=True)
    if change.kind == "settings":
        return _("the settings change: {fields}").format(fields=fields_text(fields))
    if change.kind == "charter":
        return _("charter.md changes: signatures of the previous version become outdated")
    if before is None or after is None:
        return _("{path} changes (it cannot be read: see the problems below)").format(path=change.path)
    if fields:
        return _("{subject} changes: {fields}").format(subject=subject(before, currency), fields=fields_text(fields)) + moved
    return _("{subject} changes").format(subject=subject(before, currency)) + moved


UNREADABLE = {"added": N_("{path} is added (it cannot be read: see the problems below)"),
              "removed": N_("{path} is removed (it cannot be read: see the problems below)")}


def sentence(change: RecordChange, currency: str) -> str:
    if change.action == "changed":
        return changed(change, currency)
    record = change.after if change.action == "added" else change.before
    if change.kind == "charter":
        return _("charter.md is added") if change.action == "added" else _("charter.md is removed")
    if record is None:
        return _(UNREADABLE[change.action]).format(path=change.path)
    if change.action == "added":
        return added(record, currency)
    return _("{subject} is removed").format(subject=subject(record, currency))
