"""French and English: the language of messages, help texts and reports, and how amounts and dates read.

``language()`` is ``fr`` or ``en``: ``FAB_LANG`` when set (or ``--lang``, which sets it for the run), else
the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` beginning with ``fr``), else English.  ``_(text)`` looks
the English text up in the gettext catalogue of the language (domain ``fab``:
``locales/<lang>/LC_MESSAGES/fab.mo``, compiled from ``fab.po``; see CONTRIBUTING.md) and gives the text
itself when the language has no catalogue or the catalogue no translation.  Messages with values are
templates formatted *after* translation::

    _("'{name}' is {value}; it must be more than 0").format(name=name, value=value)
    ngettext("{count} member", "{count} members", count).format(count=count)

``N_`` and ``Nn_`` only mark texts (a single one, a plural pair) that a table holds and ``_``/``ngettext``
translate when they are shown; ``pybabel extract`` finds every marked text (babel.cfg).
Machine formats (JSON, CSV, YAML keys, commit messages) stay English and exact on purpose.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

DOMAIN = "fab"
LOCALEDIR = Path(__file__).resolve().parent / "locales"
# English, the language of the msgids, and each language with a compiled catalogue: ("en", "fr")
LANGUAGES = ("en", *sorted(path.parent.parent.name for path in LOCALEDIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))
_chosen: str | None = None


def _from_environment() -> str:
    wanted = os.environ.get("FAB_LANG", "").strip().lower()
    if wanted[:2] in LANGUAGES:
        return wanted[:2]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return value[:2].lower() if value[:2].lower() in LANGUAGES else "en"
    return "en"


def language() -> str:
    """One of ``LANGUAGES``: ``set_language``'s choice, else ``FAB_LANG``, else the locale, else ``en``."""
    return _chosen or _from_environment()


def set_language(lang: str | None) -> None:
    """Choose the language for this process (``None``: back to the environment's)."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _chosen = lang


@contextmanager
def english() -> Iterator[None]:
    """English while the block runs, whatever the run's language: the CLI's help texts are built in
    English when its modules are imported, and worded in the run's language when shown (cli/localize.py)."""
    global _chosen
    before, _chosen = _chosen, "en"
    try:
        yield
    finally:
        _chosen = before


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (read once per process); English, which has none, reads its msgids as they are."""
    return gettext.translation(DOMAIN, LOCALEDIR, languages=[lang], fallback=True)


def _(text: str) -> str:
    """``text`` in the current language (the English text when no translation exists)."""
    # gettext gives the catalogue's header for "": an empty text stays empty
    return translations(language()).gettext(text) if text else text


def ngettext(singular: str, plural: str, count: int) -> str:
    """``singular`` or ``plural`` in the current language, by the language's plural rule: English 1 / other,
    French 0 and 1 / other (« 0 problème »).  Each has the same placeholders, ``{count}`` most often."""
    return translations(language()).ngettext(singular, plural, count)


def p_(text: str) -> str:
    """``_`` for a word whose French depends on what it speaks of (« ouvert » / « ouverte »): ``text`` is
    'context|word', the catalogue's msgid as it is; English shows the word alone."""
    translated = _(text)
    return translated if translated != text else text.partition("|")[2]


def N_(text: str) -> str:
    """Marks ``text`` for translation where it is defined (a table built at import); ``_`` translates it when used."""
    return text


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair where it is defined (a table); ``ngettext(*pair, count)`` translates it when used."""
    return singular, plural


def locale_name() -> str:
    return "fr_FR" if language() == "fr" else "en_GB"


def _decimal(value: Fraction | Decimal | int | float | str) -> Decimal:
    if isinstance(value, Fraction):
        from .amounts import decimal
        return decimal(value, 8)
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


def money(amount: Fraction | Decimal | int | str, currency: str = "EUR", digits: int | None = None) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English (Babel; narrow no-break spaces kept)."""
    from babel.numbers import format_currency
    value = _decimal(amount)
    if digits is not None:
        from .amounts import decimal
        value = decimal(value, digits)
    return format_currency(value, currency, locale="fr_FR" if language() == "fr" else "en_US",
                           decimal_quantization=False)


def number(value: Fraction | Decimal | int | float | str, places: int = 4) -> str:
    """``1 234,5`` / ``1,234.5``: a number with at most ``places`` decimals, trailing zeros dropped."""
    from babel.numbers import format_decimal
    from .amounts import decimal
    exact = decimal(_decimal(value), places)
    return format_decimal(exact, format="#,##0." + "#" * places if places else "#,##0",
                          locale="fr_FR" if language() == "fr" else "en_US", decimal_quantization=False)


def day(value: date) -> str:
    """``20 janv. 2026`` / ``20 Jan 2026``: a date for people (ISO stays in JSON, CSV and YAML)."""
    if language() == "fr":
        from babel.dates import format_date
        return format_date(value, format="d MMM y", locale="fr_FR")
    return f"{value.day} {value.strftime('%b')} {value.year}"


def long_day(value: date, lang: str) -> str:
    """« 1er février 2026 » / "February 1, 2026": a date written out, in the language of a document
    (a response template is in its own language, whatever the run's)."""
    from babel.dates import format_date

    text = format_date(value, format="long", locale=lang)
    return "1er" + text[1:] if lang == "fr" and value.day == 1 else text


def shown_money(amount: str, currency: str) -> str:
    """An exact machine amount ('1500.00') as people of the language read it, with Babel: ``1 500,00 €`` in
    French, ``€1,500.00`` in English (JSON, CSV and YAML keep the machine form)."""
    return money(Decimal(amount), currency)


def shown_number(value: str) -> str:
    """'0.6667' -> '0,6667' in French; unchanged in English."""
    return value.replace(".", ",") if language() == "fr" else value
