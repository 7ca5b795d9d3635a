"""French and English: the language of messages and help texts, and Messages worded when shown.

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

import functools
import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager

from functools import cache
from pathlib import Path
from typing import Any

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
def speaking_english() -> Iterator[None]:
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


@functools.total_ordering
class Message:
    """Words as data: an English template (the catalogue's key) and its arguments, worded in the language of
    the reader only when shown (``str``), or in English for machine outputs (``english``).  What the core
    reports (problems, findings, warnings, reasons) is made of these, so that caches and JSON do not depend
    on the language of the run.  Arguments may be Messages themselves."""

    __slots__ = ("text", "args", "_hash")

    def __init__(self, text: str, args: dict[str, Any] | None = None) -> None:
        self.text = text
        self.args = tuple(sorted((args or {}).items()))

    def __str__(self) -> str:
        return _(self.text).format(**{k: str(v) if isinstance(v, Message) else v for k, v in self.args}) if self.args \
            else _(self.text)

    def english(self) -> str:
        return self.text.format(**{k: v.english() if isinstance(v, Message) else v for k, v in self.args}) if self.args \
            else self.text

    def __repr__(self) -> str:
        return f"M_({self.english()!r})"

    def _key(self) -> tuple:
        return self.text, tuple((k, v if isinstance(v, Message) else repr(v)) for k, v in self.args)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self._key() == other._key()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, (Message, str)):
            return NotImplemented
        return self.english() < (other.english() if isinstance(other, Message) else other)

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:  # (worded once: a Message does not change, and sets of problems hash each many times)
            self._hash = hash(self._key())
            return self._hash

    def __getstate__(self) -> tuple:
        return self.text, self.args

    def __setstate__(self, state: tuple) -> None:
        self.text, self.args = state


Text = str | Message
"""Words that are either plain (a handle, a path, a value from a record: shown as they are) or worded when
shown (a ``Message``: in the reader's language, in English for machines).  What the core reports (a
problem's message and hint, a reason, a finding) is ``Text``; ``str(text)`` words it, ``english(text)``
gives its machine form."""


class Joined(Message):
    """Messages (or plain texts) one after the other, with a separator that is itself a message ('; ' is
    ' ; ' in French): a hint made of two hints, a value followed by what is wrong with it."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: list[Any], sep: Text = " ") -> None:
        super().__init__("", {})
        self.parts, self.sep = tuple(parts), sep

    def __str__(self) -> str:
        return str(self.sep).join(str(p) for p in self.parts)

    def english(self) -> str:
        return english(self.sep).join(english(p) for p in self.parts)

    def _key(self) -> tuple:
        return ("joined", self.sep, tuple(p if isinstance(p, Message) else repr(p) for p in self.parts))

    def __getstate__(self) -> tuple:
        return self.parts, self.sep

    def __setstate__(self, state: tuple) -> None:
        self.text, self.args = "", ()
        self.parts, self.sep = state


class Capitalized(Message):
    """A message that begins a sentence: its first letter upper-case, in whatever language it is shown."""

    __slots__ = ("inner",)

    def __init__(self, inner: Text) -> None:
        super().__init__("", {})
        self.inner = inner

    def __str__(self) -> str:
        text = str(self.inner)
        return text[:1].upper() + text[1:]

    def english(self) -> str:
        text = english(self.inner)
        return text[:1].upper() + text[1:]

    def _key(self) -> tuple:
        return ("capitalized", self.inner if isinstance(self.inner, Message) else repr(self.inner))

    def __getstate__(self) -> tuple:
        return (self.inner,)

    def __setstate__(self, state: tuple) -> None:
        self.text, self.args = "", ()
        (self.inner,) = state


class InContext(Message):
    """A word whose French depends on what it speaks of: the catalogue's key is 'context|word' (see ``p_``)."""

    def __str__(self) -> str:
        return p_(self.text)

    def english(self) -> str:
        return self.text.partition("|")[2]


class Shown(Message):
    """A value worded for the reader (``str``: in the language of the run; ``english``: in English), like
    a date or an amount inside a message: ``Day(date)``, ``Money(amount, currency)``."""

    __slots__ = ("value", "currency")

    def __init__(self, value: Any, currency: str = "") -> None:
        super().__init__("", {})
        self.value, self.currency = value, currency

    def _key(self) -> tuple:
        return (type(self).__name__, repr(self.value), self.currency)

    def english(self) -> str:
        with speaking_english():
            return str(self)

    def __getstate__(self) -> tuple:
        return self.value, self.currency

    def __setstate__(self, state: tuple) -> None:
        self.text, self.args = "", ()
        self.value, self.currency = state


def M_(text: str, /, **args: Any) -> Message:
    """A message of the core, worded when shown (see ``Message``); ``text`` is in the catalogue."""
    return Message(text, args)


def said(error: BaseException) -> Text:
    """What ``error`` says, as data: the Message it was raised with (``ValueError(M_(...))``, as the records'
    and settings' validators and ``Period.parse`` raise), worded when shown and English in JSON; else its text."""
    return error.args[0] if error.args and isinstance(error.args[0], Message) else str(error)


def english(value: Any) -> Any:
    """``value`` for a machine output: Messages in English, containers walked, anything else as it is."""
    if isinstance(value, Message):
        return value.english()
    if isinstance(value, dict):
        return {k: english(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [english(v) for v in value]
    return value


def N_(text: str) -> str:
    """Marks ``text`` for translation where it is defined (a table built at import); ``_`` translates it when used."""
    return text


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair where it is defined (a table); ``ngettext(*pair, count)`` translates it when used."""
    return singular, plural
