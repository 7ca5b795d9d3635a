"""Periods: the half-years (or quarters, months, years) in which the pool is split.

A period is a value such as ``2026-H1``, ``2026-Q3``, ``2026-07`` or ``2026``; its length comes
from the settings, so one ledger only ever uses one kind of period id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .i18n import M_

LENGTHS = ("half-year", "quarter", "month", "year")
_PER_YEAR = {"half-year": 2, "quarter": 4, "month": 12, "year": 1}
_MONTHS = {"half-year": 6, "quarter": 3, "month": 1, "year": 12}
_PATTERNS = {
    "half-year": re.compile(r"^(\d{4})-H([12])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "year": re.compile(r"^(\d{4})()$"),
}
EXAMPLES = {"half-year": "2026-H1", "quarter": "2026-Q3", "month": "2026-07", "year": "2026"}


@dataclass(frozen=True, order=True)
class Period:
    """One period; ordered by time (year, then index within the year)."""

    year: int
    index: int
    length: str = "half-year"

    @classmethod
    def parse(cls, text: str, length: str | None = None) -> Period:
        """Read a period id; with ``length``, only ids of that length are accepted."""
        for name in (length,) if length else LENGTHS:
            match = _PATTERNS[name].fullmatch(str(text))
            if match:
                return cls(int(match.group(1)), int(match.group(2) or 1), name)
        wanted = EXAMPLES[length] if length else "2026-H1, 2026-Q3, 2026-07 or 2026"
        raise ValueError(M_("'{text}' is not a period id (expected something like {wanted})", text=text, wanted=wanted))

    @classmethod
    @lru_cache(maxsize=None)  # a few thousand days for a hundred thousand records: each worked out once
    def containing(cls, day: date, length: str = "half-year") -> Period:
        return cls(day.year, (day.month - 1) // _MONTHS[length] + 1, length)

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS[self.length] + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        if self.index == _PER_YEAR[self.length]:
            return Period(self.year + 1, 1, self.length)
        return Period(self.year, self.index + 1, self.length)

    def previous(self) -> Period:
        if self.index == 1:
            return Period(self.year - 1, _PER_YEAR[self.length], self.length)
        return Period(self.year, self.index - 1, self.length)

    def __str__(self) -> str:
        if self.length == "half-year":
            return f"{self.year}-H{self.index}"
        if self.length == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.length == "month":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}"
