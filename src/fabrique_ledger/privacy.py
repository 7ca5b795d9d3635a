"""The ledger is public: warn when a free-text field holds bank details or a phone number (issue 7).

``private_data`` runs when a file is read (its warnings are cached with the record).  It reports a *warning* (``fab check``
still exits 0) with the code ``private-data`` for what looks like:

- an IBAN, confirmed by its country, length and mod-97 check digits (``schwifty``), so that a
  reference such as ``FR12-INVOICE`` is not mistaken for one;
- a payment card number: 13 to 19 digits starting like a card network's numbers and passing the
  Luhn check;
- both in any case, whatever one character that is not a letter or a digit separates their groups
  (``FR14.2004…``, ``4111_1111…``);
- a phone number: French (``06 12 34 56 78``, ``+33 6 12 34 56 78``, ``0033 6…``) or international
  (``+`` or ``00``, country code, 8 to 15 digits in all).

Only free text is read (names, titles, descriptions, comments, notes, references...), never ids,
handles, dates, amounts, links or the (deliberately public) email address.  The message shows the
number masked (``FR76…189``), so that the warning itself, in a CI log, does not spread it further.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .i18n import M_, N_, Message
from .problems import Problem
from .records import Record

# Fields of any record kind that hold free text written by people.
FREE_TEXT = (
    "name", "organisation", "wiki_user", "title", "description", "comment", "note", "resource", "mission",
    "reference", "about", "reason", "client", "skills",
)

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
# An IBAN or a card number is read whatever separates its groups (a space, '-', '.', '_', '/'...: any one
# character that is not a letter or a digit), as people and banks write them.
_SEPARATOR = "[^A-Za-z0-9]"
_IBAN = re.compile(f"(?<![A-Za-z0-9])[A-Za-z]{{2}}[0-9]{{2}}(?:{_SEPARATOR}?[A-Za-z0-9]){{11,32}}")
_CARD = re.compile(f"(?<![0-9])[0-9](?:{_SEPARATOR}?[0-9]){{11,18}}(?![0-9])")
_PHONE = re.compile(
    r"(?<![\w+./-])(?:"
    r"\+[1-9][0-9]{0,2}[ .-]?(?:\(0\)[ .-]?)?[0-9](?:[ .-]?[0-9]){5,13}"  # +33 6 12 34 56 78, +44 (0)20 7946 0958
    r"|00[1-9][0-9]{0,2}[ .-]?[0-9](?:[ .-]?[0-9]){5,13}"               # 0033 6 12 34 56 78
    r"|0[1-9](?:[0-9]{8}|(?P<sep>[ .-])[0-9]{2}(?:(?P=sep)[0-9]{2}){3})"  # 0612345678, 06 12 34 56 78, 01.23.45.67.89
    r")(?![0-9])")
_CARD_PREFIXES = (
    # (first digits, lengths): Visa, Mastercard, American Express, Discover, JCB, Diners, UnionPay
    (("4",), (13, 16, 19)),
    (("51", "52", "53", "54", "55", *(str(n) for n in range(2221, 2721))), (16,)),
    (("34", "37"), (15,)),
    (("6011", "644", "645", "646", "647", "648", "649", "65"), (16, 17, 18, 19)),
    (tuple(str(n) for n in range(3528, 3590)), (16, 17, 18, 19)),
    (("300", "301", "302", "303", "304", "305", "36", "38", "39"), (14, 15, 16, 17, 18, 19)),
    (("62",), (16, 17, 18, 19)),
)


IBAN, CARD, PHONE = N_("an IBAN (a bank account)"), N_("a payment card number"), N_("a phone number")


def bank_details(text: str) -> Message | None:
    """Why ``text`` cannot be a payment reference (it holds an IBAN or a payment card number), or None.

    A warning is not enough there: the reference of a payment is written into the record's file name,
    the commit message and the public history, where no later edit removes it."""
    found = [(what, shown) for what, shown in findings(text) if what != PHONE]
    if not found:
        return None
    what, shown = found[0]
    return M_("the reference holds what looks like {what} ({shown}); the ledger and its history are public: give "
             "the bank's reference of the transfers instead, like VIR-2026-07-20", what=M_(what), shown=shown)


def private_data(record: Record) -> list[Problem]:
    """A warning for each free-text value of ``record`` that holds bank details or a phone number.

    It depends on the file alone, so it is found when the file is read and kept in the parse cache
    with the record: an unchanged file is not searched again."""
    found = []
    for field, text in _free_text(record):
        for what, shown in findings(text):
            line, column = record.source.at(field)
            found.append(Problem(record.source.path, line, column, "private-data",
                                 M_("'{field}' holds what looks like {what} ({shown}); the ledger is public", field=field, what=M_(what), shown=shown),
                                 severity="warning"))
    return found


def _free_text(record: Record) -> Iterator[tuple[str, str]]:
    values = record.__dict__
    for field in FREE_TEXT:
        value = values.get(field)
        if isinstance(value, str):
            yield field, value
        elif isinstance(value, tuple):
            yield from ((field, item) for item in value if isinstance(item, str))


def findings(text: str) -> list[tuple[str, str]]:
    """(what it looks like, the number masked) for each IBAN, card or phone number in ``text``."""
    if sum(c.isdigit() for c in text) < 8:
        return []
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    found = []
    for what, pattern, confirm in ((IBAN, _IBAN, _iban), (CARD, _CARD, _card), (PHONE, _PHONE, _phone)):
        for match in pattern.finditer(text):
            number, length = confirm(match.group())
            if number is not None:
                found.append((what, _masked(number)))
                end = match.start() + length  # blanked, so that what is found once is not found again
                text = text[:match.start()] + " " * length + text[end:]
    return found


def _iban(candidate: str) -> tuple[str | None, int]:
    """The IBAN at the start of ``candidate`` if its country, length and check digits are right, and
    how many characters of ``candidate`` it takes."""
    compact = re.sub(_SEPARATOR, "", candidate).upper()
    from schwifty import IBAN  # only when something looks like one: it takes a while to import

    for end in range(min(len(compact), 34), 14, -1):
        try:
            iban = str(IBAN(compact[:end]))
        except ValueError:
            continue
        taken = 0
        for used, char in enumerate(candidate, 1):
            taken += char.isalnum()
            if taken == end:
                return iban, used
    return None, 0


def _card(candidate: str) -> tuple[str | None, int]:
    digits = re.sub(_SEPARATOR, "", candidate)
    if len(set(re.findall(_SEPARATOR, candidate))) > 1 or not any(  # (one kind of separator, as in _one_separator)
            digits.startswith(prefixes) and len(digits) in lengths for prefixes, lengths in _CARD_PREFIXES):
        return None, 0
    return (digits, len(candidate)) if _luhn(digits) else (None, 0)


def _one_separator(candidate: str) -> bool:
    """Numbers are written with one kind of separator (06 12 34 56 78), dates and lists mix them."""
    return len(set(re.findall(r"[ .-]", candidate.replace("(0)", "")))) <= 1


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _phone(candidate: str) -> tuple[str | None, int]:
    if not _one_separator(candidate):
        return None, 0
    digits = re.sub(r"[^0-9+]", "", candidate.replace("(0)", ""))
    plain = digits.lstrip("+")
    if plain.startswith("00"):
        plain = plain[2:]
    if digits.startswith("+33") or digits.startswith("0033"):
        ok = len(plain) == 11 and plain[2] != "0"  # 33 and 9 digits
    elif digits.startswith("0") and not digits.startswith("00"):
        ok = len(digits) == 10
    else:
        ok = 8 <= len(plain) <= 15
    return (digits, len(candidate)) if ok else (None, 0)


def _masked(number: str) -> str:
    """Enough to find it in the file, not enough to use it: FR7630006000011234567890189 -> FR76…189."""
    return f"{number[:4]}…{number[-3:]}" if len(number) > 8 else "…"
