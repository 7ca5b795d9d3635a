"""The rules of DESIGN §2 that span records: each a small pure function Ledger -> problems.

Problems found while reading files (syntax, types, paths) are already in ``ledger.problems``;
``check`` adds these cross-record rules and returns everything, sorted, so that one run of
``fab check`` reports every problem at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from . import sealrules
from .amounts import decimals
from .i18n import M_, N_
from .ledger import Ledger, sorted_problems
from .missions import check_missions
from .payouts import payments
from .problems import Problem
from .problems import problem_at as _at
from .records import MEMBER_FIELDS, RECORD_TYPES, Allocation, Contribution, Donation, Record, Request, Review, Signature
from .settings import SETTINGS_PATH, digits_of
from .signing import fingerprint

Check = Callable[[Ledger], Iterable[Problem]]


def duplicate_ids(ledger: Ledger) -> Iterable[Problem]:
    seen: dict[tuple[str, str], Record] = {}
    for record in sorted(ledger.records, key=lambda r: r.source.path):
        first = seen.setdefault((record.record_kind, record.id), record)
        if first is not record:
            yield _at(record, "duplicate-id", M_("the {record_kind} id '{id}' is also used by {path}", record_kind=record.record_kind, id=record.id, path=first.source.path))


def periods(ledger: Ledger) -> Iterable[Problem]:
    names: dict = {}  # period -> its folder name, worked out once per period
    for record in ledger.records:
        if record.periodic and record.day is not None:
            folder = record.source.path.split("/")[2]
            right = ledger.period_of(record)
            if (names.get(right) or names.setdefault(right, str(right))) != folder:
                yield _at(record, "wrong-period", M_('dated {day}, this {record_kind} belongs to {right}, not {folder}', day=record.day, record_kind=record.record_kind, right=right, folder=folder),
                          M_('move it to ledger/{folder}/{right}/ or fix its date', folder=record.folder, right=right), key="date")


def future_dates(ledger: Ledger) -> Iterable[Problem]:
    for record in ledger.records:
        for name in ("date", "joined"):
            day = record.__dict__.get(name)
            if isinstance(day, date) and day > ledger.today:
                yield _at(record, "future-date", M_("'{name}' {day} is in the future (today is {today})", name=name, day=day, today=ledger.today), key=name)


@cache
def _member_fields(kind: type[Record]) -> tuple[str, ...]:
    """Which of MEMBER_FIELDS a record type has (worked out once per type)."""
    return tuple(n for n in MEMBER_FIELDS if n in kind.model_fields)


def _refs(record: Record) -> Iterable[tuple[str, str]]:
    """(field, handle) pairs of a record that must name an existing member."""
    if isinstance(record, Contribution):
        yield from (("authors", a.member) for a in record.authors)
    values = record.__dict__  # not getattr: pydantic's fallback for a missing field is slow
    for name in _member_fields(type(record)):
        value = values[name]
        if isinstance(value, str):
            yield name, value
    if isinstance(record, Allocation):
        yield from (("points", handle) for handle in record.points)


def _unreadable(ledger: Ledger) -> dict[tuple[str, str], str]:
    """(folder, id) -> 'path:line:col' of the first problem of each record file that could not be read: a
    reference to one of them is to a broken file, not to nothing (issue 15, item 4)."""
    found: dict[tuple[str, str], str] = {}
    for problem in sorted_problems(p for p in ledger.problems if p.code != "private-data"):
        parts = str(problem.path).split("/")
        if len(parts) >= 3 and parts[0] == "ledger" and parts[-1].endswith(".yaml"):
            found.setdefault((parts[1], parts[-1].removesuffix(".yaml")), problem.location())
    return found


_FIX_IT = M_("fix that file first: fab check reports its problem there")


def references(ledger: Ledger) -> Iterable[Problem]:
    members, broken = ledger.members, _unreadable(ledger)
    for record in ledger.records:
        for name, handle in _refs(record):
            if handle in members:
                continue
            if where := broken.get(("members", handle)):
                yield _at(record, "unknown-reference", M_("'{name}' names '{handle}', whose member file has a problem: {where}", name=name, handle=handle, where=where), _FIX_IT, key=name)
            else:
                yield _at(record, "unknown-reference", M_("'{name}' names '{handle}', who is not a member", name=name, handle=handle),
                          M_('fix the handle, or add the member first: fab member add {handle} --name ...', handle=handle), key=name)
        if isinstance(record, Review) and record.target not in ledger.contributions and record.target not in ledger.requests:
            yield _target(record, broken.get(("contributions", record.target)) or broken.get(("requests", record.target)))
        if isinstance(record, Request):
            for cid in record.justification:
                if cid in ledger.contributions:
                    continue
                if where := broken.get(("contributions", cid)):
                    yield _at(record, "unknown-reference", M_("'justification' names '{cid}', whose file has a problem: {where}", cid=cid, where=where), _FIX_IT, key="justification")
                else:
                    yield _at(record, "unknown-reference", M_("'justification' names '{cid}', which is not a contribution", cid=cid), key="justification")


def _target(review: Review, where: str | None) -> Problem:
    """The problem of a review whose target is not read: its file is broken (``where``), or there is none."""
    if where:
        return _at(review, "unknown-reference", M_("'target' names '{target}', whose file has a problem: {where}", target=review.target, where=where), _FIX_IT, key="target")
    return _at(review, "unknown-reference", M_("'target' names '{target}', which is neither a contribution nor a request", target=review.target), key="target")


def money(ledger: Ledger) -> Iterable[Problem]:
    currency, digits = ledger.settings.currency, ledger.settings.digits
    for record in ledger.records:
        if not isinstance(record, _WITH_AMOUNTS):
            continue
        for name in ("amount", "mission_revenue"):
            value = record.__dict__.get(name)
            if not isinstance(value, Decimal):
                continue
            if value <= 0:
                yield _at(record, "amount-not-positive", M_("'{name}' is {value}; it must be more than 0", name=name, value=value), key=name)
            elif decimals(value) > _digits(record, currency, digits):
                yield _at(record, "amount-digits", M_("'{name}' {value} has more decimals than {value2} allows ({digits})", name=name, value=value, value2=record.__dict__.get('currency') or currency, digits=_digits(record, currency, digits)), key=name)
        if isinstance(record, Donation) and record.currency not in (None, currency) and record.rate is None:
            yield _at(record, "currency", M_("the donation is in {currency} but the ledger counts in {currency2}, and no 'rate' is given", currency=record.currency, currency2=currency), key="currency")
        if isinstance(record, Donation) and record.rate is not None and record.rate <= 0:
            yield _at(record, "amount-not-positive", M_("'rate' is {rate}; it must be more than 0", rate=record.rate), key="rate")


_WITH_AMOUNTS = tuple(kind for kind in RECORD_TYPES if {"amount", "mission_revenue"} & set(kind.model_fields))


def _digits(record: Record, currency: str, digits: int) -> int:
    own = record.__dict__.get("currency")
    return digits_of(own) if own and own != currency else digits


def self_reviews(ledger: Ledger) -> Iterable[Problem]:
    for review in ledger.reviews:
        target = ledger.contributions.get(review.target)
        if target is not None and any(a.member == review.reviewer for a in target.authors):
            yield _at(review, "self-review", M_("{reviewer} reviews '{target}', which they (co-)authored", reviewer=review.reviewer, target=review.target), key="reviewer")
        request = ledger.requests.get(review.target)
        if request is not None and request.member == review.reviewer:
            yield _at(review, "self-review", M_("{reviewer} reviews their own request '{target}'", reviewer=review.reviewer, target=review.target), key="reviewer")


def shares(ledger: Ledger) -> Iterable[Problem]:
    for contribution in ledger.contributions.values():
        if len(contribution.authors) == 1 and contribution.authors[0].share == 1:
            continue  # the usual case, and a right one
        handles = [a.member for a in contribution.authors]
        if len(set(handles)) != len(handles):
            yield _at(contribution, "shares", M_("an author is listed twice"), M_("list each author once with their whole share"), key="authors")
        bad = [a for a in contribution.authors if not Decimal(0) < a.share <= Decimal(1)]
        total = sum((a.share for a in contribution.authors), Decimal(0))
        if bad:
            yield _at(contribution, "shares", M_('the share of {member} is {share}; a share is more than 0 and at most 1', member=bad[0].member, share=bad[0].share), key="authors")
        elif total != 1:
            yield _at(contribution, "shares", M_('the shares add up to {total}, not 1', total=total), key="authors")


def kinds(ledger: Ledger) -> Iterable[Problem]:
    known = ledger.settings.kinds
    for contribution in ledger.contributions.values():
        if contribution.kind not in known:
            yield _at(contribution, "unknown-kind", M_("'{kind}' is not a contribution kind (known: {known})", kind=contribution.kind, known=', '.join(known)), key="kind")


def file_names(ledger: Ledger) -> Iterable[Problem]:
    """Ids that are built from the content must match it, so that a path says what a file holds."""
    for record in ledger.records:
        if isinstance(record, Signature) and record.id != f"{record.member}--{record.date}":
            yield _at(record, "signature-date", M_('the file should be named {member}--{date}.yaml', member=record.member, date=record.date))
        if isinstance(record, Review) and record.id != f"{record.target}--{record.reviewer}":
            yield _at(record, "review-id", M_('the file should be named {target}--{reviewer}.yaml', target=record.target, reviewer=record.reviewer))
        if isinstance(record, Allocation) and record.id != record.giver:
            yield _at(record, "allocation", M_('the file should be named {giver}.yaml (one allocation per giver and period)', giver=record.giver))


def requests(ledger: Ledger) -> Iterable[Problem]:
    by_member: dict[tuple, list[Request]] = defaultdict(list)
    for request in ledger.of(Request):
        by_member[(request.member, ledger.period_of(request))].append(request)
        member = ledger.members.get(request.member)
        if member is not None and not member.receives:
            yield _at(request, "request", M_('{member} opted out of payouts (receives: false) and cannot request an amount', member=request.member),
                      M_("set receives: true on the member first, or remove the request"), key="member")
        for cid in request.justification:
            contribution = ledger.contributions.get(cid)
            if contribution is not None and contribution.share_of(request.member) == 0:
                yield _at(request, "request", M_("'{cid}' is not a contribution of {member}", cid=cid, member=request.member), key="justification")
    for (member, period), found in by_member.items():
        for extra in sorted(found, key=lambda r: r.source.path)[1:]:
            yield _at(extra, "one-request", M_('{member} already has a request in {period}', member=member, period=period))


def allocations(ledger: Ledger) -> Iterable[Problem]:
    limit = _peer_points(ledger)
    for allocation in ledger.allocations:
        if allocation.giver in allocation.points:
            yield _at(allocation, "allocation", M_('{giver} gives points to themselves', giver=allocation.giver), key="points")
        total = sum(allocation.points.values())
        if total > limit:
            yield _at(allocation, "allocation", M_('{giver} gives {total} points; at most {limit} may be given', giver=allocation.giver, total=total, limit=limit), key="points")


def _peer_points(ledger: Ledger) -> int:
    parts = [p for p in ledger.settings.policy.parts() if p.name == "peer"]
    return int(parts[0].param("points")) if parts else 100


def signing_rules(ledger: Ledger) -> Iterable[Problem]:
    """Stewards are members; a signing key is one person's (declared by one member only)."""
    for steward in ledger.settings.stewards:
        if steward not in ledger.members:
            yield Problem(SETTINGS_PATH, 1, 1, "unknown-reference", M_("'stewards' names '{handle}', who is not a member", handle=steward),
                          M_('fix the handle, or add the member first: fab member add {handle} --name ...', handle=steward))
    owners: dict[str, set[str]] = defaultdict(set)
    for handle, member in ledger.members.items():
        for key in member.signing_keys:
            owners[fingerprint(key) or key].add(handle)
    for key, handles in sorted(owners.items()):
        first, *others = sorted(handles)  # like a duplicate id, reported at the files after the first
        for handle in others:
            yield _at(ledger.members[handle], "signing-key", M_("the key {fingerprint} is also declared by {other} "
                                                               "(ledger/members/{other}.yaml)", fingerprint=key, other=first),
                      key="signing_keys")


def _read(ledger: Ledger) -> Iterable[Problem]:
    return (p for p in ledger.problems if p.code != "private-data")


def _private(ledger: Ledger) -> Iterable[Problem]:
    return (p for p in ledger.problems if p.code == "private-data")


@dataclass(frozen=True)
class Rule:
    """One check of the registry: its name (``fab check NAME``), what it verifies, and the function."""

    name: str
    about: str
    run: Check


RULES: tuple[Rule, ...] = (
    Rule("files", N_("every file reads as a record: place and name, YAML, keys, types, values (always run)"), _read),
    Rule("private-data", N_("no bank details or phone numbers in free text (found as each file is read)"), _private),
    Rule("duplicate-ids", N_("no two records of a kind share an id"), duplicate_ids),
    Rule("periods", N_("each dated record is in the folder of its period"), periods),
    Rule("future-dates", N_("no date after today"), future_dates),
    Rule("references", N_("every handle names a member, every review a contribution or a request"), references),
    Rule("money", N_("amounts have the currency's decimals"), money),
    Rule("self-reviews", N_("nobody reviews their own contribution or request"), self_reviews),
    Rule("shares", N_("the shares of a contribution's authors add up to 1"), shares),
    Rule("kinds", N_("contribution kinds are those of the settings' weights"), kinds),
    Rule("file-names", N_("a file's name starts with its record's date and author"), file_names),
    Rule("requests", N_("requests are made by contributors, within the period's rules"), requests),
    Rule("allocations", N_("peer allocations give out the settings' points"), allocations),
    Rule("sealed-records", N_("no record a seal covers was added, changed or removed since"), sealrules.sealed_records),
    Rule("seal-arithmetic", N_("each seal adds up: pool, payouts, carry-over, currency"), sealrules.seal_arithmetic),
    Rule("seal-split", N_("each seal is the split of the records it covers, under its own policy and parameters"), sealrules.seal_splits),
    Rule("payments", N_("payments are covered by a seal and pay no more than it says"), payments),
    Rule("missions", N_("only referenced consultants take interest in or are assigned missions"), check_missions),
    Rule("signing-keys", N_("signing keys are well formed and declared by one member only"), signing_rules),
)
BY_NAME = {rule.name: rule for rule in RULES}


def check(ledger: Ledger, names: Iterable[str] | None = None) -> list[Problem]:
    """Every problem of the ledger, sorted by place: the problems of reading its files, then each rule's.
    With ``names`` (names of ``RULES``, known: see ``unknown_rules``), only those rules and the files'."""
    chosen = RULES if names is None else [BY_NAME["files"], *(BY_NAME[n] for n in names if n != "files")]
    found: list[Problem] = []
    for rule in chosen:
        found.extend(rule.run(ledger))
    return sorted_problems(found)


def unknown_rules(names: Iterable[str]) -> list[str]:
    return [name for name in names if name not in BY_NAME]


def consequences(before: Ledger, after: Ledger, written: str) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """What ``fab check`` would report once a write is made, on what the write read (``Ledger.holds``):
    (every error, those of them already in the ledger before the write, the new warnings).  Any error
    refuses the write, also one already there (a seal edited by hand, a broken file): a write that commits
    never leaves check failing, and fab does not add to a ledger that contradicts itself."""
    found = check(after)
    errors = [p for p in found if p.severity == "error"]
    known = set(check(before)) if found else set()
    existing = [p for p in errors if p.path != written and p in known]
    return errors, existing, [p for p in found if p.severity != "error" and (p.path == written or p not in known)]
