"""The records of the ledger (DESIGN §3): immutable, validated, and aware of where they came from.

Each model is one YAML file.  The YAML keys are the model's fields, except ``id`` (the file's
stem) and ``source`` (path and line), which the store fills in.  Values are strict: a title must
be text, an amount exact digits, a date a real calendar date, so that a typo in a file is reported
rather than silently turned into something else.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .amounts import decimals
from .controls import control_character
from .i18n import M_

# Ids, handles and numbers are matched whole: with ``fullmatch`` in Python (where ``$`` would also match
# before a final newline, letting 'alice\n' pass), and by pydantic's Rust regex, whose ``$`` is the end.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
REVIEW_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,162}$")  # <target>--<reviewer>: two ids
PLAIN_NUMBER = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$")
# A request's or a payment's id begins with its period (2026-h1-chloe): lowercase, like every id, since two
# file names that differ only by case are one file on macOS and Windows.  People read and type the period
# as 2026-H1 everywhere else, so an id typed with its period that way is read as the id (``typed_id``).
PERIOD_PREFIX = re.compile(r"^[0-9]{4}-[HQ][1-4]-")
DEFAULT_KINDS = ("wiki", "code", "event", "mentoring", "template", "translation", "review-work", "other")


def typed_id(text: str) -> str:
    """The record id a person means: '2026-H1-chloe' (the period as they read it) is 2026-h1-chloe."""
    return PERIOD_PREFIX.sub(lambda found: found.group(0).lower(), text)


class Source(NamedTuple):
    """Where a record was read: path relative to the ledger root, 1-based line and column,
    and where each top-level value stands, so a problem can point at the value it is about."""

    path: str
    line: int = 1
    column: int = 1
    values: tuple[tuple[str, int, int], ...] = ()

    def at(self, key: str | None) -> tuple[int, int]:
        """Line and column of the value of ``key``, or of the record when the key is not known."""
        for name, line, column in self.values:
            if name == key:
                return line, column
        return self.line, self.column


def _exact_number(value: Any) -> Decimal:
    """Accept only numbers written in plain digits; binary floats and exponents never reach money."""
    if isinstance(value, bool):
        raise ValueError(M_("expected a number, not true/false"))
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        value = format(value, "f") if value.is_finite() else str(value)
    if not isinstance(value, str) or not PLAIN_NUMBER.fullmatch(value.strip()):
        raise ValueError(M_("expected a number written in plain digits, like 1500.00"))
    return Decimal(value.strip())


def _real_date(value: Any) -> date:
    """Dates are written YYYY-MM-DD; numbers (read as timestamps by some tools) are refused."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(M_("'{value}' is not a real calendar date", value=value)) from None
    raise ValueError(M_("expected a date written YYYY-MM-DD, like 2026-03-14"))


def _no_controls(value: str, one_line: bool = True) -> str:
    """Text holding a character of ``controls.CONTROLS`` (or, on one line, a line break or a tab) is refused:
    other members' terminals and pages would act on it (issue 13).  store/files.py words the error."""
    found = control_character(value, one_line)
    if found is not None:
        position, char = found
        raise PydanticCustomError("control_character", "holds the character U+{code} at character {position}",
                                  {"code": f"{ord(char):04X}", "position": position, "one_line": one_line})
    return value


def _refuse_controls(one_line: bool) -> AfterValidator:
    return AfterValidator(lambda value: _no_controls(value, one_line))


Number = Annotated[Decimal, BeforeValidator(_exact_number)]
Day = Annotated[date, BeforeValidator(_real_date)]
Line = Annotated[StrictStr, _refuse_controls(one_line=True)]  # one-line text of any length (a period id, a key)
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), _refuse_controls(True)]
LongText = Annotated[StrictStr, StringConstraints(max_length=20_000), _refuse_controls(one_line=False)]
Handle = Annotated[StrictStr, StringConstraints(pattern=ID_PATTERN.pattern)]
Url = Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$", max_length=2000), _refuse_controls(True)]


def _signing_key(value: Any) -> Any:
    """A public SSH key as git signs with it (``ssh-ed25519 AAAA… comment``): its type, and its blob in base64."""
    if isinstance(value, str):
        parts = value.split()
        if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
            raise ValueError(M_("expected a public SSH key, like 'ssh-ed25519 AAAAC3Nza… alice@laptop' "
                               "(the line of ~/.ssh/id_ed25519.pub)"))
        try:
            blob = base64.b64decode(parts[1], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(M_("the key's second word is not base64: copy the whole line of the .pub file")) from None
        if blob[4:4 + len(parts[0])] != parts[0].encode():
            raise ValueError(M_("the key's data is not a {kind} key: copy the whole line of the .pub file", kind=parts[0]))
    return value


SSH_KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                 "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
SigningKey = Annotated[StrictStr, StringConstraints(max_length=4000), BeforeValidator(_signing_key), _refuse_controls(True)]
PATTERN_CHARACTERS = '*?!,"'  # what git's allowed-signers file reads as patterns, a list, a quoted string


def _no_pattern(value: str) -> str:
    """A member's email is one of their principals in git's allowed-signers file (``fab keys allowed-signers``),
    where ``*``, ``?`` and ``!`` are patterns, ``,`` separates principals and ``"`` quotes them: with
    '*@example.org' a member's key would sign as anyone at example.org, with 'me,bruno@x.org' as bruno."""
    found = [char for char in PATTERN_CHARACTERS if char in value]
    if found:
        raise ValueError(M_("{value} holds {chars}, which git reads as a pattern or a list in its allowed signers "
                            "(fab keys allowed-signers): it could match other people's addresses",
                            value=repr(value), chars=" ".join(f"'{char}'" for char in found)))
    return value


Email = Annotated[StrictStr, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320),
                  _refuse_controls(True), AfterValidator(_no_pattern)]


class Record(BaseModel):
    """Common ground of every record: its id (the file stem) and where it was read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record_kind: ClassVar[str]
    folder: ClassVar[str]
    periodic: ClassVar[bool] = False
    id: str = Field(exclude=True)
    source: Source = Field(default=Source("?"), exclude=True)

    @classmethod
    def yaml_keys(cls) -> list[str]:
        return [name for name in cls.model_fields if name not in ("id", "source")]

    @property
    def day(self) -> date | None:
        """The date that places the record in a period (None for timeless records)."""
        return self.__dict__.get("date")  # not getattr: pydantic's fallback for a missing field is slow


class Member(Record):
    record_kind = "member"
    folder = "members"
    name: Text
    roles: tuple[Literal["consultant", "contributor"], ...] = Field(min_length=1)
    joined: Day
    organisation: Text | None = None
    email: Email | None = None
    wiki_user: Text | None = None
    receives: StrictBool = True
    signing_keys: tuple[SigningKey, ...] = ()  # public SSH keys the member signs their commits with


class Signature(Record):
    record_kind = "signature"
    folder = "signatures"
    member: Handle
    date: Day
    charter: Annotated[StrictStr, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Author(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    member: Handle
    share: Number = Decimal(1)


def _authors(value: Any) -> Any:
    """``authors: alice`` is shorthand for one author with the whole share."""
    if isinstance(value, str):
        return [{"member": value, "share": Decimal(1)}]
    return value


class Contribution(Record):
    record_kind = "contribution"
    folder = "contributions"
    periodic = True
    authors: Annotated[tuple[Author, ...], BeforeValidator(_authors), Field(min_length=1, max_length=50)]
    kind: Annotated[StrictStr, StringConstraints(pattern=ID_PATTERN.pattern)]
    title: Text
    hours: Number
    date: Day
    url: Url | None = None
    description: LongText | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: Decimal) -> Decimal:
        if value <= 0 or value > 10_000:
            raise ValueError(M_("hours must be more than 0 and at most 10000"))
        if decimals(value) > 2:
            raise ValueError(M_("hours take at most 2 decimals (1.25 = 1 h 15)"))
        return value

    def share_of(self, handle: str) -> Decimal:
        return sum((a.share for a in self.authors if a.member == handle), Decimal(0))


class Donation(Record):
    record_kind = "donation"
    folder = "donations"
    periodic = True
    donor: Handle
    amount: Number
    date: Day
    mission: Text | None = None
    reference: Text | None = None
    currency: Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    rate: Number | None = None


class Use(Record):
    record_kind = "use"
    folder = "uses"
    periodic = True
    member: Handle
    resource: Text
    date: Day
    mission: Text | None = None
    mission_revenue: Number | None = None


class Review(Record):
    record_kind = "review"
    folder = "reviews"
    periodic = True
    target: Handle
    reviewer: Handle
    verdict: Literal["approve", "object"]
    score: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    comment: LongText | None = None
    date: Day


class Request(Record):
    record_kind = "request"
    folder = "requests"
    periodic = True
    member: Handle
    amount: Number
    justification: tuple[Handle, ...] = ()
    date: Day


class Allocation(Record):
    record_kind = "allocation"
    folder = "allocations"
    periodic = True
    giver: Handle
    points: dict[Handle, Annotated[StrictInt, Field(ge=0, le=1_000_000)]]
    date: Day | None = None


class Alert(Record):
    record_kind = "alert"
    folder = "alerts"
    about: Text
    evidence: Url
    reported_by: Handle
    date: Day
    status: Literal["open", "invited", "signed", "dismissed"] = "open"
    note: LongText | None = None


class Seal(Record):
    """A closed period (DESIGN §7): the collective review's outcome, sealed by a digest.

    ``files`` maps each record file of the period to its git blob id at the seal, so that
    ``fab check`` can name exactly what was added, changed or removed afterwards.
    """

    record_kind = "seal"
    folder = "periods"
    period: Line
    date: Day
    policy: dict[Line, Any]
    parameters: dict[Line, Number | None] = Field(default_factory=dict)  # cap, min_payout, commons_share used
    currency: Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None  # absent from early seals
    carried_in: Number | None = None  # the carry-over of the period before, taken into the pool (absent from early seals)
    pool: Number
    commons: Number
    distributable: Number
    payouts: dict[Handle, Number] = Field(default_factory=dict)
    carried_over: Number
    dereferenced: tuple[Handle, ...] = ()
    digest: Annotated[StrictStr, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    files: dict[Line, Annotated[StrictStr, StringConstraints(pattern=r"^[0-9a-f]{40}$")]] = Field(default_factory=dict)
    reopened: Day | None = None
    reason: LongText | None = None

    @field_validator("policy")
    @classmethod
    def _policy_text(cls, value: dict[str, Any]) -> dict[str, Any]:
        """The policy's names and parameters are shown on every page of the period: one-line text only."""
        def walk(node: Any) -> None:
            if isinstance(node, str):
                _no_controls(node)
            elif isinstance(node, dict):
                for item in node.values():
                    walk(item)
            elif isinstance(node, (list, tuple)):
                for item in node:
                    walk(item)

        walk(value)
        return value

    @property
    def sealed(self) -> bool:
        return self.reopened is None


class Step(BaseModel):
    """Someone's move on a mission (interest, assignment), dated so it can be checked against referencing."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    member: Handle
    date: Day


class Mission(Record):
    """A mission proposal offered to referenced consultants (a service of the referencing, §1)."""

    record_kind = "mission"
    folder = "missions"
    title: Text
    client: Text
    deadline: Day
    skills: tuple[Text, ...] = ()
    url: Url | None = None
    description: LongText | None = None
    posted_by: Handle
    date: Day
    interest: tuple[Step, ...] = ()
    assigned: tuple[Step, ...] = ()
    status: Literal["open", "assigned", "closed"] = "open"


class Payment(Record):
    """Transfers made for a sealed period's payouts, so the report can tell what is paid and what is owed."""

    record_kind = "payment"
    folder = "payments"
    period: Line
    date: Day
    reference: Text
    paid: dict[Handle, Number] = Field(min_length=1)


# The fields that name one member (besides a contribution's authors and an allocation's points).
MEMBER_FIELDS = ("donor", "member", "reviewer", "giver", "reported_by")

RECORD_TYPES: tuple[type[Record], ...] = (
    Member, Signature, Contribution, Donation, Use, Review, Request, Allocation, Alert, Seal, Mission, Payment,
)
BY_FOLDER = {cls.folder: cls for cls in RECORD_TYPES}
BY_KIND = {cls.record_kind: cls for cls in RECORD_TYPES}


def path_of(kind: type[Record], period: object, record_id: str) -> str:
    """Where a record lives in the repository (DESIGN §2), the one place paths are made:
    ``ledger/<kind folder>/<period>/<id>.yaml`` for the kinds kept by period, else ``ledger/<kind folder>/<id>.yaml``
    (``period`` is then None)."""
    if kind.periodic:
        return f"ledger/{kind.folder}/{period}/{record_id}.yaml"
    return f"ledger/{kind.folder}/{record_id}.yaml"
