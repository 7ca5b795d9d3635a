"""The transfers of a sealed period, for the treasurer: a CSV table, or a SEPA credit-transfer file.

The SEPA file is an ISO 20022 ``pain.001.001.03`` document (the version French banks take for
"virements SEPA groupés"), built by sepaxml and validated against the schema sepaxml ships before
it is returned.  Transfers without bank details are not in it: they are to be settled by hand.

Its texts (names, the remittance text) are in the SEPA Latin character set every bank takes: letters
a-z A-Z, digits, space and ``/ - ? : ( ) . , ' +``.  ``sepa_text`` folds accents and other scripts to
those letters (text_unidecode: é -> e, ß -> ss, Œ -> OE), writes ``&`` as ``+``, double quotes and
back-ticks as ``'``, ``< > [ ] { }`` as parentheses, ``_`` as ``-``, ``\\`` and ``|`` as ``/``, ``;`` as ``,``,
``!`` as ``.``, and any other character (``= @ # * % $ ~`` ``^``, control characters) as a space.  A name
longer than 70 characters (a remittance text longer than 140) is shortened, and said: ``as_sepa`` returns
the notes to show.  EndToEndIds are made unique by ``payouts.end_to_end_ids``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..i18n import _
from ..payouts import Debtor, Transfer
from ..problems import FabError
from .escape import csv_text

CSV_COLUMNS = ["period", "member", "name", "amount", "currency", "iban", "bic", "end_to_end_id", "description", "status"]
SEPA_SCHEMA = "pain.001.001.03"


class SepaError(FabError):
    """The SEPA file could not be made; the message says why."""


def as_csv(transfers: Sequence[Transfer], period: str, currency: str) -> str:
    """One row per transfer, those to settle by hand included (empty IBAN, status 'to settle by hand')."""
    return csv_text(CSV_COLUMNS, [[period, t.member, t.name, str(t.amount), currency, t.iban or "", t.bic or "",
                                   t.end_to_end, t.description, t.status] for t in transfers])


def cents(amount: Decimal) -> int:
    """1000.05 -> 100005, exactly (amounts in the file are whole cents)."""
    value = amount.scaleb(2)
    if value != value.to_integral_value():
        raise SepaError(_("{amount} is not a whole number of cents").format(amount=amount))
    return int(value)


_SEPA_SIGNS = str.maketrans({"&": "+", '"': "'", "`": "'", "<": "(", ">": ")", "[": "(", "]": ")", "{": "(", "}": ")",
                             "_": "-", "\\": "/", "|": "/", ";": ",", "!": "."})
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/?:().,'+ -]")
NAME_MAX, REMITTANCE_MAX = 70, 140  # pain.001's Max70Text and Max140Text


def sepa_text(text: str) -> str:
    """``text`` in the SEPA Latin character set (see the module's doc), spaces collapsed."""
    from text_unidecode import unidecode

    return " ".join(_NOT_SEPA.sub(" ", unidecode(text).translate(_SEPA_SIGNS)).split())


def _fitted(text: str, limit: int, what: str, notes: list[str], fallback: str = "") -> str:
    """``sepa_text`` of ``text`` (``fallback`` when nothing is left), shortened to ``limit`` characters with a
    note saying so."""
    clean = sepa_text(text) or sepa_text(fallback) or "-"
    if len(clean) <= limit:
        return clean
    short = clean[:limit].rstrip()
    notes.append(_("{what} is shortened to {limit} characters in the SEPA file (the most a bank takes): '{short}'").format(
        what=what, limit=limit, short=short))
    return short


def as_sepa(transfers: Sequence[Transfer], debtor: Debtor, currency: str, execution: date) -> tuple[bytes, list[str]]:
    """A pain.001.001.03 document with one batch of the transfers that have an IBAN, validated; and the notes
    for the treasurer (each name or text shortened to fit)."""
    from sepaxml import SepaTransfer
    from sepaxml.validation import ValidationError

    if currency != "EUR":
        raise SepaError(_("SEPA credit transfers are in EUR; this ledger counts in {currency}").format(currency=currency))
    payable = [t for t in transfers if not t.why_by_hand]
    if not payable:
        raise SepaError(_("there is no transfer to put in a SEPA file (nothing owed, or no bank details)"))
    notes: list[str] = []
    config = {"name": _fitted(debtor.name, NAME_MAX, _("the name of the debtor account"), notes), "IBAN": debtor.iban,
              "batch": True, "currency": currency}
    if debtor.bic:
        config["BIC"] = debtor.bic
    try:
        document = SepaTransfer(config, schema=SEPA_SCHEMA, clean=True)
        for t in payable:
            name = _fitted(t.name, NAME_MAX, _("the name of {member}").format(member=t.member), notes, t.member)
            text = _fitted(t.description, REMITTANCE_MAX, _("the remittance text"), notes)
            payment = {"name": name, "IBAN": t.iban, "amount": cents(t.amount), "execution_date": execution,
                       "description": text, "endtoend_id": t.end_to_end}
            if t.bic:
                payment["BIC"] = t.bic
            document.add_payment(payment)
        data = document.export(validate=True, pretty_print=True)
    except ValidationError as error:
        cause = error.__cause__
        reason = getattr(cause, "reason", None) or str(cause or error)
        raise SepaError(_("the SEPA file does not validate against {schema}: {reason}").format(
            schema=SEPA_SCHEMA, reason=reason)) from None
    # indented with spaces, not tabs: fab prints no control character (render.escape.visible), and no bank minds
    return re.sub(rb"(?m)^\t+", lambda tabs: b"  " * len(tabs.group()), data), list(dict.fromkeys(notes))
