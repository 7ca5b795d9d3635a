"""Problems: what ``fab check`` reports, each with a place, a stable code, a message and a hint.

Codes are stable: scripts and people may rely on them.  ``CODES`` lists every one with what it
means and the usual way to fix it; ``docs/problems.md`` is checked against it by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES: dict[str, tuple[str, str]] = {
    # code: (what it means, default hint)
    "yaml-syntax": ("the file is not valid YAML", "fix the YAML at the given place; quote text that contains ': ' or '#'"),
    "yaml-tab": ("a tab character is used for indentation", "indent with spaces only (2 spaces per level)"),
    "yaml-duplicate-key": ("the same key appears twice in one mapping", "keep one of the two keys"),
    "yaml-tag": ("a YAML tag such as !!python/object is used", "remove the tag: records hold plain text, numbers, dates and lists"),
    "yaml-alias": ("too many YAML anchors/aliases, or nesting too deep", "write the values out in full; records are small and flat"),
    "file-too-large": ("the file is larger than 1 MiB", "a record is a few lines; split long descriptions into a linked page"),
    "file-encoding": ("the file is not UTF-8 text", "save the file as UTF-8"),
    "file-empty": ("the file holds no data", "fill in the record's keys, or delete the file"),
    "not-a-mapping": ("the file is not a mapping of keys to values", "write one 'key: value' per line at the top level"),
    "unknown-key": ("a key that this kind of record does not have", "fix the key's spelling or remove it"),
    "missing-key": ("a required key is missing", "add the key with its value"),
    "bad-value": ("a value has the wrong type or is out of range", "write the value in the expected form"),
    "bad-id": ("a file name (record id) is not a valid id", "rename the file: lowercase letters, digits and '-', at most 80 characters"),
    "bad-path": ("a file is not where a record of its kind belongs", "move the file under ledger/<kind>/[<period>/]<id>.yaml"),
    "symlink": ("a symbolic link in the ledger", "replace the link by the file itself; links could point outside the ledger"),
    "wrong-period": ("a record is in the folder of another period", "move the file into the folder of the period of its date"),
    "duplicate-id": ("two records of one kind share an id", "rename one of the two files"),
    "unknown-reference": ("a handle or id that no record has", "fix the spelling or add the missing record first"),
    "unknown-kind": ("a contribution kind that the settings do not know", "use a known kind, or give the new kind a weight in ledger/fabrique.yaml"),
    "future-date": ("a date after today", "record facts once they have happened"),
    "amount-not-positive": ("an amount that is zero or negative", "write a positive amount"),
    "amount-digits": ("an amount with more decimals than the currency has", "round the amount to the currency's smallest unit"),
    "currency": ("an amount in another currency without an exchange rate", "add 'rate:' (units of the ledger currency per unit) or convert the amount"),
    "self-review": ("someone reviews their own (or co-authored) work", "ask another member to review it"),
    "shares": ("the shares of a multi-author contribution do not add up to 1", "change the shares so that they add up to exactly 1"),
    "one-request": ("more than one request by a member in one period", "keep one request per member and period"),
    "signature-date": ("a signature whose file name does not match its member and date", "name the file <member>--<date>.yaml"),
    "review-id": ("a review whose file name does not match its target and reviewer", "name the file <target>--<reviewer>.yaml"),
    "allocation": ("a peer allocation that gives to oneself or too many points", "give points only to others, within the policy's points"),
    "request": ("a request that cannot be counted", "justify the request with your own contributions; members who opted out cannot request"),
    "settings": ("ledger/fabrique.yaml has a problem", "fix the setting; see the README's settings section"),
    "charter": ("charter.md is missing", "put the charter's text in charter.md at the root of the repository"),
    "sealed": ("a record added, changed or removed in a closed period", "undo the change (git checkout/restore), or reopen the period on record: fab close --reopen PERIOD --reason ..."),
    "seal": ("a seal file that does not match its period", "seal files are written by fab close; restore this one from git"),
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")
        if not self.hint:
            object.__setattr__(self, "hint", CODES[self.code][1])

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def as_dict(self) -> dict:
        return {
            "path": self.path, "line": self.line, "column": self.column, "code": self.code,
            "severity": self.severity, "message": self.message, "hint": self.hint,
        }
