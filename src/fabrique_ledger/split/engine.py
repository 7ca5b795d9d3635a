"""The split of DESIGN §6 end to end: mix of policies, cap, rounding, minimum payout.

``compute_split`` works on plain exact values (the ledger side turns YAML records into a
:class:`SplitInputs`). Everything stays a :class:`~fractions.Fraction` until the single
largest-remainder rounding, so ``paid_total + carried_over == budget`` holds exactly.

Choices beyond the letter of §6 (each also explained where it is made):

* **Mix.** Each policy runs on ``fraction × budget``; amounts are summed per person. A single
  policy is the mix ``[policy at fraction 1]``. Fractions must be ≥ 0 and add up to 1.
* **Score.** For a single policy, a line's score is that policy's score (see ``policies``).
  For a mix of several policies, scores in different units (hours, euros, points) cannot be
  added, so the line's score is ``Σ fraction_p × score_p / Σ_everyone score_p``: each policy's
  normalised score weighted by its part of the budget (a number between 0 and 1).
* **Cap and requests.** The excess above ``cap × budget`` is redistributed among the uncapped
  in proportion to their pre-cap amounts *from policies other than* ``requests``. So amounts
  from requests never grow: in a pure-requests split nothing is redistributed and the excess
  is carried over; in a mix, only the non-request part of each person attracts the excess.
* **Cap and rounding.** The leftover quanta of the largest-remainder pass never go to someone
  whose floored amount plus one quantum would exceed the cap (capped people included); such a
  quantum is carried over. So every paid amount is ≤ cap × budget.
* **Minimum payout.** Applied after rounding, without redistribution: rounded amounts > 0 and
  below ``min_payout`` are carried over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .apportion import apply_cap, largest_remainder
from .policies import ZERO, Outcome, add_amounts, run_policy

BELOW_MIN_PAYOUT = "below-min-payout"
CAPPED = "capped"
NO_SCORE = "no-score"


@dataclass(frozen=True)
class PolicySpec:
    """One policy of the split, with its (already validated) parameters and part of the budget."""

    name: str
    params: Mapping[str, Fraction] = field(default_factory=dict)
    fraction: Fraction = Fraction(1)


@dataclass(frozen=True)
class SplitInputs:
    """Plain values for one period P, prepared by the ledger side.

    ``values``: member -> {age: value}, age 0 being P, 1 the period before, ...;
    ``requests``: amounts asked by members whose request counts;
    ``points``: points received (only from recipients, never from oneself);
    ``paid``: what each member received in closed periods before P.
    Entries of non-recipients are ignored.
    """

    recipients: frozenset[str]
    values: Mapping[str, Mapping[int, Fraction]] = field(default_factory=dict)
    requests: Mapping[str, Fraction] = field(default_factory=dict)
    points: Mapping[str, Fraction] = field(default_factory=dict)
    paid: Mapping[str, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """One person's explanation, from score to what is paid.

    ``reason`` says why ``paid`` is 0 or below the exact amount: ``"below-min-payout"`` (the
    rounded amount, possibly 0 because under one quantum, is not paid), ``"capped"`` (held at
    the cap), ``"no-score"`` (listed for a score, but the policies gave no amount — e.g. a
    zero budget), else ``None``.
    """

    member: str
    score: Fraction
    share: Fraction
    before_cap: Fraction
    after_cap: Fraction
    rounded: Fraction
    paid: Fraction
    reason: str | None


@dataclass(frozen=True)
class SplitResult:
    """The split of a budget: one line per person with a score or an amount, sorted by member."""

    budget: Fraction
    lines: tuple[Line, ...]
    paid_total: Fraction
    carried_over: Fraction

    def payouts(self) -> dict[str, Fraction]:
        """Who is paid what (positive payouts only), sorted by member."""
        return {line.member: line.paid for line in self.lines if line.paid > 0}


def compute_split(
    budget: Fraction,
    policies: Sequence[PolicySpec],
    inputs: SplitInputs,
    *,
    cap: Fraction | None,
    min_payout: Fraction,
    quantum: Fraction,
) -> SplitResult:
    """Split ``budget`` (the distributable amount) by the mix ``policies``; see the module doc."""
    budget, min_payout, quantum = Fraction(budget), Fraction(min_payout), Fraction(quantum)
    _check_arguments(budget, policies, inputs, cap, min_payout, quantum)
    outcomes = [(spec, run_policy(spec.name, inputs, spec.fraction * budget, spec.params))
                for spec in policies]
    before = add_amounts(*(o.amounts for _, o in outcomes))
    growable = add_amounts(*(o.amounts for s, o in outcomes if s.name != "requests"))
    limit = None if cap is None else Fraction(cap) * budget
    after = apply_cap(before, growable, limit)
    rounded = largest_remainder(after.amounts, quantum, ceiling=limit)
    scores = _scores(outcomes)
    lines = tuple(
        _line(m, scores.get(m, ZERO), budget, before.get(m, ZERO), after.amounts.get(m, ZERO),
              rounded.get(m, ZERO), m in after.capped, min_payout)
        for m in sorted(set(scores) | set(before))
    )
    paid_total = sum((line.paid for line in lines), ZERO)
    return SplitResult(budget, lines, paid_total, budget - paid_total)


def _scores(outcomes: Sequence[tuple[PolicySpec, Outcome]]) -> dict[str, Fraction]:
    """A single policy's own scores; for a mix, the fraction-weighted normalised scores."""
    if len(outcomes) == 1:
        return dict(outcomes[0][1].scores)
    weighted = []
    for spec, outcome in outcomes:
        total = sum(outcome.scores.values(), ZERO)
        if total > 0:
            weighted.append({m: spec.fraction * s / total for m, s in outcome.scores.items()})
    return add_amounts(*weighted)


def _line(member: str, score: Fraction, budget: Fraction, before: Fraction, after: Fraction,
          rounded: Fraction, capped: bool, min_payout: Fraction) -> Line:
    """One person's line; min_payout is applied here, after rounding, without redistribution."""
    paid = rounded if rounded >= min_payout and rounded > 0 else ZERO
    share = before / budget if budget else ZERO
    return Line(member, score, share, before, after, rounded, paid,
                _reason(before, after, rounded, paid, capped))


def _reason(before: Fraction, after: Fraction, rounded: Fraction, paid: Fraction,
            capped: bool) -> str | None:
    """Why ``paid`` is 0 or reduced, most decisive cause first."""
    if paid == 0 and before == 0:
        return NO_SCORE
    if paid == 0 and after > 0:
        return BELOW_MIN_PAYOUT  # rounded below min_payout, or under one quantum
    if capped:
        return CAPPED
    return None


def _check_arguments(budget: Fraction, policies: Sequence[PolicySpec], inputs: SplitInputs,
                     cap: Fraction | None, min_payout: Fraction, quantum: Fraction) -> None:
    """Refuse inputs for which the invariants could not hold (negative money, fractions ≠ 1)."""
    if budget < 0:
        raise ValueError(f"budget must not be negative, got {budget}")
    if quantum <= 0:
        raise ValueError(f"quantum must be positive, got {quantum}")
    if min_payout < 0:
        raise ValueError(f"min_payout must not be negative, got {min_payout}")
    if cap is not None and cap < 0:
        raise ValueError(f"cap must not be negative, got {cap}")
    if not policies:
        raise ValueError("a split needs at least one policy")
    if any(spec.fraction < 0 for spec in policies) or sum(s.fraction for s in policies) != 1:
        raise ValueError("policy fractions must be >= 0 and add up to 1")
    numbers = [v for ages in inputs.values.values() for v in ages.values()]
    numbers += [*inputs.requests.values(), *inputs.points.values(), *inputs.paid.values()]
    if any(n < 0 for n in numbers):
        raise ValueError("values, requests, points and paid amounts must not be negative")
    if any(age < 0 for ages in inputs.values.values() for age in ages):
        raise ValueError("ages must not be negative (only periods up to P count)")
