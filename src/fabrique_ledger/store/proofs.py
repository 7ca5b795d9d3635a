"""What history reading found, kept by commit id in ``<git dir>/fab/history.pickle`` (outside git's tree,
like the parse cache): a commit id names its whole history, so what was read or proved at a commit
stays true of it.

- The changes and commits of a revision's history (``History.changes``, ``History.commits``), under its
  commit id: ``fab verify`` run again on the same HEAD does not ask git to diff 20 000 commits again.
  Kept only when no commit is signed: git's verdict on a signature (%G?) also depends on keys kept
  outside the repository, which may change while the commit does not.
- The seals ``fab verify`` found right at their commit (``verify.Proof``), under (commit, seal blob,
  today): their ledger at that commit is not read again.

Everything is also keyed by fab's code (``cache.stamp``); a missing, corrupt or foreign file is ignored
and written again.  FAB_NO_CACHE=1 switches it off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache

if TYPE_CHECKING:  # (not imported: the second run of fab verify needs neither records nor pydantic)
    from ..changes import Commit, FileChange
    from ..verify import Proof

KEEP_HISTORIES = 2  # revisions whose changes are kept (HEAD, and the one before a commit)


class HistoryCache:
    def __init__(self, root: Path) -> None:
        self.path = cache.history_location(root) if cache.enabled() else None
        self.data: dict[str, Any] = {"histories": {}, "proofs": {}, "parsed": {}}
        self.parsed: dict[str, Any] = {}  # blob id -> keys and values, of the files parsed in this run
        self.dirty = False
        if self.path is None:
            return
        try:
            written, data = cache.load(self.path)
            if written == cache.stamp() and isinstance(data, dict) and {"histories", "proofs", "parsed"} <= set(data):
                self.data = data
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
            pass

    def history(self, key: tuple[str, str, str]) -> tuple[list[FileChange] | None, list[Commit] | None]:
        """(changes, commits) kept for (commit id, ledger prefix, what), or None for each."""
        found = self.data["histories"].get(key)
        return found if isinstance(found, tuple) and len(found) == 2 else (None, None)

    def keep_history(self, key: tuple[str, str, str], changes: list[FileChange] | None, commits: list[Commit] | None) -> None:
        if any(c.signed for c in commits or ()) or any(c.commit.signed for c in changes or ()):
            return
        old_changes, old_commits = self.history(key)
        others = [(k, v) for k, v in self.data["histories"].items() if k != key]
        kept = dict(others[len(others) - (KEEP_HISTORIES - 1):])
        kept[key] = (changes if changes is not None else old_changes, commits if commits is not None else old_commits)
        self.data["histories"] = kept
        self.dirty = True

    def proofs(self, today: date) -> Mapping[tuple[str, str], Proof]:
        """The proofs kept for runs of ``today``, by (seal commit, seal blob)."""
        return {(commit, blob): proof for (commit, blob, day), proof in self.data["proofs"].items()
                if day == today.isoformat()}

    def keep_proofs(self, proofs: tuple[Proof, ...], today: date) -> None:
        """Keep today's proofs; those of other days are never read again (a proof holds for its day)."""
        day = today.isoformat()
        stale = [key for key in self.data["proofs"] if key[2] != day]
        for key in stale:
            del self.data["proofs"][key]
        self.dirty = self.dirty or bool(stale)
        for proof in proofs:
            self.data["proofs"][(proof.commit, proof.seal_blob, today.isoformat())] = proof
            self.dirty = True

    def parse(self, blob: str | None, parse: Callable[[], Any]) -> Any:
        """``parse()`` of a file's version, kept by its blob id (the seal files, 8 000 paths each at 100 000
        records, take 0.4 s each to parse)."""
        if blob is None:
            return parse()
        if blob not in self.parsed:
            known = self.data["parsed"].get(blob, self)
            self.parsed[blob] = parse() if known is self else known
            self.dirty = self.dirty or known is self
        return self.parsed[blob]

    def save(self) -> None:
        """Write what was kept; of the parsed files, those of this run only."""
        if self.path is not None and self.dirty:
            self.data["parsed"] = self.parsed
            cache._write(self.path, (cache.stamp(), self.data))

