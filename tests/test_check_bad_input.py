"""fab check on bad input: every mistake a user can put in a file is one exact, explained problem.

Each case builds a real ledger (the ``fab`` fixture: alice, bruno, chloe), adds ONE bad file or
setting, runs ``fab check`` in JSON and in text, and asserts the exact problem (path, line,
column, code, message), a hint, exit code 1, no traceback, and a ledger left as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, Fab
from fabrique_ledger.checks import check
from fabrique_ledger.ledger import Ledger
from fabrique_ledger.problems import CODES
from fabrique_ledger.settings import Settings
from fabrique_ledger.store import yamlio
from fabrique_ledger.store.reading import read_record

C = "ledger/contributions/2026-H1/c1.yaml"
D = "ledger/donations/2026-H1/d1.yaml"
S = "ledger/fabrique.yaml"
CONTRIBUTION = "authors: alice\nkind: wiki\ntitle: Page\nhours: 3\ndate: 2026-03-02\n"
CO_AUTHORED = ("authors:\n- member: alice\n  share: 0.6\n- member: chloe\n  share: 0.4\n"
               "kind: code\ntitle: Chargeur GTFS\nhours: 10\ndate: 2026-03-02\n")
DONATION = "donor: bruno\namount: 1500.00\ndate: 2026-03-02\n"
SETTINGS = "name: Test commons\ncurrency: EUR\nperiod: half-year\nmin_payout: 0\ncap: 1\npolicy:\n  name: proportional\n"
# billion laughs: a: &a ["lol" x 9], b: &b [*a x 9], ... i: &i [*h x 9] = 9**9 "lol" once expanded
LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
DEEP = 100_000
BIG = CONTRIBUTION + "description: " + "x" * (1024 * 1024) + "\n"


def contribution(old: str = "", new: str = "", base: str = CONTRIBUTION) -> str:
    assert old in base
    return base.replace(old, new, 1)


def review(target: str, reviewer: str, **extra: str) -> str:
    text = f"target: {target}\nreviewer: {reviewer}\nverdict: approve\ndate: 2026-03-05\n"
    return text + "".join(f"{k}: {v}\n" for k, v in extra.items())


@dataclass
class Case:
    """One bad input: the files to write (or a change to make), and the one problem it must give."""

    files: dict[str, str | bytes]
    expected: tuple[str, int, int, str, str]
    hint: str = ""  # the start of the hint, when the case is about the hint
    prepare: Callable[[Fab], None] | None = None

    def apply(self, fab: Fab) -> None:
        for rel, text in self.files.items():
            fab.write(rel, text)
        if self.prepare is not None:
            self.prepare(fab)


def case(id: str, files: dict, expected: tuple, hint: str = "", prepare: Callable | None = None):
    return pytest.param(Case(files, expected, hint, prepare), id=id)


def _symlink_to_passwd(fab: Fab) -> None:
    (fab.root / "ledger/contributions/2026-H1").mkdir(parents=True)
    os.symlink("/etc/passwd", fab.root / C)


def _fifo_record(fab: Fab) -> None:
    (fab.root / "ledger/contributions/2026-H1").mkdir(parents=True)
    os.mkfifo(fab.root / C)  # opening it would wait forever for a writer: fab must never open it


def _symlink_to_outside_folder(fab: Fab) -> None:
    outside = fab.root.parent / "outside"
    outside.mkdir()
    (outside / "c1.yaml").write_text(CONTRIBUTION)
    (fab.root / "ledger/contributions").mkdir(parents=True)
    os.symlink(outside, fab.root / "ledger/contributions/2026-H1")


def _opt_out(handle: str) -> Callable[[Fab], None]:
    def prepare(fab: Fab) -> None:
        path = fab.root / f"ledger/members/{handle}.yaml"
        path.write_text(path.read_text() + "receives: false\n")
    return prepare


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJoHfur2HyIcZhxxpS1YZ+Sy0/cWwpIOz9ACDGcBEvr/"  # a public SSH key (made once with ssh-keygen; only its text is used)


def _same_key(*handles: str) -> Callable[[Fab], None]:
    def prepare(fab: Fab) -> None:
        for handle in handles:
            path = fab.root / f"ledger/members/{handle}.yaml"
            path.write_text(path.read_text() + f"signing_keys:\n- {KEY}\n")
    return prepare


def _signature_named(name: str) -> Callable[[Fab], None]:
    def prepare(fab: Fab) -> None:
        sha = hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()
        fab.write(f"ledger/signatures/{name}.yaml", f"member: alice\ndate: 2026-04-02\ncharter: {sha}\n")
    return prepare


def _seal(says: str) -> str:
    return (f"period: {says}\ndate: 2026-07-03\npolicy:\n  name: proportional\npool: 0.00\ncommons: 0.00\n"
            f"distributable: 0.00\ncarried_over: 0.00\ndigest: {'0' * 64}\nfiles: {{}}\n")


def _delete_charter(fab: Fab) -> None:
    (fab.root / "charter.md").unlink()


def _settings(old: str, new: str) -> dict[str, str]:
    assert old in SETTINGS
    return {S: SETTINGS.replace(old, new, 1)}


PLAIN_DIGITS = "expected a number written in plain digits, like 1500.00"

CASES = [
    # --- the YAML itself
    case("yaml-broken-flow", {C: "authors: alice\nkind: [wiki\ntitle: Page\n"},
         (C, 3, 6, "yaml-syntax", "invalid YAML: did not find expected ',' or ']'")),
    case("yaml-colon-in-text", {C: contribution("title: Page", "title: Mobilité: le guide")},
         (C, 3, 16, "yaml-syntax", "invalid YAML: mapping values are not allowed in this context"), hint="fix the YAML"),
    case("tab-indentation", {C: "authors:\n\t- alice\nkind: wiki\n"},
         (C, 2, 1, "yaml-tab", "a tab is used for indentation")),
    case("tab-after-spaces", {C: "authors:\n  \t- alice\n"},
         (C, 2, 3, "yaml-tab", "a tab is used for indentation")),
    case("duplicate-key", {C: CONTRIBUTION + "hours: 4\n"},
         (C, 6, 1, "yaml-duplicate-key", "the key 'hours' appears twice")),
    case("python-tag", {C: contribution("title: Page", 'title: !!python/object/apply:os.system ["echo hi"]')},
         (C, 3, 8, "yaml-tag", "the tag '!!python/object/apply:os.system' is not allowed")),
    case("local-tag", {C: contribution("hours: 3", "hours: !hours 3")},
         (C, 4, 8, "yaml-tag", "the tag '!hours' is not allowed")),
    case("billion-laughs", {C: LAUGHS},
         (C, 3, 12, "yaml-alias", "more than 10 aliases (*name) in one file")),
    case("few-aliases-many-copies", {C: "a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"},
         (C, 3, 4, "yaml-alias", "aliases (*name) repeat values more than 10 times in one file")),
    case("merge-key", {C: "base: &b {kind: wiki}\n<<: *b\n"},
         (C, 2, 1, "yaml-alias", "merge keys (<<) are not allowed")),
    case("nesting-200-brackets", {C: "title: " + "[" * 200 + "]" * 200 + "\n"},
         (C, 1, 107, "yaml-alias", "values nested more than 100 levels deep")),
    case("nesting-100000-brackets", {C: "[" * DEEP},
         (C, 1, 101, "yaml-alias", "values nested more than 100 levels deep")),
    case("nesting-100000-brackets-after-apostrophe", {C: "title: l'atelier\nhours: " + "[" * DEEP + "\n"},
         (C, 2, 107, "yaml-alias", "values nested more than 100 levels deep")),
    case("nesting-100000-dashes", {C: "- " * DEEP + "x\n"},
         (C, 1, 201, "yaml-alias", "values nested more than 100 levels deep")),
    case("nesting-100000-question-marks", {C: "? " * DEEP + "x\n"},
         (C, 1, 201, "yaml-alias", "values nested more than 100 levels deep")),
    case("nesting-30-levels", {C: "".join("  " * i + f"k{i}:\n" for i in range(30))},
         (C, 22, 43, "yaml-alias", "values nested more than 20 levels deep")),
    case("file-over-1-mib", {C: BIG},
         (C, 1, 1, "file-too-large", f"the file is {len(BIG):,} bytes; a record file may hold at most 1 MiB")),
    case("latin-1-byte", {C: contribution("title: Page", "title: caf\xe9").encode("latin-1")},
         (C, 3, 11, "file-encoding", "byte 0xe9 is not UTF-8 text")),
    case("bad-byte-after-accents", {C: CONTRIBUTION.encode().replace(b"Page", "été ".encode() + b"\xff")},
         (C, 3, 12, "file-encoding", "byte 0xff is not UTF-8 text")),
    case("utf-16", {C: CONTRIBUTION.encode("utf-16")},
         (C, 1, 1, "file-encoding", "byte 0xff is not UTF-8 text")),
    case("nul-byte", {C: CONTRIBUTION + "\x00"},
         (C, 6, 1, "file-encoding", "the file contains a NUL byte: it is not a text file")),
    case("empty-file", {C: ""}, (C, 1, 1, "file-empty", "the file is empty")),
    case("only-comments", {C: "# to do\n\n"}, (C, 1, 1, "file-empty", "the file is empty")),
    case("list-not-mapping", {C: "- authors: alice\n- kind: wiki\n"},
         (C, 1, 1, "not-a-mapping", "the file holds a list, not 'key: value' lines")),
    case("text-not-mapping", {C: "alice did 3 hours of wiki\n"},
         (C, 1, 1, "not-a-mapping", "the file holds a single value, not 'key: value' lines")),
    case("mapping-key-not-text", {C: "[a, b]: 1\n"},
         (C, 1, 1, "not-a-mapping", "a key must be plain text")),
    # --- keys and values
    case("unknown-key", {C: CONTRIBUTION + "titel: Other\n"},
         (C, 6, 1, "unknown-key", "unknown key 'titel'"), hint="did you mean 'title'?"),
    case("unknown-nested-key", {C: contribution("  share: 0.4", "  shaer: 0.4", CO_AUTHORED)},
         (C, 5, 3, "unknown-key", "unknown key 'authors.1.shaer'"), hint="did you mean 'share'?"),
    case("id-key", {C: "id: c1\n" + CONTRIBUTION},
         (C, 1, 1, "unknown-key", "unknown key 'id'"), hint="the id is the file's name"),
    case("missing-key", {"ledger/members/zoe.yaml": "name: Zoé\nroles: [contributor]\n"},
         ("ledger/members/zoe.yaml", 1, 1, "missing-key", "missing key 'joined'"), hint="add a line 'joined: ...'"),
    case("number-for-text", {C: contribution("title: Page", "title: 42")},
         (C, 3, 8, "bad-value", "'title': expected text, not the number 42"), hint="put it in quotes"),
    case("text-for-number", {C: contribution("hours: 3", "hours: three")},
         (C, 4, 8, "bad-value", f"'hours': {PLAIN_DIGITS}")),
    case("number-for-handle", {D: contribution("bruno", "1234", DONATION)},
         (D, 1, 8, "bad-value", "'donor': expected text, not the number 1234")),
    case("text-for-list", {"ledger/members/zoe.yaml": "name: Zoé\nroles: contributor\njoined: 2026-01-05\n"},
         ("ledger/members/zoe.yaml", 2, 8, "bad-value", "'roles': expected a list, not 'contributor'")),
    case("mapping-for-list", {C: contribution("authors: alice", "authors: {member: alice}")},
         (C, 1, 10, "bad-value", "'authors': expected a list, not 'key: value' lines")),
    case("uppercase-handle", {D: contribution("bruno", "Bruno", DONATION)},
         (D, 1, 8, "bad-value", "'donor': 'Bruno' is not a valid id or handle (lowercase letters, digits and '-', at most 80 characters)")),
    case("url-without-scheme", {C: CONTRIBUTION + "url: wiki/Page\n"},
         (C, 6, 6, "bad-value", "'url': 'wiki/Page' is not a web address starting with http:// or https://")),
    case("unknown-verdict", {C: CONTRIBUTION, "ledger/reviews/2026-H1/c1--bruno.yaml": review("c1", "bruno").replace("approve", "yes")},
         ("ledger/reviews/2026-H1/c1--bruno.yaml", 3, 10, "bad-value", "'verdict': expected 'approve' or 'object', not 'yes'")),
    case("unknown-kind", {C: contribution("kind: wiki", "kind: dance")},
         (C, 2, 7, "unknown-kind", "'dance' is not a contribution kind (known: wiki, code, event, mentoring, template, translation, review-work, other)")),
    # --- hours and amounts
    case("hours-negative", {C: contribution("hours: 3", "hours: -3")},
         (C, 4, 8, "bad-value", "'hours': hours must be more than 0 and at most 10000")),
    case("hours-three-decimals", {C: contribution("hours: 3", "hours: 1.333")},
         (C, 4, 8, "bad-value", "'hours': hours take at most 2 decimals (1.25 = 1 h 15)")),
    case("hours-exponent-1e400", {C: contribution("hours: 3", "hours: 1e400")}, (C, 4, 8, "bad-value", f"'hours': {PLAIN_DIGITS}")),
    case("hours-inf", {C: contribution("hours: 3", "hours: .inf")}, (C, 4, 8, "bad-value", f"'hours': {PLAIN_DIGITS}")),
    case("hours-nan", {C: contribution("hours: 3", "hours: .nan")}, (C, 4, 8, "bad-value", f"'hours': {PLAIN_DIGITS}")),
    case("hours-true", {C: contribution("hours: 3", "hours: true")}, (C, 4, 8, "bad-value", "'hours': expected a number, not true/false")),
    case("amount-negative", {D: contribution("1500.00", "-10", DONATION)},
         (D, 2, 9, "amount-not-positive", "'amount' is -10; it must be more than 0")),
    case("amount-zero", {D: contribution("1500.00", "0", DONATION)},
         (D, 2, 9, "amount-not-positive", "'amount' is 0; it must be more than 0")),
    case("amount-text", {D: contribution("1500.00", "mille", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-comma", {D: contribution("1500.00", "1500,50", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-three-decimals", {D: contribution("1500.00", "10.123", DONATION)},
         (D, 2, 9, "amount-digits", "'amount' 10.123 has more decimals than EUR allows (2)")),
    case("amount-exponent-1e400", {D: contribution("1500.00", "1e400", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-exponent-minus", {D: contribution("1500.00", "-1e400", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-inf", {D: contribution("1500.00", ".inf", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-nan", {D: contribution("1500.00", ".NaN", DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("amount-40-digits", {D: contribution("1500.00", "1" * 40, DONATION)}, (D, 2, 9, "bad-value", f"'amount': {PLAIN_DIGITS}")),
    case("currency-without-rate", {D: DONATION + "currency: USD\n"},
         (D, 4, 11, "currency", "the donation is in USD but the ledger counts in EUR, and no 'rate' is given"), hint="add 'rate:'"),
    case("rate-negative", {D: DONATION + "currency: USD\nrate: -1\n"},
         (D, 5, 7, "amount-not-positive", "'rate' is -1; it must be more than 0")),
    # --- dates and periods
    case("date-february-30", {C: contribution("2026-03-02", "2026-02-30")},
         (C, 5, 7, "bad-value", "'date': '2026-02-30' is not a real calendar date")),
    case("date-as-number", {C: contribution("2026-03-02", "20260302")},
         (C, 5, 7, "bad-value", "'date': expected a date written YYYY-MM-DD, like 2026-03-14")),
    case("date-in-future", {"ledger/contributions/2026-H2/c1.yaml": contribution("2026-03-02", "2026-11-28")},
         ("ledger/contributions/2026-H2/c1.yaml", 5, 7, "future-date", "'date' 2026-11-28 is in the future (today is 2026-11-27)")),
    case("joined-in-future", {"ledger/members/zoe.yaml": "name: Zoé\nroles: [contributor]\njoined: 2027-01-01\n"},
         ("ledger/members/zoe.yaml", 3, 9, "future-date", "'joined' 2027-01-01 is in the future (today is 2026-11-27)")),
    case("record-in-wrong-period", {C: contribution("2026-03-02", "2026-08-02")},
         (C, 5, 7, "wrong-period", "dated 2026-08-02, this contribution belongs to 2026-H2, not 2026-H1"), hint="move it to ledger/contributions/2026-H2/"),
    case("wrong-period-after-comment", {C: "# moved from H2\n" + contribution("2026-03-02", "2026-08-02")},
         (C, 6, 7, "wrong-period", "dated 2026-08-02, this contribution belongs to 2026-H2, not 2026-H1")),
    case("folder-not-a-period", {"ledger/contributions/2026-H3/c1.yaml": CONTRIBUTION},
         ("ledger/contributions/2026-H3/c1.yaml", 1, 1, "wrong-period",
          "the folder '2026-H3' is not a period: '2026-H3' is not a period id (expected something like 2026-H1)")),
    # --- references and reviews
    case("unknown-author", {C: contribution("authors: alice", "authors: zoe")},
         (C, 1, 10, "unknown-reference", "'authors' names 'zoe', who is not a member"), hint="fix the handle, or add the member first"),
    case("unknown-donor", {D: contribution("bruno", "zoe", DONATION)},
         (D, 1, 8, "unknown-reference", "'donor' names 'zoe', who is not a member")),
    case("unknown-reviewer", {C: CONTRIBUTION, "ledger/reviews/2026-H1/c1--zoe.yaml": review("c1", "zoe")},
         ("ledger/reviews/2026-H1/c1--zoe.yaml", 2, 11, "unknown-reference", "'reviewer' names 'zoe', who is not a member")),
    case("unknown-review-target", {"ledger/reviews/2026-H1/c9--bruno.yaml": review("c9", "bruno")},
         ("ledger/reviews/2026-H1/c9--bruno.yaml", 1, 9, "unknown-reference", "'target' names 'c9', which is neither a contribution nor a request")),
    case("self-review", {C: CONTRIBUTION, "ledger/reviews/2026-H1/c1--alice.yaml": review("c1", "alice")},
         ("ledger/reviews/2026-H1/c1--alice.yaml", 2, 11, "self-review", "alice reviews 'c1', which they (co-)authored")),
    case("co-author-review", {C: CO_AUTHORED, "ledger/reviews/2026-H1/c1--chloe.yaml": review("c1", "chloe", score="5")},
         ("ledger/reviews/2026-H1/c1--chloe.yaml", 2, 11, "self-review", "chloe reviews 'c1', which they (co-)authored")),
    case("review-file-name", {C: CONTRIBUTION, "ledger/reviews/2026-H1/c1--chloe.yaml": review("c1", "bruno")},
         ("ledger/reviews/2026-H1/c1--chloe.yaml", 1, 1, "review-id", "the file should be named c1--bruno.yaml")),
    case("signature-file-name", {}, ("ledger/signatures/alice--2026-04-01.yaml", 1, 1, "signature-date",
         "the file should be named alice--2026-04-02.yaml"), prepare=_signature_named("alice--2026-04-01")),
    case("shares-not-one", {C: contribution("share: 0.4", "share: 0.3", CO_AUTHORED)},
         (C, 2, 1, "shares", "the shares add up to 0.9, not 1")),
    case("duplicate-id", {C: CONTRIBUTION, "ledger/contributions/2026-H2/c1.yaml": contribution("2026-03-02", "2026-08-02")},
         ("ledger/contributions/2026-H2/c1.yaml", 1, 1, "duplicate-id", "the contribution id 'c1' is also used by ledger/contributions/2026-H1/c1.yaml")),
    # --- file names and places
    case("id-uppercase", {"ledger/contributions/2026-H1/C1.yaml": CONTRIBUTION},
         ("ledger/contributions/2026-H1/C1.yaml", 1, 1, "bad-id", "'C1' is not a valid id")),
    case("id-with-space", {"ledger/contributions/2026-H1/c 1.yaml": CONTRIBUTION},
         ("ledger/contributions/2026-H1/c 1.yaml", 1, 1, "bad-id", "'c 1' is not a valid id")),
    case("member-uppercase", {"ledger/members/Zoe.yaml": "name: Zoé\nroles: [contributor]\njoined: 2026-01-05\n"},
         ("ledger/members/Zoe.yaml", 1, 1, "bad-id", "'Zoe' is not a valid id")),
    case("yml-suffix", {"ledger/contributions/2026-H1/c1.yml": CONTRIBUTION},
         ("ledger/contributions/2026-H1/c1.yml", 1, 1, "bad-path", "'c1.yml' is not a record file"), hint="record files end in .yaml"),
    case("unknown-folder", {"ledger/contribution/2026-H1/c1.yaml": CONTRIBUTION},
         ("ledger/contribution/2026-H1/c1.yaml", 1, 1, "bad-path", "'ledger/contribution/2026-H1/c1.yaml' is not in a known folder")),
    case("symlink-to-etc-passwd", {}, (C, 1, 1, "symlink", "'c1.yaml' is a symbolic link"), prepare=_symlink_to_passwd),
    case("symlink-to-outside-folder", {}, ("ledger/contributions/2026-H1", 1, 1, "symlink", "'2026-H1' is a symbolic link"),
         prepare=_symlink_to_outside_folder),
    case("fifo-record", {}, (C, 1, 1, "not-a-file", "'c1.yaml' is a named pipe (FIFO), not a regular file"), prepare=_fifo_record),
    case("charter-missing", {}, ("charter.md", 1, 1, "charter", "charter.md is missing"), prepare=_delete_charter),
    # --- requests and allocations
    case("request-after-opt-out", {"ledger/requests/2026-H1/r1.yaml": "member: bruno\namount: 100.00\ndate: 2026-03-02\n"},
         ("ledger/requests/2026-H1/r1.yaml", 1, 9, "request", "bruno opted out of payouts (receives: false) and cannot request an amount"),
         prepare=_opt_out("bruno")),
    case("two-requests-in-a-period", {C: CONTRIBUTION,
                                      "ledger/requests/2026-H1/r1.yaml": "member: alice\namount: 100.00\njustification: [c1]\ndate: 2026-03-02\n",
                                      "ledger/requests/2026-H1/r2.yaml": "member: alice\namount: 50.00\ndate: 2026-04-02\n"},
         ("ledger/requests/2026-H1/r2.yaml", 1, 1, "one-request", "alice already has a request in 2026-H1")),
    case("allocation-to-oneself", {"ledger/allocations/2026-H1/alice.yaml": "giver: alice\npoints:\n  alice: 10\n  bruno: 20\n"},
         ("ledger/allocations/2026-H1/alice.yaml", 3, 3, "allocation", "alice gives points to themselves")),
    case("allocation-over-100-points", {"ledger/allocations/2026-H1/alice.yaml": "giver: alice\npoints:\n  bruno: 50\n  chloe: 60\n"},
         ("ledger/allocations/2026-H1/alice.yaml", 3, 3, "allocation", "alice gives 110 points; at most 100 may be given")),
    case("allocation-key-not-a-handle", {"ledger/allocations/2026-H1/alice.yaml": "giver: alice\npoints:\n  Chloe: 60\n"},
         ("ledger/allocations/2026-H1/alice.yaml", 3, 3, "bad-value",
          "'points': 'Chloe' is not a valid id or handle (lowercase letters, digits and '-', at most 80 characters)")),
    # --- closed periods
    case("seal-of-another-period", {"ledger/periods/2026-H1.yaml": _seal("2026-H2")},
         ("ledger/periods/2026-H1.yaml", 1, 9, "seal", "the seal file 2026-H1.yaml says period 2026-H2")),
    case("record-added-to-closed-period", {"ledger/periods/2026-H1.yaml": _seal("2026-H1"), C: CONTRIBUTION},
         (C, 1, 1, "sealed", "added to 2026-H1 after 2026-H1 was closed on 2026-07-03 (ledger/periods/2026-H1.yaml)")),
    case("payment-for-an-open-period",
         {"ledger/payments/p1.yaml": "period: 2026-H1\ndate: 2026-07-20\nreference: VIR-1\npaid:\n  alice: 100.00\n"},
         ("ledger/payments/p1.yaml", 1, 9, "payment",
          "the payment is for 2026-H1, which is not closed: payouts are paid from a sealed period"),
         hint="close the period first"),
    case("mission-interest-not-referenced",
         {"ledger/missions/m1.yaml": "title: Étude\nclient: Lyon\ndeadline: 2026-12-15\nposted_by: alice\ndate: 2026-11-20\n"
                                     "status: open\ninterest:\n- member: chloe\n  date: 2026-11-22\n"},
         ("ledger/missions/m1.yaml", 8, 1, "mission",
          "'interest' names chloe, who was not a referenced consultant on 2026-11-22: chloe had not signed the charter by then"),
         hint="only referenced consultants"),
    case("signing-key-of-two-members", {},
         ("ledger/members/bruno.yaml", 6, 1, "signing-key", "the key SHA256:0Whc/l2bvilxWeroJvRvTMKmco8m3gchPM1FN9XYtHk is also declared by alice (ledger/members/alice.yaml)"),
         prepare=_same_key("alice", "bruno")),
    # --- settings
    case("settings-unknown-policy", _settings("name: proportional", "name: proportionnal"),
         (S, 7, 9, "settings", "'policy.name': expected 'proportional', 'equal', 'hybrid', 'requests', 'peer', 'recent' or 'balanced', not 'proportionnal'"),
         hint="did you mean 'proportional'?"),
    case("settings-mix-not-one", _settings("  name: proportional", "  mix:\n  - name: proportional\n    fraction: 0.5\n  - name: equal\n    fraction: 0.3"),
         (S, 7, 3, "settings", "'policy': the fractions of a mix must add up to 1, they add up to 0.8")),
    case("settings-cap-0", _settings("cap: 1", "cap: 0"), (S, 5, 6, "settings", "cap must be more than 0 and at most 1, not 0")),
    case("settings-cap-1.5", _settings("cap: 1", "cap: 1.5"), (S, 5, 6, "settings", "cap must be more than 0 and at most 1, not 1.5")),
    case("settings-min-payout-negative", _settings("min_payout: 0", "min_payout: -5"),
         (S, 4, 13, "settings", "min_payout cannot be negative, not -5")),
    case("settings-unknown-key", _settings("cap: 1", "cap: 1\ncapp: 0.5"),
         (S, 6, 1, "unknown-key", "unknown key 'capp'"), hint="did you mean 'cap'?"),
    case("settings-hybrid-alpha-3", _settings("name: proportional", "name: hybrid\n  alpha: 3"),
         (S, 8, 10, "settings", "'alpha' of policy 'hybrid' must be between 0 and 1, not 3")),
    case("settings-parameter-of-another-policy", _settings("name: proportional", "name: proportional\n  alpha: 0.5"),
         (S, 8, 10, "settings", "policy 'proportional' has no parameter 'alpha' (it takes no parameter)")),
    case("settings-broken-yaml", _settings("cap: 1", "cap: [1"), (S, 6, 7, "yaml-syntax", "invalid YAML: did not find expected ',' or ']'")),
    case("settings-a-list", {S: "- currency: EUR\n"}, (S, 1, 1, "not-a-mapping", "the settings must be a mapping of keys to values")),
]


def _problems(result) -> list[tuple]:
    return [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in result.json()["problems"]]


@pytest.mark.parametrize("bad", CASES)
def test_bad_input_is_one_exact_problem(fab, bad: Case):
    bad.apply(fab)
    before = fab.state()
    as_json = fab("check", "--format", "json")
    as_text = fab("check")
    assert fab.state() == before
    for result in (as_json, as_text):
        assert result.code == 1, (result.out, result.err)
        assert "Traceback" not in result.out + result.err
    assert _problems(as_json) == [bad.expected]
    problem = as_json.json()["problems"][0]
    hint = problem["hint"]
    assert re.fullmatch(r"\S.*\S", hint) and " " in hint and "\n" not in hint, hint
    assert hint.startswith(bad.hint)
    assert problem["severity"] == "error"
    path, line, column, code, message = bad.expected
    assert as_text.out.splitlines()[:2] == [f"{path}:{line}:{column}: {code} {message}", f"  hint: {hint}"]


def test_every_code_is_produced_by_a_case():
    from test_privacy import PRIVACY_CASES  # the warning code private-data: exact cases there (exit 0, a warning)

    produced = {param.values[0].expected[3] for param in CASES} | {param.values[1][3] for param in PRIVACY_CASES}
    assert sorted(set(CODES) - produced) == []


def test_every_code_is_documented():
    docs = (REPO / "docs/problems.md").read_text("utf-8")
    sections = re.findall(r"^## `([a-z-]+)`$", docs, re.MULTILINE)
    assert sorted(sections) == sorted(CODES)
    for code in CODES:
        body = docs.split(f"## `{code}`", 1)[1].split("\n## ", 1)[0]
        assert re.search(r"^[\w./ -]+:\d+:\d+: " + re.escape(code) + " ", body, re.MULTILINE), code


def test_python_tags_are_never_executed(fab, capfd):
    witness = fab.root.parent / "executed"
    fab.write(C, f'title: !!python/object/apply:os.system ["touch {witness}"]\n')
    fab.write("ledger/contributions/2026-H1/c2.yaml", 'title: !!python/object/apply:os.system ["echo hi"]\n')
    fab.write("ledger/contributions/2026-H1/c3.yaml", "!!python/object/new:os.system [echo hi]\n")
    result = fab("check", "--format", "json")
    assert result.code == 1 and {p["code"] for p in result.json()["problems"]} == {"yaml-tag"}
    parsed = yamlio.parse(f'!!python/object/apply:os.system ["touch {witness}"]'.encode(), "x.yaml")
    assert [p.code for p in parsed.problems] == ["yaml-tag"] and parsed.data is None
    assert not witness.exists()
    assert "hi" not in capfd.readouterr().out


def test_all_problems_are_reported_at_once(fab):
    fab.write(C, contribution("hours: 3", "hours: -3"))
    fab.write(D, contribution("bruno", "zoe", DONATION))
    fab.write("ledger/members/Zoe.yaml", "name: Zoé\n")
    result = fab("check", "--format", "json")
    assert result.code == 1
    assert [p[3] for p in _problems(result)] == ["bad-value", "unknown-reference", "bad-id"]


# --- arbitrary bytes never crash fab check

_SETTINGS = Settings()
_TODAY = date(2026, 11, 27)
_PIECES = st.sampled_from([
    "authors: ", "kind: ", "title: ", "hours: ", "date: ", "- ", "  ", "\n", "\t", "[", "]", "{", "}", ", ", ": ",
    "&a ", "*a", "!!python/object/apply:os.system ", "!!binary ", "!foo ", "<<: ", "? ", "'", '"', "#", "|\n  ",
    "alice", "3", "-1", "1e400", ".inf", ".nan", "0x1F", "2026-02-30", "2026-03-02", "~", "true", "é", "\x00", "\ufeff",
])
_FILES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(str.encode),
    st.lists(_PIECES, max_size=60).map(lambda parts: "".join(parts).encode()),
)


def _check_one(raw: bytes) -> list:
    record, problems = read_record(C, raw, _SETTINGS)
    ledger = Ledger(_SETTINGS, (record,) if record else (), tuple(problems), "0" * 64, _TODAY)
    return check(ledger)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FILES)
def test_arbitrary_bytes_never_crash_the_library(raw):
    for problem in _check_one(raw):
        assert problem.code in CODES and problem.line >= 1 and problem.column >= 1 and str(problem.hint)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=_FILES)
def test_arbitrary_bytes_never_crash_fab_check(fab, raw):
    fab.write(C, raw)
    result = fab("check", "--format", "json")
    assert result.code in (0, 1), result.err
    assert result.code == (1 if result.json()["problems"] else 0)


# --- fab check NAME: each rule of the registry runs alone (issue 14) ------------------------------------------

def test_a_named_check_runs_that_rule_and_the_reading_of_the_files_only(fab):
    fab.write("ledger/contributions/2026-H1/c1.yaml", contribution("authors: alice", "authors: zoe"))
    fab.write("ledger/donations/2026-H1/d1.yaml", DONATION.replace("1500.00", "1500.001"))
    fab.write("ledger/donations/2026-H1/broken.yaml", "donor: [\n")
    every = fab("check", "--format", "json")
    assert sorted(p["code"] for p in json_problems(every)) == ["amount-digits", "unknown-reference", "yaml-syntax"]
    references = fab("check", "references", "--format", "json")
    assert references.code == 1 and sorted(p["code"] for p in json_problems(references)) == ["unknown-reference", "yaml-syntax"]
    money = fab("check", "money", "future-dates")
    assert money.code == 1 and "amount-digits" in money.out and "unknown-reference" not in money.out
    assert fab("check", "self-reviews", "--format", "json").out == fab("check", "files", "--format", "json").out


def test_fab_check_lists_its_rules_and_refuses_an_unknown_name_with_a_suggestion(fab):
    from fabrique_ledger.checks import RULES

    listed = fab("check", "--list")
    assert listed.code == 0 and [line.split()[0] for line in listed.out.splitlines()] == [rule.name for rule in RULES]
    assert "seal-arithmetic  each seal adds up: pool, payouts, carry-over, currency" in listed.out
    wrong = fab("check", "refrences")
    assert (wrong.code, wrong.out) == (2, "")
    assert wrong.err == ("error: there is no check named 'refrences'\n"
                         "  hint: did you mean 'references'? (fab check --list shows them all)\n")


def json_problems(result) -> list[dict]:
    return json.loads(result.out)["problems"]
