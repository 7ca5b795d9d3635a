"""Exact numbers as text: money with the currency's digits, other numbers trimmed."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction


def decimal(value: Fraction | Decimal | int, places: int) -> Decimal:
    """``value`` rounded half-even to ``places`` decimals, computed exactly (no float on the way)."""
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def money(value: Fraction | Decimal | int, digits: int = 2) -> str:
    """'1500.00': the form of amounts in JSON and CSV (payouts are exact multiples of the unit)."""
    return str(decimal(value, digits))


def number(value: Fraction | Decimal | int, places: int = 4) -> str:
    """'6', '0.2609': up to ``places`` decimals, trailing zeros removed."""
    text = str(decimal(value, places))
    return text.rstrip("0").rstrip(".") if "." in text else text
