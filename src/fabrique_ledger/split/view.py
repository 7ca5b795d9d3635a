"""A period's split as every page shows it, as data (exact Decimals, dates, and ``Message`` words): the seal
of a closed period, the split computed now of an open one, or a labelled what-if (DESIGN §7).

``status`` says what the numbers are: ``open`` (a proposal until the period is closed), ``sealed`` (the
seal's amounts: what is paid), ``what-if`` (``--policy``/``--param``) or ``recomputed`` (a closed period
recomputed today, shown only beside its seal).  A recomputation is never shown under the word "sealed".
``--explain`` adds, per person, the counted contributions and what each policy worked from.  The
renderers (``render/split.py``) turn this into JSON, CSV, Markdown and the terminal's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..amounts import money_value, trimmed
from ..changes import joined
from ..i18n import M_, N_, Joined, Message, Text
from ..ledger import Ledger
from ..periods import Period
from ..problems import Problem
from ..records import Seal
from ..sealrules import seal_problems
from ..seals import carried_in, money_differences, seal_currency, seal_settings, sealed_money, split_money
from ..settings import Settings, digits_of
from ..shown import Day
from .period import PeriodSplit, policy_details, split_period

REASONS = {
    "below-min-payout": N_("below min_payout: carried over"),
    "capped": N_("held at the cap"),
    "no-score": N_("no amount"),
    "objection": N_("objection: counts 0 until lifted"),
    "not reviewed": N_("not reviewed yet (require_review)"),
}


@dataclass(frozen=True)
class SealedSplit:
    """A closed period as every page shows it: the seal's amounts, and the split recomputed today
    under the seal's own policy and parameters, to explain the amounts when the two agree, or to say
    that they no longer do (a what-if, never shown as the seal)."""

    seal: Seal
    recomputed: PeriodSplit
    donations: Decimal  # the pool less what it took in from the period before
    carried_in: Decimal
    problems: tuple[Problem, ...] = ()  # what fab check finds wrong with the seal (``seal_problems``)

    @property
    def agrees(self) -> bool:
        return sealed_money(self.seal) == split_money(self.recomputed)

    @property
    def currency(self) -> str:
        """The seal's own currency: its amounts are in it, whatever the settings say now."""
        return seal_currency(self.seal, self.recomputed.currency)


def sealed_split(ledger: Ledger, period: Period) -> SealedSplit | None:
    """The seal of ``period`` with today's recomputation under its policy, or None while it is open."""
    seal = ledger.sealed(period)
    if seal is None:
        return None
    recomputed = split_period(ledger, period, seal_settings(ledger.settings, seal.policy, seal.parameters))
    taken = carried_in(ledger, seal, period)
    return SealedSplit(seal, recomputed, seal.pool - taken, taken, tuple(seal_problems(ledger, period)))


def as_data(split: PeriodSplit, explain: bool = False, status: str = "open") -> dict:
    """The split computed now: ``status`` is ``open``, ``what-if`` or ``recomputed`` (see the module doc)."""
    d = split.digits
    result = split.result
    data = {
        "period": str(split.period),
        "currency": split.currency,
        "status": status,
        "policy": split.policy.describe(),
        "donations": money_value(split.donations, d),
        "carried_in": money_value(split.carried_in, d),
        "pool": money_value(split.pool, d),
        "commons": money_value(split.commons, d),
        "distributable": money_value(split.distributable, d),
        "paid": money_value(result.paid_total, d),
        "carried_over": money_value(result.carried_over, d),
        "payouts": [
            {"member": line.member, "amount": money_value(line.paid, d), "share": trimmed(_share(line.paid, result.budget)),
             "score": trimmed(line.score)}
            for line in result.lines if line.paid > 0
        ],
        "warnings": list(split.warnings),
    }
    if explain:
        data["explain"] = explanation(split)
    return data


def for_period(ledger: Ledger, period: Period, what_if: Settings | None = None, explain: bool = False) -> dict:
    """The split every page shows for ``period``: its seal when it is closed, else the split computed now;
    with ``what_if`` settings (``--policy``/``--param``), that what-if, labelled, and said not to be what is
    paid when the period is closed."""
    if what_if is None:
        sealed = sealed_split(ledger, period)
        if sealed is not None:
            return sealed_data(sealed, explain)
        return as_data(split_period(ledger, period), explain)
    data = as_data(split_period(ledger, period, what_if), explain, "what-if")
    seal = ledger.sealed(period)
    if seal is not None:
        data["warnings"].insert(0, M_("{period} is closed: it was sealed on {date} with {policy}; this what-if is not "
                                      "what is paid (see fab split --period {period})", period=period, date=Day(seal.date),
                                      policy=policy_words(seal.policy)))
    return data


def sealed_data(sealed: SealedSplit, explain: bool = False) -> dict:
    """A closed period: the seal's policy, parameters and amounts.  Today's recomputation under the seal's
    policy explains the amounts when it agrees with them; when it does not, it is given apart, under
    ``recomputed``, with a warning that says so."""
    seal, currency = sealed.seal, sealed.currency
    d = digits_of(currency)
    scores = {line.member: line.score for line in sealed.recomputed.result.lines} if sealed.agrees else {}
    distributable = Fraction(seal.distributable)
    data: dict[str, Any] = {
        "period": seal.id,
        "currency": currency,
        "status": "sealed",
        "sealed_on": seal.date,
        "seal": seal.source.path,
        "policy": dict(seal.policy),
        "parameters": dict(seal.parameters),
        "donations": money_value(sealed.donations, d),
        "carried_in": money_value(sealed.carried_in, d),
        "pool": money_value(seal.pool, d),
        "commons": money_value(seal.commons, d),
        "distributable": money_value(seal.distributable, d),
        "paid": money_value(sum(seal.payouts.values()), d),
        "carried_over": money_value(seal.carried_over, d),
        "payouts": [{"member": m, "amount": money_value(a, d), "share": trimmed(_share(Fraction(a), distributable)),
                     "score": trimmed(scores[m]) if m in scores else None} for m, a in sorted(seal.payouts.items())],
        "warnings": [],
        "recomputed": None,
    }
    if sealed.problems:
        data["warnings"].append(M_("the seal of {period} does not pass fab check: {problems}. Its amounts are shown as the "
                                   "file says, but nothing should be paid from them until it is corrected: reopen {period} "
                                   "on record (fab close --reopen {period} --reason ...) and close it again", period=seal.id,
                                   problems=joined(Joined([p.location(), p.message], ": ") for p in sealed.problems)))
    if currency != sealed.recomputed.currency:
        data["warnings"].append(M_("the settings now count in {currency}, but {period} was sealed in {sealed}: its amounts "
                                   "are in {sealed} (fab check refuses the change of currency)",
                                   currency=sealed.recomputed.currency, period=seal.id, sealed=currency))
    if sealed.agrees:
        if explain:
            data["explain"] = explanation(sealed.recomputed)
    else:
        differences = joined(money_differences(sealed_money(seal), split_money(sealed.recomputed), currency))
        if sealed.problems:
            data["warnings"].append(M_("recomputed today under its sealed policy, the split of {period} differs from the "
                                       "seal ({differences}); the recomputation is only a what-if", period=seal.id,
                                       differences=differences))
        else:
            data["warnings"].append(M_("recomputed today under its sealed policy, the split of {period} differs from the seal "
                                       "({differences}): the ledger's settings or members changed since it was sealed on {date}. "
                                       "The seal is what is paid; the recomputation is only a what-if", period=seal.id,
                                       differences=differences, date=Day(seal.date)))
        data["recomputed"] = as_data(sealed.recomputed, explain, status="recomputed")
    return data


def _share(amount: Fraction, budget: Fraction) -> Fraction:
    return amount / budget if budget else Fraction(0)


def explanation(split: PeriodSplit) -> list[dict]:
    """Per person: each counted contribution (hours × weight × factor × share), what each policy of the
    split worked from (request and approvals, points received, decay per period, need), then the money."""
    d = split.digits
    lines = {line.member: line for line in split.result.lines}
    details = policy_details(split)
    people = sorted({*lines, *(c.member for c in split.counted), *details})
    out = []
    for member in people:
        line = lines.get(member)
        codes = sorted({c.why for c in split.counted if c.member == member and c.why})
        reasons: list[Text] = [M_(REASONS[r]) if r in REASONS else r for r in codes]
        if member in split.opted_out:
            reasons.insert(0, M_("opted out (receives: false)"))
        if line is not None and line.reason:
            reasons.append(M_(REASONS[line.reason]) if line.reason in REASONS else line.reason)
        out.append({
            "member": member,
            "contributions": [
                {"id": c.contribution.id, "kind": c.contribution.kind, "hours": trimmed(Fraction(c.contribution.hours), 2),
                 "weight": trimmed(c.weight), "review_factor": trimmed(c.factor), "author_share": trimmed(c.share),
                 "value": trimmed(c.value)}
                for c in split.counted if c.member == member
            ],
            **_policy_inputs(details.get(member, {}), d),
            "score": trimmed(line.score) if line else trimmed(0),
            "share": str(line.share) if line else "0",
            "before_cap": money_value(line.before_cap, d) if line else money_value(0, d),
            "after_cap": money_value(line.after_cap, d) if line else money_value(0, d),
            "rounded": money_value(line.rounded, d) if line else money_value(0, d),
            "paid": money_value(line.paid, d) if line else money_value(0, d),
            "why": reasons,
        })
    return out


def _policy_inputs(details: dict[str, Any], d: int) -> dict[str, Any]:
    """The policy inputs of one person as JSON-ready data (exact strings, machine keys)."""
    out: dict[str, Any] = {}
    if "requests" in details:
        asked = details["requests"]
        out["request"] = {"id": asked.request.id, "asked": money_value(Fraction(asked.request.amount), d),
                          "approvals": list(asked.approvals), "needed": asked.needed, "objections": list(asked.objections),
                          "counts": asked.counts}
    if "peer" in details:
        given = details["peer"]
        out["points"] = {"received": sum(n for _giver, n in given), "from": {giver: n for giver, n in given}}
    if "recent" in details:
        discount, rows = details["recent"]
        out["recent"] = {"discount": trimmed(discount), "periods": [
            {"period": str(period), "value": trimmed(value), "factor": trimmed(factor), "counted": trimmed(value * factor)}
            for period, value, factor in rows]}
    if "balanced" in details:
        life, total, paid, target, need = details["balanced"]
        out["balanced"] = {"lifetime_value": trimmed(life), "everyone_lifetime_value": trimmed(total),
                           "paid_before": money_value(paid, d), "target": money_value(target, d), "need": money_value(need, d)}
    return out


def policy_words(policy: dict) -> Message | str:
    """'proportional', 'hybrid (alpha 0.3)', 'mix: recent 0.5, balanced 0.5' (a policy's own words are its names)."""
    if "mix" in policy:
        return Joined([M_("mix: "), ", ".join(f"{p['name']} {p['fraction']}" for p in policy["mix"])], "")
    params = ", ".join(f"{k} {v}" for k, v in policy.items() if k not in ("name", "fraction"))
    return f"{policy['name']}{f' ({params})' if params else ''}"
