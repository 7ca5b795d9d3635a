"""The split policies of DESIGN §6, as pure functions on exact numbers.

Every policy has the signature ``policy(inputs, part, params) -> Outcome``:

* ``inputs`` is a :class:`~fabrique_ledger.split.engine.SplitInputs` (plain values, already
  filtered by the ledger side: opt-outs absent, requests that count, allocations that count);
* ``part`` is the exact part of the budget the policy hands out (``fraction × budget`` in a mix);
* ``params`` holds the policy's parameters as Fractions (``alpha``, ``discount``...).

An :class:`Outcome` carries two maps, both restricted to recipients and to positive entries:

* ``scores``: the per-person quantity the policy works from, shown by ``fab split --explain``
  (proportional/equal/hybrid: value in P; requests: amount asked; peer: points received;
  recent: discounted value; balanced: need, or lifetime value in the fallback);
* ``amounts``: the exact amount given to each person. The sum never exceeds ``part``; it may be
  less (requests that fit the budget, nobody with a score): the engine carries the rest over.

Nothing here rounds, caps or reads files: that keeps each policy a few lines of checkable math.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # engine imports this module; the type is only needed for annotations
    from .engine import SplitInputs

ZERO = Fraction(0)


@dataclass(frozen=True)
class Outcome:
    """What one policy decided: scores (for the explanation) and exact amounts."""

    scores: Mapping[str, Fraction] = field(default_factory=dict)
    amounts: Mapping[str, Fraction] = field(default_factory=dict)


Policy = Callable[["SplitInputs", Fraction, Mapping[str, Fraction]], Outcome]


# --- helpers ---------------------------------------------------------------------------------


def positive(entries: Iterable[tuple[str, Fraction]]) -> dict[str, Fraction]:
    """Keep positive entries, keyed in sorted order, so outputs never depend on input order."""
    return {member: Fraction(v) for member, v in sorted(entries) if v > 0}


def pro_rata(weights: Mapping[str, Fraction], part: Fraction) -> dict[str, Fraction]:
    """Split ``part`` exactly in proportion to ``weights``; nothing when all weights are 0."""
    total = sum(weights.values(), ZERO)
    if total == 0:
        return {}
    return positive((m, part * w / total) for m, w in weights.items())


def add_amounts(*maps: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Sum several person -> amount maps, exactly, keyed in sorted order."""
    total: dict[str, Fraction] = {}
    for amounts in maps:
        for member, amount in amounts.items():
            total[member] = total.get(member, ZERO) + amount
    return dict(sorted(total.items()))


def param(params: Mapping[str, Fraction], name: str, low: int = 0, high: int = 1) -> Fraction:
    """A required parameter in [low, high]; a clear ValueError rather than silent nonsense."""
    if name not in params:
        raise ValueError(f"missing policy parameter {name!r}")
    value = Fraction(params[name])
    if not low <= value <= high:
        raise ValueError(f"policy parameter {name!r} must be between {low} and {high}, got {value}")
    return value


def value_at(inputs: SplitInputs, member: str, age: int) -> Fraction:
    """A recipient's value ``age`` periods before P (0 when absent)."""
    return Fraction(inputs.values.get(member, {}).get(age, ZERO))


def current_values(inputs: SplitInputs) -> dict[str, Fraction]:
    """Each recipient's value in P (age 0), positive ones only."""
    return positive((m, value_at(inputs, m, 0)) for m in inputs.recipients)


def lifetime_values(inputs: SplitInputs) -> dict[str, Fraction]:
    """Each recipient's value summed over every period up to P, positive ones only."""
    return positive(
        (m, sum(inputs.values.get(m, {}).values(), ZERO)) for m in inputs.recipients
    )


def discounted_values(inputs: SplitInputs, discount: Fraction) -> dict[str, Fraction]:
    """Σ value × (1 − d)^age per recipient; Fraction(0) ** 0 == 1 so d = 1 keeps age 0 only."""
    keep = 1 - discount
    return positive(
        (m, sum((v * keep**age for age, v in sorted(inputs.values.get(m, {}).items())), ZERO))
        for m in inputs.recipients
    )


# --- the policies ----------------------------------------------------------------------------


def proportional(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Share ∝ value in P."""
    scores = current_values(inputs)
    return Outcome(scores, pro_rata(scores, part))


def equal(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Equal shares among recipients with value > 0 in P (the score shown is that value)."""
    scores = current_values(inputs)
    return Outcome(scores, pro_rata(dict.fromkeys(scores, Fraction(1)), part))


def hybrid(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """alpha of the part equally among those with value > 0, the rest proportionally."""
    alpha = param(params, "alpha")
    flat = equal(inputs, alpha * part, params)
    prop = proportional(inputs, (1 - alpha) * part, params)
    return Outcome(prop.scores, add_amounts(flat.amounts, prop.amounts))


def requests(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Each counted request is paid in full if they all fit, else all are scaled to the part.

    What fits leaves the rest of the part unspent (the engine carries it over).
    """
    asked = positive((m, Fraction(a)) for m, a in inputs.requests.items() if m in inputs.recipients)
    if sum(asked.values(), ZERO) <= part:
        return Outcome(asked, dict(asked))
    return Outcome(asked, pro_rata(asked, part))


def peer(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Share ∝ points received; nobody received points -> nothing spent."""
    points = positive((m, Fraction(p)) for m, p in inputs.points.items() if m in inputs.recipients)
    return Outcome(points, pro_rata(points, part))


def recent(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Share ∝ Σ value_k × (1 − d)^(P − k): d = 1 is proportional, d = 0 is lifetime value."""
    scores = discounted_values(inputs, param(params, "discount"))
    return Outcome(scores, pro_rata(scores, part))


def balanced(inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]) -> Outcome:
    """Share ∝ need_i = max(0, target_i − paid_i), target_i = (Σ paid + part) × lifetime_i / C.

    Sums run over recipients only. Σ need ≥ part, so the needs can only all be 0 when the part
    is 0; the fallback to lifetime value then just keeps the explanation meaningful.
    """
    lifetime = lifetime_values(inputs)
    c = sum(lifetime.values(), ZERO)
    if c == 0:
        return Outcome()
    paid = {m: Fraction(inputs.paid.get(m, ZERO)) for m in sorted(inputs.recipients)}
    pot = sum(paid.values(), ZERO) + part
    need = positive((m, pot * life / c - paid[m]) for m, life in lifetime.items())
    if not need:
        return Outcome(lifetime, pro_rata(lifetime, part))
    return Outcome(need, pro_rata(need, part))


POLICIES: Mapping[str, Policy] = {
    "proportional": proportional,
    "equal": equal,
    "hybrid": hybrid,
    "requests": requests,
    "peer": peer,
    "recent": recent,
    "balanced": balanced,
}
"""The policies by name, as written in ``ledger/fabrique.yaml``."""


# The policies that count periods before P (the others only look at P): what a split must read.
LOOKS_BACK = frozenset({"recent", "balanced"})


def run_policy(
    name: str, inputs: SplitInputs, part: Fraction, params: Mapping[str, Fraction]
) -> Outcome:
    """Run the policy called ``name`` on ``part`` of the budget."""
    if name not in POLICIES:
        raise ValueError(f"unknown split policy {name!r}; known: {', '.join(sorted(POLICIES))}")
    return POLICIES[name](inputs, Fraction(part), params)
