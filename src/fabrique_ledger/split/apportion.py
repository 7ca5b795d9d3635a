"""Cap and rounding: the two steps of DESIGN §6 that turn exact amounts into payable ones.

Both are pure functions on ``{member: Fraction}`` maps. They iterate in sorted member order and
break every tie by handle, so the result never depends on the order of the input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

ZERO = Fraction(0)


@dataclass(frozen=True)
class Capped:
    """Amounts after the cap, and who was held at the cap."""

    amounts: Mapping[str, Fraction]
    capped: frozenset[str]


def apply_cap(
    amounts: Mapping[str, Fraction], weights: Mapping[str, Fraction], limit: Fraction | None
) -> Capped:
    """Hold everyone at ``limit`` at most, sharing the excess among the others, repeatedly.

    The excess goes to people not (yet) capped, in proportion to their ``weights`` — the
    pre-cap amounts that may grow (the engine leaves out amounts from ``requests``, so nobody
    gets more than they asked through redistribution). Someone pushed above the limit by a
    redistribution is capped in the next round. Excess that nobody can take (everyone capped,
    or nobody with a weight) leaves the total: the caller carries it over.
    """
    current = {m: Fraction(a) for m, a in sorted(amounts.items())}
    if limit is None:
        return Capped(current, frozenset())
    capped: set[str] = set()
    while over := [m for m, a in current.items() if a > limit]:
        excess = sum((current[m] - limit for m in over), ZERO)
        capped.update(over)
        current.update(dict.fromkeys(over, Fraction(limit)))
        takers = {m: Fraction(w) for m, w in sorted(weights.items()) if w > 0 and m not in capped}
        total = sum(takers.values(), ZERO)
        for member, weight in takers.items():
            current[member] = current.get(member, ZERO) + excess * weight / total
    return Capped(current, frozenset(capped))


def largest_remainder(
    amounts: Mapping[str, Fraction], quantum: Fraction, ceiling: Fraction | None = None
) -> dict[str, Fraction]:
    """Round exact amounts to multiples of ``quantum`` with one largest-remainder pass.

    Everyone is floored to the quantum; the total handed out is the exact total floored to the
    quantum; the quanta left go one by one to the largest remainders, ties to the alphabetically
    first handle. A person whose floored amount plus one quantum would exceed ``ceiling`` (the
    cap) gets no extra quantum, so rounding can never lift anyone above the cap; a quantum
    nobody may take stays unpaid (the caller carries it over).
    """
    quantum = Fraction(quantum)
    if quantum <= 0:
        raise ValueError(f"quantum must be positive, got {quantum}")
    floors = {m: math.floor(a / quantum) * quantum for m, a in sorted(amounts.items())}
    total = math.floor(sum(amounts.values(), ZERO) / quantum) * quantum
    left = int((total - sum(floors.values(), ZERO)) / quantum)
    order = sorted(floors, key=lambda m: (floors[m] - amounts[m], m))  # largest remainder first
    for member in order:
        if left == 0:
            break
        if amounts[member] == floors[member]:
            break  # no remainder left anywhere further down
        if ceiling is not None and floors[member] + quantum > ceiling:
            continue
        floors[member] += quantum
        left -= 1
    return floors
