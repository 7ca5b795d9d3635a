"""Seals (DESIGN §7): what the seal of a closed period covers, how it is made, and how a recomputation
compares with it.  A closed period has one truth, its seal; the rules of ``fab check`` that keep it true
are in ``sealrules``.

What a seal covers: every file in the period's folders, and the reviews filed in a later period whose
target is a contribution or a request of the period (reviews made at the review meeting, after the
period ended, count for the period they review).  So after the close, the period's contributions and
requests can no longer be reviewed, unless the period is reopened on record.

Pure functions over a Ledger: no files, no git, no terminal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .amounts import floor
from .i18n import M_, N_, Message
from .ledger import Ledger
from .periods import Period
from .records import Seal
from .settings import OVERRIDABLE, SETTINGS_PATH, Policy, Settings, digits_of
from .shown import Money
from .split.period import PeriodSplit, donations_of

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
    later = sorted(p for p in (period_of_seal(ledger, s) for s in ledger.seals.values() if s.sealed) if p is not None and p > period)
    if not later:
        return None
    return (M_("{later} is sealed after {period}: a later seal took in the carry-over of the periods before it",
               later=later[-1], period=period),
            M_("reopen the later periods first, the last one first (fab close --reopen {later} --reason ...), then "
               "{period}", later=later[-1], period=period))


def period_of_seal(ledger: Ledger, seal: Seal) -> Period | None:
    """The period a seal's id names, or None when it names none (fab check says so)."""
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


def seal_currency(seal: Seal | None, currency: str) -> str:
    """The currency of a seal's amounts: its own, whatever the settings say now (a change of currency is a
    problem of fab check); ``currency``, the ledger's, for an early seal that does not say, or no seal."""
    return seal.currency if seal is not None and seal.currency else currency


def sealed_digits(seal: Seal, settings: Settings) -> int:
    """The minor digits of the seal's own currency."""
    return digits_of(seal_currency(seal, settings.currency))


def carried_in(ledger: Ledger, seal: Seal, period: Period) -> Decimal:
    """What the seal's pool took in from the period before: as it says, or, for an early seal that does not
    say, its pool less the donations of the period."""
    if seal.carried_in is not None:
        return seal.carried_in
    return seal.pool - floor(donations_of(ledger, period), sealed_digits(seal, ledger.settings))
