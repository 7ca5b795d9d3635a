"""A period's split from the ledger: values, pool, commons share, then the pure engine.

This is where records become numbers (DESIGN §6): a contribution's value is
hours × weight(kind) × review factor, divided among its authors by their shares; the pool is the
period's donations plus the carry-over of the closed period before it.  Everything is a Fraction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..i18n import M_, Message
from ..ledger import Ledger
from ..periods import Period
from ..records import RECORD_TYPES, Contribution, Donation, Request, Review, Seal
from ..settings import Policy, Settings
from .engine import PolicySpec, SplitInputs, SplitResult, compute_split
from .policies import LOOKS_BACK

ZERO = Fraction(0)


@dataclass(frozen=True)
class Counted:
    """One contribution as the split counts it, for one of its authors."""

    contribution: Contribution
    member: str
    weight: Fraction
    factor: Fraction
    share: Fraction
    why: str | None  # "objection", "not reviewed" when the factor is 0

    @property
    def value(self) -> Fraction:
        return Fraction(self.contribution.hours) * self.weight * self.factor * self.share


@dataclass(frozen=True)
class Asked:
    """A request of P as the ``requests`` policy sees it: who approved, who objects, whether it counts."""

    request: Request
    approvals: tuple[str, ...]
    objections: tuple[str, ...]
    needed: int  # approvals the policy asks for
    counts: bool


@dataclass(frozen=True)
class PeriodSplit:
    """Everything ``fab split`` shows: the money, the inputs per person, the engine's result, and what
    each policy worked from (``inputs``, ``asked``, ``given``, ``ages``) so ``--explain`` can show it."""

    period: Period
    currency: str
    digits: int
    policy: Policy
    donations: Fraction
    carried_in: Fraction
    commons: Fraction
    result: SplitResult
    counted: tuple[Counted, ...]
    opted_out: tuple[str, ...]
    warnings: tuple[Message, ...]
    inputs: SplitInputs = SplitInputs(frozenset())
    asked: tuple[Asked, ...] = ()
    given: tuple[tuple[str, str, int], ...] = ()  # (giver, receiver, points) of the allocations that count
    ages: tuple[Period, ...] = ()  # the period of each age of ``inputs.values`` (0 = P)

    @property
    def pool(self) -> Fraction:
        return self.donations + self.carried_in

    @property
    def distributable(self) -> Fraction:
        return self.pool - self.commons


def review_factor(contribution: Contribution, reviews: list[Review], require_review: bool) -> tuple[Fraction, str | None]:
    """0 while anyone objects; else mean score / 3 when scored; else 1 (or 0 if a review is required)."""
    if any(r.verdict == "object" for r in reviews):
        return ZERO, "objection"
    scores = [r.score for r in reviews if r.verdict == "approve" and r.score is not None]
    if scores:
        return Fraction(sum(scores), 3 * len(scores)), None
    if require_review and not any(r.verdict == "approve" for r in reviews):
        return ZERO, "not reviewed"
    return Fraction(1), None


def reviews_by_target(ledger: Ledger) -> dict[str, list[Review]]:
    return ledger.reviews_by_target


def counted_contributions(ledger: Ledger, settings: Settings, period: Period) -> list[Counted]:
    """Every (contribution of P, author) with its weight, review factor and share."""
    reviews = reviews_by_target(ledger)
    counted = []
    for contribution in ledger.in_period(Contribution, period):
        factor, why = review_factor(contribution, reviews.get(contribution.id, []), settings.require_review)
        weight = Fraction(settings.weight(contribution.kind))
        for author in contribution.authors:
            counted.append(Counted(contribution, author.member, weight, factor, Fraction(author.share), why))
    return sorted(counted, key=lambda c: (c.member, c.contribution.date, c.contribution.id))


def _looks_back(settings: Settings) -> bool:
    return any(part.name in LOOKS_BACK for part in settings.policy.parts())


SPLIT_FOLDERS = ("contributions", "reviews", "donations", "requests", "allocations")  # the kinds a split of P counts


def reads(settings: Settings, period: Period, present: Mapping[str, list[str]]) -> tuple[list[str], list[str]]:
    """What ``split_period(P)`` reads (DESIGN §10: read what the work needs): the members and the
    seals; the contributions, donations, requests and allocations of P (of every period up to P when
    a policy looks back) and the reviews dated from P on (a review comes after what it reviews).
    The other periodic files are known by name, so that ``Ledger.periods()`` is the same as on a
    whole read.  Folders as ``store.inventory.Scope`` wants them."""
    back = _looks_back(settings)

    def wanted(folder: str, name: str) -> bool:
        try:
            other = Period.parse(name, settings.period)
        except ValueError:
            return False
        if folder == "reviews":
            return back or other >= period
        return other == period or (back and folder == "contributions" and other < period)

    folders = ["members", Seal.folder, *(f"{folder}/{period}" for folder in SPLIT_FOLDERS)]  # P's, even absent: known empty
    folders += [f"{folder}/{name}" for folder in SPLIT_FOLDERS for name in present.get(folder, [])
                if name != str(period) and wanted(folder, name)]
    return folders, [kind.folder for kind in RECORD_TYPES if kind.periodic]


def _values(ledger: Ledger, settings: Settings, period: Period) -> dict[str, dict[int, Fraction]]:
    """member -> {age: value} for every period up to P (age 0 = P): ``Counted.value`` summed, without
    building a Counted per author of every past period.  Hours, weights, factors and shares take few
    distinct values, so each product is made once (Fraction arithmetic is what costs)."""
    values: dict[str, dict[int, Fraction]] = defaultdict(dict)
    reviews = reviews_by_target(ledger)
    products: dict[tuple, Fraction] = {}
    for age, past in enumerate(_periods_back(ledger, period) if _looks_back(settings) else [period]):
        for contribution in ledger.in_period(Contribution, past):
            factor, _why = review_factor(contribution, reviews.get(contribution.id, []), settings.require_review)
            for author in contribution.authors:
                key = (contribution.hours, contribution.kind, factor, author.share)
                value = products.get(key)
                if value is None:
                    value = products[key] = (Fraction(contribution.hours) * Fraction(settings.weight(contribution.kind))
                                             * factor * Fraction(author.share))
                mine = values[author.member]
                mine[age] = mine.get(age, ZERO) + value
    return values


def _periods_back(ledger: Ledger, period: Period) -> list[Period]:
    """P, then each period before it back to the ledger's first one."""
    first = min([*ledger.periods(), period])
    found, current = [], period
    while current >= first:
        found.append(current)
        current = current.previous()
    return found


def asked_in(ledger: Ledger, period: Period, approvals: int) -> list[Asked]:
    """Requests of P with their reviews by others; one counts with enough approvals and no standing objection."""
    reviews = reviews_by_target(ledger)
    found = []
    for request in sorted(ledger.in_period(Request, period), key=lambda r: (r.member, r.id)):
        others = sorted((r for r in reviews.get(request.id, []) if r.reviewer != request.member), key=lambda r: r.reviewer)
        yes = tuple(r.reviewer for r in others if r.verdict == "approve")
        no = tuple(r.reviewer for r in others if r.verdict == "object")
        found.append(Asked(request, yes, no, approvals, not no and len(yes) >= approvals))
    return found


def counting_requests(asked: list[Asked]) -> dict[str, Fraction]:
    """member -> amount of the requests that count."""
    return {a.request.member: Fraction(a.request.amount) for a in asked if a.counts}


def points_given(ledger: Ledger, period: Period, recipients: frozenset[str]) -> list[tuple[str, str, int]]:
    """(giver, receiver, points) of P's allocations by recipients, never to oneself."""
    return sorted((allocation.giver, handle, n) for allocation in ledger.allocations
                  if ledger.period_of(allocation) == period and allocation.giver in recipients
                  for handle, n in allocation.points.items() if handle != allocation.giver and n > 0)


def points_received(given: list[tuple[str, str, int]]) -> dict[str, Fraction]:
    points: dict[str, Fraction] = defaultdict(Fraction)
    for _giver, handle, n in given:
        points[handle] += n
    return dict(points)


def donation_value(ledger: Ledger, donation: Donation) -> Fraction:
    """A donation in the ledger's currency (amount × rate when given in another currency)."""
    rate = donation.rate if donation.currency not in (None, ledger.settings.currency) else None
    return Fraction(donation.amount) * (Fraction(rate) if rate else 1)


def donations_of(ledger: Ledger, period: Period) -> Fraction:
    """Donations dated in P, in the ledger's currency.  A donation of zero or less is a problem that
    ``fab check`` refuses (amount-not-positive); it adds nothing, rather than make the pool negative."""
    return sum((donation_value(ledger, d) for d in ledger.in_period(Donation, period) if d.amount > 0), ZERO)


def split_period(ledger: Ledger, period: Period, settings: Settings | None = None, *,
                 recipients: frozenset[str] | None = None, carried_in: Fraction | None = None) -> PeriodSplit:
    """The split of ``period`` under ``settings`` (the ledger's own unless a what-if is given).  ``recipients``
    and ``carried_in``, when given, replace the members who receive and the carry-over of the period before
    (to recompute a seal with what it took in: ``sealrules._differences``)."""
    settings = settings or ledger.settings
    quantum = Fraction(1, 10 ** settings.digits)
    donations = donations_of(ledger, period)
    carried_in, warnings = _carry_in(ledger, period) if carried_in is None else (carried_in, ())
    commons = math.floor(Fraction(settings.commons_share) * donations / quantum) * quantum
    members = ledger.members
    if recipients is None:
        recipients = frozenset(h for h, m in members.items() if m.receives)
    asked = asked_in(ledger, period, int(_param(settings.policy, "requests", "approvals")))
    given = points_given(ledger, period, recipients)
    inputs = SplitInputs(
        recipients=recipients,
        values=_values(ledger, settings, period),
        requests=counting_requests(asked),
        points=points_received(given),
        paid=paid_before(ledger, period),
    )
    specs = [PolicySpec(p.name, {k: Fraction(v) for k, v in p.params().items()}, Fraction(p.part_of_budget()))
             for p in settings.policy.parts()]
    result = compute_split(donations + carried_in - commons, specs, inputs,
                           cap=Fraction(settings.cap) if settings.cap is not None else None,
                           min_payout=Fraction(settings.min_payout), quantum=quantum)
    counted = tuple(counted_contributions(ledger, settings, period))
    opted_out = tuple(sorted({c.member for c in counted if c.member in members and c.member not in recipients}))
    if not result.lines and donations + carried_in > 0:
        warnings = (*warnings, M_("no one has a score in {period}: the whole distributable pool is carried over", period=period))
    ages = tuple(_periods_back(ledger, period)) if _looks_back(settings) else (period,)
    return PeriodSplit(period, settings.currency, settings.digits, settings.policy, donations, carried_in,
                       commons, result, counted, opted_out, warnings, inputs, tuple(asked), tuple(given), ages)


def _param(policy: Policy, name: str, key: str) -> Fraction:
    parts = [p for p in policy.parts() if p.name == name]
    return Fraction(parts[0].param(key)) if parts else Fraction(1)


def _carry_in(ledger: Ledger, period: Period) -> tuple[Fraction, tuple[Message, ...]]:
    """The carry-over of the closed period just before P; 0 with a warning while it is open."""
    previous = period.previous()
    seal = ledger.sealed(previous)
    if seal is not None:
        return Fraction(seal.carried_over), ()
    if any(p <= previous for p in ledger.periods()):
        return ZERO, (M_("{previous} is not closed: its carry-over is not included (close it with fab close {previous})", previous=previous),)
    return ZERO, ()


def paid_before(ledger: Ledger, period: Period) -> dict[str, Fraction]:
    """What each member received in the periods sealed before P (for the balanced policy)."""
    paid: dict[str, Fraction] = defaultdict(Fraction)
    for seal in ledger.seals.values():
        if seal.sealed and Period.parse(seal.id, ledger.settings.period) < period:
            for member, amount in seal.payouts.items():
                paid[member] += Fraction(amount)
    return dict(paid)


def policy_details(split: PeriodSplit) -> dict[str, dict[str, Any]]:
    """Per member, what each policy of the split worked from, for ``--explain``: the request and who
    approved or objected (``requests``), the points received from each giver (``peer``), each period's
    value with its decay (``recent``), lifetime value, what was paid before, target and need (``balanced``)."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    inputs = split.inputs
    for part in split.policy.parts():
        if part.name == "requests":
            for asked in split.asked:
                found[asked.request.member]["requests"] = asked
        elif part.name == "peer":
            for giver, member, n in split.given:
                found[member].setdefault("peer", []).append((giver, n))
        elif part.name == "recent":
            discount = Fraction(part.param("discount"))
            for member in sorted(inputs.recipients):
                rows = [(split.ages[age], value, (1 - discount) ** age)
                        for age, value in sorted(inputs.values.get(member, {}).items()) if value]
                if rows:
                    found[member]["recent"] = (discount, rows)
        elif part.name == "balanced":
            for member, row in _balanced(inputs, Fraction(part.part_of_budget()) * split.result.budget).items():
                found[member]["balanced"] = row
    return dict(found)


def _balanced(inputs: SplitInputs, part: Fraction) -> dict[str, tuple[Fraction, ...]]:
    """member -> (lifetime value, everyone's, paid before, target, need), as the balanced policy computes them."""
    lifetime = {m: sum(inputs.values.get(m, {}).values(), ZERO) for m in sorted(inputs.recipients)}
    lifetime = {m: v for m, v in lifetime.items() if v > 0}
    total = sum(lifetime.values(), ZERO)
    if total == 0:
        return {}
    paid = {m: Fraction(inputs.paid.get(m, ZERO)) for m in inputs.recipients}
    pot = sum(paid.values(), ZERO) + part
    return {m: (life, total, paid[m], pot * life / total, max(ZERO, pot * life / total - paid[m]))
            for m, life in lifetime.items()}
