"""Exact amounts: Fractions turned into Decimals with a stated rounding, in one place."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction


def decimal(value: Fraction | Decimal | int, places: int, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """``value`` rounded to ``places`` decimals (half-even unless told), computed exactly."""
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def floor(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Rounded down to ``places`` decimals: what can really be paid out of ``value``."""
    return decimal(value, places, ROUND_FLOOR)
