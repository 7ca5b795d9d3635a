"""How a record becomes the text of its file and back: an interface of the core, implemented by the store.

A write builds a draft's text and reads it back exactly as ``fab check`` reads files, so that what a write
accepts is what ``fab check`` accepts.  The core must not parse YAML itself (only ``store/`` knows the file
format), so the ledger read from the files carries the store's codec, and the drafts use it.
"""

from __future__ import annotations

from typing import Any, Protocol

from .problems import Problem
from .records import Record
from .settings import Settings


class Codec(Protocol):
    def dump(self, data: dict[str, Any]) -> str:
        """The text of a new record file."""

    def edit(self, raw: bytes, changes: dict[str, Any]) -> str:
        """The text of an existing file with some top-level keys set, its comments and layout kept."""

    def read(self, rel: str, raw: bytes, settings: Settings) -> tuple[Record | None, list[Problem]]:
        """The record a file holds, or the problems that stop it from being one."""


class NoCodec:
    """The codec of a ledger built in memory rather than read from files: it cannot make drafts."""

    def _refuse(self, *args: object) -> Any:
        raise TypeError("this ledger was not read from files: open it with fabrique_ledger.open_ledger to make drafts")

    dump = edit = read = _refuse
