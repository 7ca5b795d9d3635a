"""Exact numbers as text: money with the currency's digits, other numbers trimmed."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..amounts import decimal


def money(value: Fraction | Decimal | int, digits: int = 2) -> str:
    """'1500.00': the form of amounts in JSON and CSV (payouts are exact multiples of the unit)."""
    return str(decimal(value, digits))


def number(value: Fraction | Decimal | int, places: int = 4) -> str:
    """'6', '0.2609': up to ``places`` decimals, trailing zeros removed."""
    text = str(decimal(value, places))
    return text.rstrip("0").rstrip(".") if "." in text else text
