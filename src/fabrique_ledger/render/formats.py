"""Values as text, in one place: machine forms (JSON, CSV) and the forms people read.

Machine outputs are the same bytes in every language: ``as_json`` writes Messages in English, exact
Decimals as their digits (``1500.00``), dates as ISO.  People read amounts, numbers and dates the way
of their language, through Babel: ``shown_money`` ('€1,500.00', '1 500,00 €'), ``shown_number``,
``shown_day``, ``long_day``; the ``pretty_*`` helpers do the same for the machine text of a report
('1500.00', '2026-11-27'), with '—' where there is none.  The forms themselves are in the core's
shown.py, with the ``Day`` and ``Money`` messages they word, so a value reads the same in a message and
in a table (the core words its messages without importing a renderer).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from ..amounts import money_value, trimmed
from ..i18n import english, language
from ..shown import MONTHS, decimal_mark, long_day, shown_day, shown_money, shown_number  # noqa: F401 (re-exported)

# --- machine forms ----------------------------------------------------------------------------------

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


# --- forms people read: shown.py (shown_money, shown_number, shown_day, long_day); a report's text ------

def pretty_money(text: str | None, currency: str | None = None) -> str:
    """'1980.45', 'EUR' -> Babel's '€1,980.45' (French '1 980,45 €'): no digit dropped, at least the currency's
    digits; without a currency (a table whose header names it) '1,980.45' ('1 980,45')."""
    if text is None or text == "":
        return "—"
    try:
        exact = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return f"{text} {currency}" if currency else str(text)
    if currency:
        return shown_money(exact, currency)
    if language() == "fr":
        from babel.numbers import format_decimal
        return format_decimal(exact, format="#,##0.00", locale="fr_FR", decimal_quantization=False)
    return format(exact, ",")


def pretty_number(text: str | None) -> str:
    """'23.8333' -> '23,8333' in French (Babel, thousands grouped); unchanged in English."""
    if text is None or text == "":
        return "—"
    if language() != "fr":
        return str(text)
    try:
        exact = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return str(text)
    from babel.numbers import format_decimal
    return format_decimal(exact, format="#,##0.##########", locale="fr_FR", decimal_quantization=False)


def pretty_date(text: str | None) -> str:
    """'2026-11-27' -> '27 Nov 2026' (English month names whatever the machine's locale); None -> '—'."""
    if not text:
        return "—"
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return shown_day(day)
