"""Seals (DESIGN §7): what the seal of a closed period covers, how it is made, and the rules of
``fab check`` that keep it true.  A closed period has one truth, its seal; these functions say
which files it covers, whether its own numbers add up, and how a recomputation compares with it.

What a seal covers: every file in the period's folders, and the reviews filed in a later period whose
target is a contribution or a request of the period (reviews made at the review meeting, after the
period ended, count for the period they review).  So after the close, the period's contributions and
requests can no longer be reviewed, unless the period is reopened on record.

Pure functions over a Ledger: no files, no git, no terminal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .amounts import decimals, floor
from .i18n import M_, N_, Message
from .ledger import Ledger
from .periods import Period
from .problems import Problem, problem_at
from .records import Request, Seal
from .settings import OVERRIDABLE, SETTINGS_PATH, Policy, Settings
from .shown import Money
from .split.period import PeriodSplit, donations_of, split_period

ZERO = Decimal(0)


# --- what a seal covers --------------------------------------------------------------------------

def sealed_files(ledger: Ledger, period: Period) -> dict[str, str]:
    """path -> blob id of every file a seal of ``period`` covers (see the module doc), sorted by path;
    files that fail to parse included."""
    found = dict(ledger.period_folder_files(str(period)))
    for review in ledger.reviews_of_period(period):
        path = review.source.path
        if path not in found and path in ledger.blobs:
            found[path] = ledger.blobs[path]
    return dict(sorted(found.items()))


def digest(ledger: Ledger, period: Period) -> str:
    """sha256 over the sorted (path, blob id) of the files the seal covers and of the settings (§7)."""
    files = {**sealed_files(ledger, period), SETTINGS_PATH: ledger.blobs.get(SETTINGS_PATH, "")}
    return hashlib.sha256("".join(f"{p} {b}\n" for p, b in sorted(files.items())).encode()).hexdigest()


def seal_data(ledger: Ledger, split: PeriodSplit, dereferenced: list[str], settings: Settings | None = None) -> dict:
    """The content of ``ledger/periods/<P>.yaml`` for a split being sealed today."""
    def as_money(value: Fraction) -> Decimal:
        return floor(value, split.digits)

    return {
        "period": str(split.period),
        "date": ledger.today,
        "policy": split.policy.describe(),
        "parameters": {key: getattr(settings or ledger.settings, key) for key in OVERRIDABLE},
        "currency": split.currency,
        "carried_in": as_money(split.carried_in),
        "pool": as_money(split.pool),
        "commons": as_money(split.commons),
        "distributable": as_money(split.distributable),
        "payouts": {m: as_money(a) for m, a in split.result.payouts().items()},
        "carried_over": as_money(split.result.carried_over),
        "dereferenced": dereferenced,
        "digest": digest(ledger, split.period),
        "files": sealed_files(ledger, split.period),
    }


def previous_open(ledger: Ledger, period: Period) -> Period | None:
    """The period before ``period`` when it holds records and is not sealed."""
    previous = period.previous()
    has_records = any(p <= previous for p in ledger.periods())
    return previous if has_records and ledger.sealed(previous) is None else None


def out_of_order(ledger: Ledger, period: Period, reopening: bool = False) -> tuple[Message, Message] | None:
    """Why ``period`` cannot be closed (or, ``reopening``, reopened) now, as (message, hint), or None.  Periods
    are closed in order, each seal taking in the carry-over of the sealed period just before it: closing P
    while P−1 (after the first period with records) is open, or reopening P under a sealed later period, would
    lose or double money, whatever the carry-over is today (DESIGN §6, §7)."""
    if not reopening:
        previous = previous_open(ledger, period)
        if previous is None:
            return None
        return (M_("{previous} is still open: periods are closed in order, each taking in the carry-over of the one "
                   "before", previous=previous),
                M_("close {previous} first (fab close {previous}), then {period}", previous=previous, period=period))
    later = sorted(p for p in (_period(ledger, s) for s in ledger.seals.values() if s.sealed) if p is not None and p > period)
    if not later:
        return None
    return (M_("{later} is sealed after {period}: a later seal took in the carry-over of the periods before it",
               later=later[-1], period=period),
            M_("reopen the later periods first, the last one first (fab close --reopen {later} --reason ...), then "
               "{period}", later=later[-1], period=period))


def _period(ledger: Ledger, seal: Seal) -> Period | None:
    try:
        return Period.parse(seal.id, ledger.settings.period)
    except ValueError:
        return None


# --- the seal's own settings, and the split it seals ----------------------------------------------

def seal_settings(settings: Settings, policy: Mapping[str, Any], parameters: Mapping[str, Any] | None = None) -> Settings:
    """The settings of a seal: ``settings`` with the policy and the parameters (cap, min_payout,
    commons_share) the seal records, since fab close may override them."""
    if "mix" in policy:
        chosen = Policy.model_validate({"mix": policy["mix"]})
    else:
        chosen = Policy.model_validate({k: v for k, v in policy.items() if k != "fraction"})
    return settings.model_copy(update={"policy": chosen, **{k: parameters.get(k) for k in OVERRIDABLE
                                                            if parameters and k in parameters}})


def sealed_money(seal: Seal) -> dict[str, Any]:
    """The money fields of a seal, in the shape of ``seal_data``'s."""
    return {"pool": seal.pool, "commons": seal.commons, "distributable": seal.distributable,
            "payouts": dict(seal.payouts), "carried_over": seal.carried_over}


def split_money(split: PeriodSplit) -> dict[str, Any]:
    """The money fields ``fab close`` would seal for ``split``."""
    def as_money(value: Fraction) -> Decimal:
        return floor(value, split.digits)

    return {"pool": as_money(split.pool), "commons": as_money(split.commons),
            "distributable": as_money(split.distributable),
            "payouts": {m: as_money(a) for m, a in split.result.payouts().items()},
            "carried_over": as_money(split.result.carried_over)}


RECOMPUTED = N_("{who} sealed {before}, recomputed {after}")
WOULD_BE = N_("{who} was {before}, would now be {after}")


def money_differences(sealed: dict[str, Any], computed: dict[str, Any], currency: str,
                      template: str = RECOMPUTED) -> list[Message]:
    """'alice sealed €900.00, recomputed €800.00' for each amount of two ``sealed_money``-shaped dicts that
    differs (``template``: RECOMPUTED or WOULD_BE)."""
    def amount(value: Any) -> Money:
        return Money(Decimal(value), currency)

    pairs = [(m, sealed["payouts"].get(m, ZERO), computed["payouts"].get(m, ZERO))
             for m in sorted({*sealed["payouts"], *computed["payouts"]})]
    pairs += [(key, sealed[key], computed[key]) for key in ("pool", "commons", "distributable", "carried_over")]
    return [M_(template, who=who, before=amount(before), after=amount(after))
            for who, before, after in pairs if before != after]


@dataclass(frozen=True)
class SealedSplit:
    """A closed period as every page shows it: the seal's amounts, and the split recomputed today
    under the seal's own policy and parameters, to explain the amounts when the two agree, or to say
    that they no longer do (a what-if, never shown as the seal)."""

    seal: Seal
    recomputed: PeriodSplit
    donations: Decimal  # the pool less what it took in from the period before
    carried_in: Decimal

    @property
    def agrees(self) -> bool:
        return sealed_money(self.seal) == split_money(self.recomputed)


def sealed_split(ledger: Ledger, period: Period) -> SealedSplit | None:
    """The seal of ``period`` with today's recomputation under its policy, or None while it is open."""
    seal = ledger.sealed(period)
    if seal is None:
        return None
    recomputed = split_period(ledger, period, seal_settings(ledger.settings, seal.policy, seal.parameters))
    carried_in = seal.carried_in if seal.carried_in is not None else seal.pool - floor(donations_of(ledger, period), ledger.settings.digits)
    return SealedSplit(seal, recomputed, seal.pool - carried_in, carried_in)


# --- the rules of fab check ----------------------------------------------------------------------

def _closed(seal: Seal) -> Message:
    return M_("{period} was closed on {date} ({path})", period=seal.id, date=seal.date, path=seal.source.path)


def _reopen(seal: Seal) -> Message:
    return M_("a closed period's records stay as they were sealed; to change {period}, reopen it on record first: "
             "fab close --reopen {period} --reason ...", period=seal.id)


def sealed_records(ledger: Ledger) -> Iterable[Problem]:
    """Nothing is added to, changed in or removed from what a closed period's seal covers (DESIGN §7)."""
    for seal in ledger.seals.values():
        if seal.period != seal.id:
            yield problem_at(seal, "seal", M_('the seal file {id}.yaml says period {period}', id=seal.id, period=seal.period), key="period")
        period = _period(ledger, seal)
        if not seal.sealed or period is None:
            continue
        now, closed, reopen = sealed_files(ledger, period), _closed(seal), _reopen(seal)  # (worded once a seal)
        for path in sorted(set(now) | set(seal.files)):
            sealed, blob = seal.files.get(path), now.get(path)
            if sealed == blob:
                continue
            if blob is None:
                yield problem_at(seal, "sealed", M_("{path} was removed after {closed}", path=path, closed=closed), reopen)
            elif sealed is not None:
                yield Problem(path, 1, 1, "sealed", M_("changed after {closed}", closed=closed), reopen)
            elif path.split("/")[2] == seal.id:
                yield Problem(path, 1, 1, "sealed", M_("added to {period} after {closed}", period=seal.id, closed=closed), reopen)
            else:
                yield Problem(path, 1, 1, "sealed", M_("reviews a {kind} of {period} after {closed}: the reviews of a closed "
                                                      "period's contributions and requests are sealed with it", kind=M_("request") if _target_is_request(ledger, path) else M_("contribution"), period=seal.id, closed=closed), reopen)


def _target_is_request(ledger: Ledger, path: str) -> bool:
    review = next((r for r in ledger.reviews if r.source.path == path), None)
    return review is not None and isinstance(ledger.requests.get(review.target), Request)


def seal_arithmetic(ledger: Ledger) -> Iterable[Problem]:
    """A seal's numbers add up: pool = donations + carry-in (the carry-over of the sealed period
    before it, else 0), commons = commons_share × donations rounded down, distributable = pool −
    commons = payouts + carried over; amounts are never negative, in cents, paid to members, in the ledger's
    currency.  A seal edited by hand that fails these would drive payouts and the next carry-in."""
    settings = ledger.settings
    for seal in sorted(ledger.seals.values(), key=lambda s: s.id):
        period = _period(ledger, seal)
        if not seal.sealed or period is None:
            continue
        yield from _amounts(ledger, seal, settings.digits)
        yield from _sums(seal)
        yield from _carry_in(ledger, seal, period)
        if seal.currency is not None and seal.currency != settings.currency:
            yield Problem(SETTINGS_PATH, 1, 1, "seal", M_("the currency is {currency}, but {period} was sealed in {sealed}: "
                                                         "its amounts would be read in {currency}", currency=settings.currency, period=seal.id, sealed=seal.currency),
                M_("set currency back to {sealed}: a ledger keeps its currency once a period is sealed", sealed=seal.currency))


def _amounts(ledger: Ledger, seal: Seal, digits: int) -> Iterable[Problem]:
    named = [("pool", seal.pool), ("commons", seal.commons), ("distributable", seal.distributable),
             ("carried_over", seal.carried_over), *((f"payouts: {m}", a) for m, a in sorted(seal.payouts.items()))]
    if seal.carried_in is not None:
        named.append(("carried_in", seal.carried_in))
    for name, value in named:
        key = name.split(":")[0]
        if value < 0 or decimals(value) > digits:
            yield problem_at(seal, "seal", M_("'{name}' is {value}: a sealed amount is never negative and has at most {digits} decimals", name=name, value=value, digits=digits), key=key)
    for member in sorted(set(seal.payouts) - set(ledger.members)):
        yield problem_at(seal, "seal", M_("'payouts' names '{member}', who is not a member", member=member), key="payouts")


def _sums(seal: Seal) -> Iterable[Problem]:
    if seal.pool - seal.commons != seal.distributable:
        yield problem_at(seal, "seal", M_("distributable {distributable} is not pool {pool} − commons {commons}", distributable=seal.distributable, pool=seal.pool, commons=seal.commons), key="distributable")
    paid = sum(seal.payouts.values(), ZERO)
    if paid + seal.carried_over != seal.distributable:
        yield problem_at(seal, "seal", M_("payouts {paid} + carried over {carried_over} = {total}, not the distributable {distributable}", paid=paid, carried_over=seal.carried_over, total=paid + seal.carried_over, distributable=seal.distributable), key="payouts")


def _carry_in(ledger: Ledger, seal: Seal, period: Period) -> Iterable[Problem]:
    """The pool of P = the donations of P (its sealed records) + what the sealed P−1 carried over."""
    digits = ledger.settings.digits
    donations = floor(donations_of(ledger, period), digits)
    taken = seal.pool - donations if seal.carried_in is None else seal.carried_in
    if seal.carried_in is not None and donations + seal.carried_in != seal.pool:
        yield problem_at(seal, "seal", M_("pool {pool} is not the donations of {period} {donations} + carried in {carried_in}", pool=seal.pool, period=seal.id, donations=donations, carried_in=seal.carried_in), key="pool")
        return
    previous = ledger.sealed(period.previous())
    owed = previous.carried_over if previous is not None else ZERO
    if taken != owed:
        before = period.previous()
        if previous is not None:
            message = M_("{period} was sealed with {taken} carried in, but {before} carries over {owed}", period=seal.id, taken=taken, before=before, owed=owed)
        else:
            message = M_("{period} was sealed with {taken} carried in from {before}, which is not closed", period=seal.id, taken=taken, before=before)
        yield problem_at(seal, "seal", message, M_("periods are closed in order, each taking in the carry-over of the one before: "
                                                  "reopen {period} first (fab close --reopen {period} --reason ...), then close "
                                                  "{before} and {period} again", period=seal.id, before=before),
                         key="carried_in" if seal.carried_in is not None else "pool")
    if "commons_share" in seal.parameters and seal.parameters["commons_share"] is not None:
        commons = floor(Fraction(seal.parameters["commons_share"]) * donations_of(ledger, period), digits)
        if commons != seal.commons:
            yield problem_at(seal, "seal", M_("commons {commons} is not commons_share {share} × donations {donations}, rounded down ({expected})", commons=seal.commons, share=seal.parameters["commons_share"], donations=donations, expected=commons), key="commons")
