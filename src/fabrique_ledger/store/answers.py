"""Whole answers of read-only commands, kept in ``<git dir>/fab/answers.pickle`` (outside git's tree) by
the digest of everything they depend on, as ``fab check`` keeps its own (``cache.ResultCache``)."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from pathlib import Path

from . import cache


class Answers:
    """Whole answers of a read-only command by the digest of everything they depend on: every file of the
    working tree's ledger with its blob id, the charter, today and fab's code (``inventory._Found.digest``,
    as ``fab check`` does), the command and its options, the language (an answer is text), and with ``head``
    HEAD's commit id (its whole history).  The second run on an unchanged ledger reads no record and
    asks git for no history.  The caller keeps only answers that depend on nothing else (``fab verify``:
    none that names a signed commit, whose verdict depends on keys outside the repository)."""

    KEEP = 16

    def __init__(self, root: Path, today: date, options: tuple[str, ...], head: bool = False) -> None:
        from ..i18n import language
        from .inventory import _inventory

        self.path = cache.answers_location(root) if cache.enabled() else None
        self.entries: dict[str, tuple[str, int]] = {}
        self.key = ""
        if self.path is None:
            return
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD^{commit}"],
                                capture_output=True, text=True).stdout.strip() if head else "-"
        if not commit:  # no history: the command says so itself
            self.path = None
            return
        digest = _inventory(root, None, True).digest(today)
        self.key = hashlib.sha256("\0".join((digest, commit, language(), *options)).encode()).hexdigest()
        try:
            written, entries = cache.load(self.path)
            self.entries = entries if written == cache.stamp() and isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
            self.entries = {}

    def get(self) -> tuple[str, int] | None:
        found = self.entries.get(self.key)
        return found if isinstance(found, tuple) and len(found) == 2 else None

    def put(self, text: str, code: int) -> None:
        if self.path is not None:
            kept = [(k, v) for k, v in self.entries.items() if k != self.key][-(self.KEEP - 1):]
            cache._write(self.path, (cache.stamp(), {**dict(kept), self.key: (text, code)}))
