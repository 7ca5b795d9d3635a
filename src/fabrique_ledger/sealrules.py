"""The rules of ``fab check`` that keep each seal true (DESIGN §7): nothing it covers changed, its own
numbers add up and take in the carry-over before it, and it is the split of what it covers under its own
policy and parameters.  ``seal_problems`` gives what they find about one seal, for the pages of a closed
period and ``fab payouts``.

A write reads part of the ledger (``Ledger.holds``): each rule judges only what was read, so that a file
not read is unknown, never missing.  Pure functions over a Ledger: no files, no git, no terminal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .amounts import decimals, floor
from .changes import joined
from .i18n import M_, Message
from .ledger import Ledger, sorted_problems
from .payouts import payments
from .periods import Period
from .problems import Problem, problem_at
from .records import Allocation, Request, Seal
from .seals import (
    ZERO,
    carried_in,
    digest,
    money_differences,
    period_of_seal,
    seal_currency,
    seal_settings,
    sealed_digits,
    sealed_files,
    sealed_money,
    split_money,
)
from .settings import SETTINGS_PATH
from .split.period import SPLIT_FOLDERS, PeriodSplit, donations_of, split_period
from .split.policies import LOOKS_BACK

# --- the rules of fab check ----------------------------------------------------------------------

def _closed(seal: Seal) -> Message:
    return M_("{period} was closed on {date} ({path})", period=seal.id, date=seal.date, path=seal.source.path)


def _reopen(seal: Seal) -> Message:
    return M_("a closed period's records stay as they were sealed; to change {period}, reopen it on record first: "
             "fab close --reopen {period} --reason ...", period=seal.id)


def _rewritten(seal: Seal) -> Message:
    return M_("a seal is what fab close wrote: undo the edit of {path} (git restore, or git revert once committed), or reopen {period} on record "
              "(fab close --reopen {period} --reason ...) and close it again", path=seal.source.path, period=seal.id)


def _closed_seals(ledger: Ledger) -> Iterator[tuple[Seal, Period]]:
    """The seals of closed periods (not reopened) whose id is a period, by id."""
    for seal in sorted(ledger.seals.values(), key=lambda s: s.id):
        period = period_of_seal(ledger, seal)
        if seal.sealed and period is not None:
            yield seal, period


def sealed_records(ledger: Ledger) -> Iterable[Problem]:
    """Nothing is added to, changed in or removed from what a closed period's seal covers (DESIGN §7)."""
    for seal in ledger.seals.values():
        if seal.period != seal.id:
            yield problem_at(seal, "seal", M_('the seal file {id}.yaml says period {period}', id=seal.id, period=seal.period), key="period")
    for seal, period in _closed_seals(ledger):
        yield from _covered(ledger, seal, period)


def _covered(ledger: Ledger, seal: Seal, period: Period) -> Iterator[Problem]:
    """The files ``seal`` covers as they are now, against those it lists.  A sealed file that was not read
    (a write reads part of the ledger: ``Ledger.holds``) is unknown, not removed; a sealed review still
    there, whose target is not read, is compared as it is."""
    now, closed, reopen = sealed_files(ledger, period), _closed(seal), _reopen(seal)  # (worded once a seal)
    for path in sorted(set(now) | set(seal.files)):
        sealed = seal.files.get(path)
        blob = now.get(path) or (ledger.blobs.get(path) if sealed is not None else None)
        if sealed == blob:
            continue
        if blob is None:
            if ledger.holds(path):
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


def _holds_folder(ledger: Ledger, folder: str, period: Period) -> bool:
    """Whether the ledger read holds the period folder ``ledger/<folder>/<period>`` (all of it, on a whole read)."""
    return ledger.holds(f"ledger/{folder}/{period}/")


def seal_arithmetic(ledger: Ledger) -> Iterable[Problem]:
    """A seal's numbers add up: pool = donations + carry-in (the carry-over of the sealed period
    before it, else 0), commons = commons_share × donations rounded down, distributable = pool −
    commons = payouts + carried over; amounts are never negative, in cents, paid to members, in the ledger's
    currency.  A seal edited by hand that fails these would drive payouts and the next carry-in."""
    settings = ledger.settings
    for seal, period in _closed_seals(ledger):
        yield from _arithmetic(ledger, seal, period)
        if seal.currency is not None and seal.currency != settings.currency:
            yield Problem(SETTINGS_PATH, 1, 1, "seal", M_("the currency is {currency}, but {period} was sealed in {sealed}: "
                                                         "its amounts would be read in {currency}", currency=settings.currency, period=seal.id, sealed=seal.currency),
                M_("set currency back to {sealed}: a ledger keeps its currency once a period is sealed", sealed=seal.currency))


def _arithmetic(ledger: Ledger, seal: Seal, period: Period) -> Iterator[Problem]:
    yield from _amounts(ledger, seal, sealed_digits(seal, ledger.settings))
    yield from _sums(seal)
    yield from _carry_in(ledger, seal, period)


def _amounts(ledger: Ledger, seal: Seal, digits: int) -> Iterable[Problem]:
    named = [("pool", seal.pool), ("commons", seal.commons), ("distributable", seal.distributable),
             ("carried_over", seal.carried_over), *((f"payouts: {m}", a) for m, a in sorted(seal.payouts.items()))]
    if seal.carried_in is not None:
        named.append(("carried_in", seal.carried_in))
    for name, value in named:
        key = name.split(":")[0]
        if value < 0 or decimals(value) > digits:
            yield problem_at(seal, "seal", M_("'{name}' is {value}: a sealed amount is never negative and has at most {digits} decimals", name=name, value=value, digits=digits), _rewritten(seal), key=key)
    for member in sorted(set(seal.payouts) - set(ledger.members)):
        if ledger.holds(f"ledger/members/{member}.yaml"):
            yield problem_at(seal, "seal", M_("'payouts' names '{member}', who is not a member", member=member), _rewritten(seal), key="payouts")


def _sums(seal: Seal) -> Iterable[Problem]:
    if seal.pool - seal.commons != seal.distributable:
        yield problem_at(seal, "seal", M_("distributable {distributable} is not pool {pool} − commons {commons}", distributable=seal.distributable, pool=seal.pool, commons=seal.commons), _rewritten(seal), key="distributable")
    paid = sum(seal.payouts.values(), ZERO)
    if paid + seal.carried_over != seal.distributable:
        yield problem_at(seal, "seal", M_("payouts {paid} + carried over {carried_over} = {total}, not the distributable {distributable}", paid=paid, carried_over=seal.carried_over, total=paid + seal.carried_over, distributable=seal.distributable), _rewritten(seal), key="payouts")


def _carry_in(ledger: Ledger, seal: Seal, period: Period) -> Iterable[Problem]:
    """The pool of P = the donations of P (its sealed records) + what the sealed P−1 carried over.  What needs
    the donations is judged only when the ledger read holds them (a write reads part of the ledger)."""
    digits = sealed_digits(seal, ledger.settings)
    known = _holds_folder(ledger, "donations", period)
    donations = floor(donations_of(ledger, period), digits)
    if seal.carried_in is None and not known:
        return
    taken = seal.pool - donations if seal.carried_in is None else seal.carried_in
    if known and seal.carried_in is not None and donations + seal.carried_in != seal.pool:
        yield problem_at(seal, "seal", M_("pool {pool} is not the donations of {period} {donations} + carried in {carried_in}", pool=seal.pool, period=seal.id, donations=donations, carried_in=seal.carried_in), _rewritten(seal), key="pool")
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
    if known and "commons_share" in seal.parameters and seal.parameters["commons_share"] is not None:
        commons = floor(Fraction(seal.parameters["commons_share"]) * donations_of(ledger, period), digits)
        if commons != seal.commons:
            yield problem_at(seal, "seal", M_("commons {commons} is not commons_share {share} × donations {donations}, rounded down ({expected})", commons=seal.commons, share=seal.parameters["commons_share"], donations=donations, expected=commons), _rewritten(seal), key="commons")


def seal_splits(ledger: Ledger) -> Iterable[Problem]:
    """Each seal is the split of what it covers under its own policy and parameters: a seal edited so that
    its numbers still add up is found here, as ``fab verify`` finds it from history (``seal-payouts``).
    Judged when the seal's files and the settings are as it sealed them (its digest says so) and it adds
    up, from the ledger read whole (see ``_judged``); a seal that another rule refuses is left to that rule."""
    for seal, period in _closed_seals(ledger):
        yield from _split_of(ledger, seal, period)


def _split_of(ledger: Ledger, seal: Seal, period: Period) -> Iterator[Problem]:
    differences = _differences(ledger, seal, period) if _judged(ledger, seal, period) else []
    if differences:
        yield problem_at(seal, "seal", M_("the seal's amounts are not the split of the records it covers under its own "
                                         "policy and parameters: {differences}", differences=joined(differences)),
                         _rewritten(seal), key="payouts")




def _judged(ledger: Ledger, seal: Seal, period: Period) -> bool:
    """Whether the split of ``period`` recomputed from this ledger is what ``fab close`` computed: what the
    seal covers was read and is unchanged, the seal adds up, the settings are those it sealed (its digest),
    and, for a policy that looks back (recent, balanced), every earlier period was read and sealed before it,
    its records unchanged.  Who received (``receives``) is not covered by a seal: ``_differences`` allows
    for it.  Anything else could differ for a reason the files cannot tell (only history can: fab verify)."""
    if not all(_holds_folder(ledger, folder, period) for folder in SPLIT_FOLDERS) or not all(map(ledger.holds, seal.files)):
        return False
    if next(_covered(ledger, seal, period), None) is not None or next(_arithmetic(ledger, seal, period), None) is not None:
        return False
    if seal.digest != digest(ledger, period):
        return False  # the settings changed since (or the digest was edited: fab verify tells which)
    try:
        policy = seal_settings(ledger.settings, seal.policy, seal.parameters).policy
    except ValueError:
        return False
    if any(part.name in LOOKS_BACK for part in policy.parts()):
        if ledger.scope is not None:
            return False
        for earlier in ledger.periods():
            if earlier >= period:
                break
            before = ledger.sealed(earlier)
            if before is None or before.date >= seal.date or next(_covered(ledger, before, earlier), None) is not None:
                return False
    return True


UNKNOWN_RECIPIENTS = 4  # members whose receiving at the seal is tried both ways, at most (2^4 splits)


def _differences(ledger: Ledger, seal: Seal, period: Period) -> list[Message]:
    """How the seal's payouts and carry-over differ from the split recomputed under its own policy and
    parameters with what it took in, or [] when some set of recipients gives exactly the seal.  Those it pays
    received; a member with something counted in the period and paid nothing may have received or have
    opted out then (``receives`` is not sealed): both are tried, so a later opt-in or opt-out is no problem."""
    settings = seal_settings(ledger.settings, seal.policy, seal.parameters)
    taken = Fraction(carried_in(ledger, seal, period))
    paid = frozenset(seal.payouts)
    receiving = frozenset(h for h, m in ledger.members.items() if m.receives) | paid
    wanted = _paid_out(sealed_money(seal))

    def split(recipients: frozenset[str]) -> PeriodSplit:
        return split_period(ledger, period, settings, recipients=recipients, carried_in=taken)

    first = split(receiving)
    if _paid_out(split_money(first)) == wanted:
        return []
    unknown = sorted(_counted_members(ledger, first, period) - paid)
    if len(unknown) > UNKNOWN_RECIPIENTS:
        return []  # too many ways it could have been: left to fab verify
    for chosen in itertools.chain.from_iterable(itertools.combinations(unknown, n) for n in range(len(unknown) + 1)):
        recipients = (receiving - set(unknown)) | set(chosen)
        if recipients != receiving and _paid_out(split_money(split(recipients))) == wanted:
            return []
    return money_differences(sealed_money(seal), split_money(first), seal_currency(seal, ledger.settings.currency))


def _paid_out(money: dict[str, Any]) -> tuple[dict[str, Decimal], Decimal]:
    return {m: a for m, a in money["payouts"].items() if a}, money["carried_over"]


def _counted_members(ledger: Ledger, split: PeriodSplit, period: Period) -> set[str]:
    """Members something of the period counts for, whether they receive or not: a value, a request, points."""
    found = {m for m, values in split.inputs.values.items() if any(values.values())} | set(split.inputs.requests)
    for allocation in ledger.in_period(Allocation, period):
        found |= {allocation.giver, *allocation.points}
    return found & set(ledger.members)


def seal_problems(ledger: Ledger, period: Period) -> list[Problem]:
    """The errors ``fab check`` finds in the seal of ``period`` (none while it is open): what it covers
    changed, its numbers do not add up, it is not the split of what it covers, it pays less than was paid.
    A currency changed in the settings is not one: the seal keeps its own (every page shows it)."""
    seal = ledger.sealed(period)
    if seal is None:
        return []
    found = [*_covered(ledger, seal, period), *_arithmetic(ledger, seal, period), *_split_of(ledger, seal, period),
             *(p for p in payments(ledger) if p.path == seal.source.path)]
    return sorted_problems(p for p in found if p.severity == "error")
