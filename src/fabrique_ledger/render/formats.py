"""Values as text, in one place: machine forms (JSON, CSV) and the forms people read.

Machine outputs are the same bytes in every language: ``as_json`` writes Messages in English, exact
Decimals as their digits (``1500.00``), dates as ISO.  People read amounts, numbers and dates the way
of their language (Babel, through ``i18n``).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..amounts import money_value, trimmed
from ..i18n import english


def _machine(value: Any) -> Any:
    if isinstance(value, (Decimal, date)):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not data")


def as_json(data: Any) -> str:
    """Data as indented JSON: Messages in English, Decimals and dates as text, the same in every language."""
    return json.dumps(english(data), ensure_ascii=False, indent=2, default=_machine)


def money(value: Fraction | Decimal | int, digits: int = 2) -> str:
    """'1500.00': the form of amounts in JSON and CSV (payouts are exact multiples of the unit)."""
    return str(money_value(value, digits))


def number(value: Fraction | Decimal | int, places: int = 4) -> str:
    """'6', '0.2609': up to ``places`` decimals, trailing zeros removed."""
    return str(trimmed(value, places))
