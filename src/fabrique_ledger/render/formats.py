"""Values as text, in one place: machine forms (JSON, CSV) and the forms people read.

Machine outputs are the same bytes in every language: ``as_json`` writes Messages in English, exact
Decimals as their digits (``1500.00``), dates as ISO.  People read amounts, numbers and dates the way
of their language, through Babel: ``shown_money`` ('€1,500.00', '1 500,00 €'), ``shown_number``,
``shown_day``, ``long_day``; the ``pretty_*`` helpers do the same for the machine text of a report
('1500.00', '2026-11-27'), with '—' where there is none.  i18n's ``Day`` and ``Money`` messages are
worded by these functions too, so a value reads the same in a message and in a table.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from ..amounts import decimal, money_value, trimmed
from ..i18n import english, language

# English month abbreviations, whatever the machine's locale (Babel's would follow CLDR: 'Sept')
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


# --- forms people read ------------------------------------------------------------------------------

def _locale() -> str:
    return "fr_FR" if language() == "fr" else "en_US"


def _exact(value: Fraction | Decimal | int | float | str) -> Decimal:
    if isinstance(value, Fraction):
        return decimal(value, 8)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def shown_money(amount: Fraction | Decimal | int | str, currency: str = "EUR", digits: int | None = None) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English (Babel; narrow no-break spaces kept); JSON, CSV
    and YAML keep the machine form ('1234.56')."""
    from babel.numbers import format_currency

    value = _exact(amount) if digits is None else decimal(_exact(amount), digits)
    return format_currency(value, currency, locale=_locale(), decimal_quantization=False)


def shown_number(value: Fraction | Decimal | int | float | str, places: int = 4) -> str:
    """``1 234,5`` / ``1,234.5``: a number with at most ``places`` decimals, trailing zeros dropped."""
    from babel.numbers import format_decimal

    exact = decimal(_exact(value), places)
    return format_decimal(exact, format="#,##0." + "#" * places if places else "#,##0",
                          locale=_locale(), decimal_quantization=False)


def decimal_mark(value: Any) -> str:
    """'0.6667' -> '0,6667' in French; unchanged in English (digits kept as they are, not grouped)."""
    return str(value).replace(".", ",") if language() == "fr" else str(value)


def shown_day(value: date) -> str:
    """``20 janv. 2026`` / ``20 Jan 2026``: a date for people (ISO stays in JSON, CSV and YAML)."""
    if language() == "fr":
        from babel.dates import format_date

        return format_date(value, format="d MMM y", locale="fr_FR")
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def long_day(value: date, lang: str) -> str:
    """« 1er février 2026 » / "February 1, 2026": a date written out, in the language of a document
    (a response template is in its own language, whatever the run's)."""
    from babel.dates import format_date

    text = format_date(value, format="long", locale=lang)
    return "1er" + text[1:] if lang == "fr" and value.day == 1 else text


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
