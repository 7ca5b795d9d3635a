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


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` is written with (``1500.25``: 2, ``1500``: 0): what a currency's digits
    and the hours' two decimals are checked against.  Amounts in records and on the command line are plain
    digits, always finite; a NaN or an infinity has no decimals to count."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    return -exponent


def floor(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Rounded down to ``places`` decimals: what can really be paid out of ``value``."""
    return decimal(value, places, ROUND_FLOOR)


def money_value(value: Fraction | Decimal | int, digits: int = 2) -> Decimal:
    """An amount with exactly the currency's ``digits`` (``1500.00``), half-even: how amounts are data."""
    return decimal(value, digits)


def trimmed(value: Fraction | Decimal | int, places: int = 4) -> Decimal:
    """A number with at most ``places`` decimals and no trailing zero (``6``, ``0.2609``): how scores,
    hours and shares are data."""
    text = str(decimal(value, places))
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)
