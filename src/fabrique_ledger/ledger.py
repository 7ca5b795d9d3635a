"""The Ledger: every record read from one revision of the files, with indexes; no I/O here."""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TypeVar

from .codec import Codec, NoCodec
from .periods import Period
from .problems import Problem
from .records import (
    RECORD_TYPES,
    Alert,
    Allocation,
    Contribution,
    Donation,
    Member,
    Record,
    Request,
    Review,
    Seal,
    Signature,
    Use,
)
from .settings import Settings

PERIODIC_FOLDERS = frozenset(kind.folder for kind in RECORD_TYPES if kind.periodic)
R = TypeVar("R", bound=Record)


def blob_id(data: bytes) -> str:
    """Git's id of a file's content (what ``git hash-object`` prints), computed without git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class Ledger:
    """An immutable set of records; ``problems`` holds what went wrong while reading the files."""

    settings: Settings = field(default_factory=Settings)
    records: tuple[Record, ...] = ()
    problems: tuple[Problem, ...] = ()
    charter_sha256: str | None = None
    today: date = field(default_factory=date.today)
    blobs: Mapping[str, str] = field(default_factory=dict)  # path -> git blob id of every file read
    # When only part of the ledger was read: the folders not read and the names of their files, e.g.
    # {"ledger/contributions/2026-H1": {"2026-03-02-alice-gtfs.yaml", ...}} (any container: `name in`).
    other_files: Mapping[str, Container[str]] = field(default_factory=dict)
    folders: tuple[str, ...] = ("",)  # the folders under ledger/ it was read from, like "members" ("": all of it)
    codec: Codec = field(default_factory=NoCodec, compare=False, repr=False)  # how drafts become files (codec.py)

    def with_record(self, record: Record, blob: str | None = None) -> Ledger:
        """The ledger as it would be with ``record`` added, or replacing the record at its path."""
        kept = tuple(r for r in self.records if r.source.path != record.source.path)
        blobs = dict(self.blobs)
        if blob is not None:
            blobs[record.source.path] = blob
        return replace(self, records=(*kept, record), blobs=blobs)

    def without(self, paths: Container[str]) -> Ledger:
        """The ledger as it would be with the files at ``paths`` removed."""
        return replace(self, records=tuple(r for r in self.records if r.source.path not in paths),
                       problems=tuple(p for p in self.problems if p.path not in paths),
                       blobs={path: blob for path, blob in self.blobs.items() if path not in paths})

    @cached_property
    def scope(self) -> frozenset[str] | None:
        """When only part of the ledger was read: the folders read, like "ledger/members" or
        "ledger/contributions/2026-H2" (with their sub-folders); None when the whole ledger was read."""
        return None if self.folders == ("",) else frozenset(f"ledger/{folder}".rstrip("/") for folder in self.folders)

    def holds(self, path: str) -> bool:
        """Whether the file at ``path`` was read, if it exists: always on a whole read; on a partial one
        (``scope``), when it is in a folder read, or was written into this ledger (``with_record``).  A rule
        of fab check judges only what was read: a file outside the scope is unknown, not missing."""
        if self.scope is None or path in self.blobs:
            return True
        folder = path.rpartition("/")[0]
        while folder:
            if folder in self.scope:
                return True
            folder = folder.rpartition("/")[0]
        return False

    def period_folder_files(self, name: str) -> Mapping[str, str]:
        """path -> blob id of the files of every period folder called ``name`` (ledger/<kind>/<name>/<file>)."""
        return self._by_period_folder.get(name, {})

    @cached_property
    def _by_period_folder(self) -> dict[str, dict[str, str]]:
        index: dict[str, dict[str, str]] = {}
        for path, blob in self.blobs.items():
            if path.count("/") == 3:
                index.setdefault(path.split("/")[2], {})[path] = blob
        return index

    def reviews_of_period(self, period: Period) -> list[Review]:
        """The reviews whose target (a contribution or request) belongs to ``period``, in the ledger's order."""
        return self._reviews_by_target_period.get(period, [])

    @cached_property
    def _reviews_by_target_period(self) -> dict[Period | None, list[Review]]:
        index: dict[Period | None, list[Review]] = {}
        for review in self.reviews:
            target = self.contributions.get(review.target) or self.requests.get(review.target)
            if target is not None:
                index.setdefault(self.period_of(target), []).append(review)
        return index

    @cached_property
    def _by_kind(self) -> dict[type, tuple[Record, ...]]:
        index: dict[type, list[Record]] = {}
        for record in self.records:
            index.setdefault(type(record), []).append(record)
        return {kind: tuple(found) for kind, found in index.items()}

    def of(self, kind: type[R]) -> tuple[R, ...]:
        return self._by_kind.get(kind, ())  # type: ignore[return-value]

    def _index(self, kind: type[R]) -> dict[str, R]:
        """Records of one kind by id; on a duplicate id (a problem) the first path wins."""
        index: dict[str, R] = {}
        for record in sorted(self.of(kind), key=lambda r: r.source.path):
            index.setdefault(record.id, record)
        return index

    @cached_property
    def members(self) -> dict[str, Member]:
        return self._index(Member)

    @cached_property
    def contributions(self) -> dict[str, Contribution]:
        return self._index(Contribution)

    @cached_property
    def requests(self) -> dict[str, Request]:
        return self._index(Request)

    @cached_property
    def seals(self) -> dict[str, Seal]:
        """Seals by period id (reopened ones included: see ``Seal.sealed``)."""
        return {seal.id: seal for seal in self._index(Seal).values()}

    def sealed(self, period: Period) -> Seal | None:
        """The seal of ``period`` if it is closed (not reopened)."""
        seal = self.seals.get(str(period))
        return seal if seal is not None and seal.sealed else None

    @property
    def donations(self) -> tuple[Donation, ...]:
        return self.of(Donation)

    @property
    def reviews(self) -> tuple[Review, ...]:
        return self.of(Review)

    @cached_property
    def reviews_by_target(self) -> dict[str, list[Review]]:
        found: dict[str, list[Review]] = {}
        for review in self.reviews:
            found.setdefault(review.target, []).append(review)
        return found

    @property
    def signatures(self) -> tuple[Signature, ...]:
        return self.of(Signature)

    @property
    def uses(self) -> tuple[Use, ...]:
        return self.of(Use)

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        return self.of(Allocation)

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return self.of(Alert)

    def period_of(self, record: Record) -> Period | None:
        """The period a periodic record belongs to: its date's, or (allocations) its folder's."""
        if not record.periodic:
            return None
        if record.day is not None:
            return Period.containing(record.day, self.settings.period)
        try:
            return Period.parse(record.source.path.split("/")[2], self.settings.period)
        except (IndexError, ValueError):
            return None

    @cached_property
    def _by_period(self) -> dict[tuple[type, Period | None], list[Record]]:
        index: dict[tuple[type, Period | None], list[Record]] = {}
        for record in self.records:
            index.setdefault((type(record), self.period_of(record)), []).append(record)
        return index

    def in_period(self, kind: type[R], period: Period) -> tuple[R, ...]:
        return tuple(self._by_period.get((kind, period), ()))  # type: ignore[arg-type]

    def current_period(self) -> Period:
        return Period.containing(self.today, self.settings.period)

    def periods(self) -> list[Period]:
        """Every period that holds a record, or a record file (one that does not read as a record,
        or, when only part of the ledger was read, one known by its name), oldest first."""
        return sorted({period for _, period in self._by_period if period is not None} | self._file_periods)

    @cached_property
    def _file_periods(self) -> set[Period]:
        folders = {path.rpartition("/")[0] for path in self.blobs}
        folders |= {folder for folder, names in self.other_files.items() if names}
        names = {parts[2] for parts in (folder.split("/") for folder in folders)
                 if len(parts) == 3 and parts[1] in PERIODIC_FOLDERS}
        found = set()
        for name in names:
            try:
                found.add(Period.parse(name, self.settings.period))
            except ValueError:
                pass  # not a period: fab check says so (wrong-period)
        return found


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems grouped by file, in line order: the order people read them in.  Messages are compared by
    their English text, worded once per problem (comparing Message values words them at each comparison:
    30 s for the 18 000 problems of one seal's file)."""
    return sorted(set(problems), key=_place)


def _place(problem: Problem) -> tuple:
    message = problem.message
    return problem.path, problem.line, problem.column, problem.code, message if isinstance(message, str) else message.english()
