"""Values as people read them, in the run's language (Babel): money, numbers and dates, and the messages
that carry them (``Day``, ``Money``), worded only when shown.

The one place these forms are made: the renderers use them for tables (render/formats.py re-exports
them), and a core message holding a date or an amount is worded by them too, so a value reads the same
in a sentence and in a table.  Machine forms (JSON, CSV, YAML) are in render/formats.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .amounts import decimal
from .i18n import Shown, language

# English month abbreviations, whatever the machine's locale (Babel's would follow CLDR: 'Sept')
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


class Day(Shown):
    """A date as people read it: '20 Jan 2026', '20 janv. 2026'."""

    def __str__(self) -> str:
        return shown_day(self.value)


class Money(Shown):
    """An amount with its currency as people read it: '€1,500.00', '1 500,00 €'."""

    def __str__(self) -> str:
        return shown_money(self.value, self.currency)
