"""Problems: what ``fab check`` reports, each with a place, a stable code, a message and a hint.

Codes are stable: scripts and people may rely on them.  ``CODES`` lists every one with what it
means and the usual way to fix it; ``docs/problems.md`` is checked against it by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .i18n import N_, Message, Text, english

if TYPE_CHECKING:
    from .records import Record

class FabError(Exception):
    """What stops a command, said to its user: what is wrong and where (``message``), and what to do about it
    (``hint``); ``usage`` when the mistake is in the command line itself (exit 2 rather than 1).

    The one exception type fab raises for people: the store's refusals (no ledger, git, unsafe folders,
    payees, templates) and the renderers' (the SEPA file) derive from it, and the command line reports any of
    them the same way, as ``error: message`` and ``hint: ...``, never as a traceback.  Problems found *in
    records* are not errors but ``Problem`` values, collected so that one run reports them all.
    """

    def __init__(self, message: Text, hint: Text = "", *, usage: bool = False) -> None:
        super().__init__(str(message))
        self.message, self.hint, self.usage = message, hint, usage


CODES: dict[str, tuple[str, str]] = {
    # code: (what it means, default hint)
    "yaml-syntax": (N_("the file is not valid YAML"), N_("fix the YAML at the given place; quote text that contains ': ' or '#'")),
    "yaml-tab": (N_("a tab character is used for indentation"), N_("indent with spaces only (2 spaces per level)")),
    "yaml-duplicate-key": (N_("the same key appears twice in one mapping"), N_("keep one of the two keys")),
    "yaml-tag": (N_("a YAML tag such as !!python/object is used"), N_("remove the tag: records hold plain text, numbers, dates and lists")),
    "yaml-alias": (N_("too many YAML anchors/aliases, or nesting too deep"), N_("write the values out in full; records are small and flat")),
    "file-too-large": (N_("the file is larger than 1 MiB"), N_("a record is a few lines; split long descriptions into a linked page")),
    "file-encoding": (N_("the file is not UTF-8 text"), N_("save the file as UTF-8")),
    "file-empty": (N_("the file holds no data"), N_("fill in the record's keys, or delete the file")),
    "not-a-mapping": (N_("the file is not a mapping of keys to values"), N_("write one 'key: value' per line at the top level")),
    "unknown-key": (N_("a key that this kind of record does not have"), N_("fix the key's spelling or remove it")),
    "missing-key": (N_("a required key is missing"), N_("add the key with its value")),
    "bad-value": (N_("a value has the wrong type or is out of range"), N_("write the value in the expected form")),
    "bad-id": (N_("a file name (record id) is not a valid id"), N_("rename the file: lowercase letters, digits and '-', at most 80 characters")),
    "bad-path": (N_("a file is not where a record of its kind belongs"), N_("move the file under ledger/<kind>/[<period>/]<id>.yaml")),
    "symlink": (N_("a symbolic link in the ledger"), N_("replace the link by the file itself; links could point outside the ledger")),
    "not-a-file": (N_("a named pipe (FIFO), socket, device or git submodule where a record file should be"), N_("remove it, or replace it by a regular file: fab reads only regular files, and never opens anything else")),
    "wrong-period": (N_("a record is in the folder of another period"), N_("move the file into the folder of the period of its date")),
    "duplicate-id": (N_("two records of one kind share an id"), N_("rename one of the two files")),
    "unknown-reference": (N_("a handle or id that no record has"), N_("fix the spelling or add the missing record first")),
    "unknown-kind": (N_("a contribution kind that the settings do not know"), N_("use a known kind, or give the new kind a weight in ledger/fabrique.yaml")),
    "future-date": (N_("a date after today"), N_("record facts once they have happened")),
    "amount-not-positive": (N_("an amount that is zero or negative"), N_("write a positive amount")),
    "amount-digits": (N_("an amount with more decimals than the currency has"), N_("round the amount to the currency's smallest unit")),
    "currency": (N_("an amount in another currency without an exchange rate"), N_("add 'rate:' (units of the ledger currency per unit) or convert the amount")),
    "self-review": (N_("someone reviews their own (or co-authored) work"), N_("ask another member to review it")),
    "shares": (N_("the shares of a multi-author contribution do not add up to 1"), N_("change the shares so that they add up to exactly 1")),
    "one-request": (N_("more than one request by a member in one period"), N_("keep one request per member and period")),
    "signature-date": (N_("a signature whose file name does not match its member and date"), N_("name the file <member>--<date>.yaml")),
    "review-id": (N_("a review whose file name does not match its target and reviewer"), N_("name the file <target>--<reviewer>.yaml")),
    "allocation": (N_("a peer allocation that gives to oneself or too many points"), N_("give points only to others, within the policy's points")),
    "request": (N_("a request that cannot be counted"), N_("justify the request with your own contributions; members who opted out cannot request")),
    "settings": (N_("ledger/fabrique.yaml has a problem"), N_("fix the setting; see the README's settings section")),
    "charter": (N_("charter.md is missing"), N_("put the charter's text in charter.md at the root of the repository")),
    "sealed": (N_("a record added, changed or removed in a closed period, or a review of its contributions and requests"),
               N_("a closed period's records stay as they were sealed; to change them, reopen the period on record first: fab close --reopen PERIOD --reason ...")),
    "seal": (N_("a seal whose numbers do not add up, or that does not match its period, its neighbours or the ledger's currency"),
             N_("seal files are written by fab close; put this one back as fab close wrote it (git restore, or git revert the commit that changed it)")),
    "payment": (N_("a payment record that does not match what a sealed period owes"),
                N_("record payments with fab payouts PERIOD --mark-paid REFERENCE; it pays only what the seal still owes")),
    "private-data": (N_("a free-text field holds what looks like an IBAN, a payment card number or a phone number (a warning)"), N_("remove it from the file: the ledger is public; bank details and phone numbers stay outside it (docs/privacy.md)")),
    "signing-key": (N_("a public signing key declared by two members"), N_("a key is one person's: remove it from the member who does not hold its private key")),
    "mission": (N_("a mission step by someone who is not a referenced consultant at its date, or a mission that contradicts itself"), N_("only referenced consultants can express interest in or be assigned a mission: sign the charter first (fab sign HANDLE)")),
}


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong and where: a place, a stable code, and the message and hint as data (``Message``),
    worded in the reader's language when shown, in English in JSON, the same in every cache."""

    path: str
    line: int
    column: int
    code: str
    message: Text
    hint: Text = ""
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")
        if not self.hint:
            object.__setattr__(self, "hint", Message(CODES[self.code][1]))

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def as_dict(self) -> dict:
        """The problem as data for JSON: the same words in every language (English)."""
        return {
            "path": self.path, "line": self.line, "column": self.column, "code": self.code,
            "severity": self.severity, "message": english(self.message), "hint": english(self.hint),
        }


def problem_at(record: Record, code: str, message: Text, hint: Text = "", severity: str = "error",
               key: str | None = None) -> Problem:
    """A problem about ``record``, at the value of ``key`` when given, else at the record itself."""
    return Problem(record.source.path, *record.source.at(key), code, message, hint, severity)
