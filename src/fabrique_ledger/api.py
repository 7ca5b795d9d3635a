"""The library's entry points: open a ledger, record a fact, split a period, build its report.

What the command line does, a program can do with these (``fabrique_ledger`` exports them): the one
write sequence lives here, not in the CLI.  A write holds the ledger's lock from before it reads the
ledger until the commit, builds the draft from what it read, refuses it with its problems (nothing is
written), else writes the file and commits it alone (store/write.py: journal, atomic files, index).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import report as reports
from .drafts import Draft, recheck, scope_for
from .i18n import M_
from .ledger import Ledger
from .periods import Period
from .problems import FabError
from .records import BY_KIND
from .settings import Settings
from .split import view
from .store import git, inventory
from .store.history import read_ledger_at
from .store.lock import ledger_lock
from .store.root import find_root
from .store.write import save


class Refused(FabError):
    """A draft that would leave the ledger with problems: nothing was written."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(M_("nothing was written; {rel} would have problems", rel=draft.rel))
        self.draft, self.problems = draft, draft.problems


@dataclass(frozen=True)
class Recorded:
    """A fact written: its draft (path, id, text), the commit (None with ``commit=False``), whether signed."""

    draft: Draft
    commit: str | None
    signed: bool


def open_ledger(path: Path | str | None = None, *, at: str | None = None, today: date | None = None) -> Ledger:
    """The ledger of the folder ``path`` (or the nearest one above it; the current folder by default), as
    its files are now or, with ``at``, at a git revision.  Raises ``FabError`` when there is none."""
    root = find_root(Path(path) if path is not None else None)
    if at is not None:
        return read_ledger_at(root, at, today)
    return inventory.read_ledger(root, today)


def record(make: Callable[[Ledger], Draft], path: Path | str | None = None, *, kind: str | None = None,
           day: date | None = None, author: str | None = None, commit: bool = True, branch: str | None = None,
           today: date | None = None) -> Recorded:
    """Lock, read, draft (``make(ledger)``, e.g. ``lambda l: drafts.donation(l, donor="bruno", ...)``), check,
    write and commit.  With ``kind`` (and the record's ``day``), only what that kind's checks need is read.
    Raises ``Refused`` (with the draft's problems) when the fact cannot be recorded, ``FabError`` otherwise."""
    root = find_root(Path(path) if path is not None else None)
    with ledger_lock(root):
        scope = scope_for(BY_KIND[kind], day, today or date.today()) if kind is not None else None
        draft = make(inventory.read_ledger(root, today, scope=scope))
        return write(root, draft, author=author, commit=commit, branch=branch)


def write(root: Path, draft: Draft, *, author: str | None = None, commit: bool = True, branch: str | None = None,
          also: Iterable[str] = (), checked: bool = False) -> Recorded:
    """The end of a write, the ledger's lock held: refuse a draft with problems, or one that would commit a
    record depending on files that are not committed (``against_commit``; ``checked``: the caller did), else
    write its file (and remove those it replaces) and commit them, with ``also``, files the user changed, as
    they are."""
    also = tuple(also)
    if commit and not checked:
        draft = against_commit(root, draft, also)
    if draft.problems:
        raise Refused(draft)
    changes = {**{rel: _as_it_is(root / rel) for rel in also}, draft.rel: draft.text, **dict.fromkeys(draft.removes)}
    sha = save(root, changes, message=draft.message, author=author or draft.author, commit=commit, branch=branch)
    return Recorded(draft, sha, sha is not None and git.is_signed(root, sha))


def against_commit(root: Path, draft: Draft, also: Iterable[str] = ()) -> Draft:
    """``draft`` as it will be committed: alone (with ``also``), so checked against the ledger of the last
    commit when a file it was checked with is not committed (drafts.recheck); refused with the problems it
    would leave that commit with, or the same draft.  Fast when nothing differs from HEAD (one git ls-tree
    of the folders the write read)."""
    base = draft.base
    if base is None or draft.problems:
        return draft
    view = as_committed(root, base, {*also, draft.rel, *draft.removes})
    return draft if view is None else recheck(view[0], draft, view[1])


def as_committed(root: Path, ledger: Ledger, kept: Collection[str]) -> tuple[Ledger, list[str]] | None:
    """What a commit of the files ``kept`` would hold, when some other file ``ledger`` was read from differs
    from HEAD: (the ledger as HEAD holds it, with ``kept`` as they are; the files that differ), else None."""
    from .store import committed

    found = committed.pending(root, ledger)
    differing = [p for p in found.paths if p not in kept] if found is not None else []
    if found is None or not differing:
        return None
    return committed.as_committed(root, ledger, found, kept), differing


def _as_it_is(path: Path) -> str | None:
    """A file the user wrote, to be committed as it is, byte for byte (None: it was deleted)."""
    return path.read_bytes().decode("utf-8") if path.is_file() else None


def period_split(ledger: Ledger, period: str | Period | None = None, *, what_if: Settings | None = None,
          explain: bool = False) -> dict:
    """The split of a period's pool (the current period by default): the sealed one for a closed period,
    as data (Decimals, dates, messages), the way ``fab split --format json`` shows it."""
    return view.for_period(ledger, _period(ledger, period), what_if, explain)


def period_report(ledger: Ledger, period: str | Period | None = None) -> dict:
    """The reciprocity page of a period as data: what each member used and gave back, the split, the agenda."""
    return reports.build_report(ledger, _period(ledger, period))


def _period(ledger: Ledger, period: str | Period | None) -> Period:
    if period is None:
        return ledger.current_period()
    return period if isinstance(period, Period) else Period.parse(period, ledger.settings.period)
