"""``fab diff`` (DESIGN §7): what a branch or pull request changes, record by record, and its effect on
the split of every period it touches."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .changes import FieldChange, field_changes, record_fields
from .ledger import Ledger
from .payouts import currency_of
from .periods import Period
from .records import RECORD_TYPES, Record, Review, Seal, path_of
from .seals import sealed_files, sealed_money, split_money
from .settings import CHARTER_PATH, SETTINGS_PATH
from .split.period import split_period


@dataclass(frozen=True)
class RecordChange:
    """One record (or the settings, or the charter) added, changed or removed between two ledgers."""

    action: str  # added, changed, removed
    path: str
    kind: str  # a record kind, 'settings', 'charter' or 'file' (a file that cannot be read)
    before: Record | None = None
    after: Record | None = None
    fields: tuple[FieldChange, ...] = ()
    moved_from: str | None = None


KIND_ORDER = ("settings", "charter", *(cls.record_kind for cls in RECORD_TYPES), "file")


def diff_ledgers(base: Ledger, head: Ledger) -> list[RecordChange]:
    """Every file that differs, as records; a record whose file moved (same kind and id) is one change."""
    old = {r.source.path: r for r in base.records}
    new = {r.source.path: r for r in head.records}
    found = [*_settings_change(base, head), *_charter_change(base, head)]
    for path in sorted((set(base.blobs) | set(head.blobs)) - {SETTINGS_PATH}):
        if base.blobs.get(path) == head.blobs.get(path):
            continue
        before, after = old.get(path), new.get(path)
        either = after or before
        kind = either.record_kind if either else "file"
        action = "added" if path not in base.blobs else "removed" if path not in head.blobs else "changed"
        fields = tuple(field_changes(record_fields(before), record_fields(after))) if action == "changed" else ()
        found.append(RecordChange(action, path, kind, before, after, fields))
    return sorted(_pair_moves(found), key=lambda c: (KIND_ORDER.index(c.kind), c.path))


def _pair_moves(changes: list[RecordChange]) -> list[RecordChange]:
    """A removed and an added record of the same kind and id: the record moved (its date changed period)."""
    removed = {(c.kind, c.before.id): c for c in changes if c.action == "removed" and c.before is not None}
    out, paired = [], set()
    for change in changes:
        old = removed.get((change.kind, change.after.id)) if change.action == "added" and change.after is not None else None
        if old is not None and old.path not in paired:
            paired.add(old.path)
            fields = tuple(field_changes(record_fields(old.before), record_fields(change.after)))
            out.append(RecordChange("changed", change.path, change.kind, old.before, change.after, fields, old.path))
        else:
            out.append(change)
    return [c for c in out if not (c.action == "removed" and c.path in paired)]


def _settings_change(base: Ledger, head: Ledger) -> list[RecordChange]:
    if base.blobs.get(SETTINGS_PATH) == head.blobs.get(SETTINGS_PATH):
        return []
    fields = tuple(field_changes(base.settings.model_dump(exclude_none=True), head.settings.model_dump(exclude_none=True)))
    return [RecordChange("changed", SETTINGS_PATH, "settings", fields=fields)]


def _charter_change(base: Ledger, head: Ledger) -> list[RecordChange]:
    if base.charter_sha256 == head.charter_sha256:
        return []
    action = "added" if base.charter_sha256 is None else "removed" if head.charter_sha256 is None else "changed"
    return [RecordChange(action, CHARTER_PATH, "charter",
                         fields=(FieldChange("version", base.charter_sha256, head.charter_sha256),))]


@dataclass(frozen=True)
class PayoutChange:
    member: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class SplitEffect:
    """One period's split as each side shows it (its seal when closed, else the split computed now),
    and the people whose amount changes.  ``seal_change``: how the change alters a seal that stays sealed
    ("" when it does not), which fab check, verify and guard refuse."""

    period: Period
    before: str  # "open" or "sealed"
    after: str
    policy: Mapping[str, Any]  # the policy of the split after the change
    pool: tuple[Decimal, Decimal]
    carried_over: tuple[Decimal, Decimal]
    payouts: tuple[PayoutChange, ...]
    touched: bool  # the change adds, changes or removes records of the period
    seal_change: str  # how: "records" (it covers), "rewritten" or "removed" (the seal itself, not reopened)
    currency: str  # the currency of its amounts: the seal's (before, else after), else the ledger's


def split_effects(base: Ledger, head: Ledger, changes: Sequence[RecordChange],
                  reopened: Callable[[Period], bool] = lambda period: False) -> list[SplitEffect]:
    """The effect of a change on every period it touches (its records, reviews of its records, its seal)
    and on every other period whose split it changes (settings, members, carry-over, policies that look
    back), oldest first.  Periods sealed on both sides with the same seal show the seal on both sides:
    only those the change touches are listed.  With nothing touched or changed, the current period.
    ``reopened(P)``: whether the change reopened P on record on the way (history knows; the two ledgers do
    not), so that a seal written again after a reopen is not a seal rewritten."""
    touched = _touched(base, head, changes)
    changed_paths = {p for c in changes for p in (c.path, c.moved_from) if p}
    periods = {p for ledger in (base, head) for p in ledger.periods() if ledger.sealed(p) is None} | touched
    effects = []
    for period in sorted(periods):
        effect = _effect(base, head, period, period in touched, changed_paths, reopened)
        if effect.touched or effect.payouts or effect.pool[0] != effect.pool[1] or effect.before != effect.after:
            effects.append(effect)
    if not effects:
        effects.append(_effect(base, head, head.current_period(), False, changed_paths, reopened))
    return effects


def _touched(base: Ledger, head: Ledger, changes: Sequence[RecordChange]) -> set[Period]:
    """The periods whose records (or seal) a change adds, changes or removes; a review touches its
    target's period too."""
    found = set()
    for change in changes:
        for ledger, record in ((base, change.before), (head, change.after)):
            if record is None:
                continue
            if isinstance(record, Seal) and _parses(record.id, ledger):
                found.add(Period.parse(record.id, ledger.settings.period))
            elif record.periodic:
                period = ledger.period_of(record)
                if period is not None:
                    found.add(period)
            if isinstance(record, Review):
                target = ledger.contributions.get(record.target) or ledger.requests.get(record.target)
                target_period = ledger.period_of(target) if target is not None else None
                if target_period is not None:
                    found.add(target_period)
    return found


def _parses(text: str, ledger: Ledger) -> bool:
    try:
        Period.parse(text, ledger.settings.period)
    except ValueError:
        return False
    return True


def shown_money(ledger: Ledger, period: Period) -> tuple[str, Mapping[str, Any], dict[str, Any]]:
    """("sealed" or "open", policy, money fields) of the split every page shows for ``period``."""
    seal = ledger.sealed(period)
    if seal is not None:
        return "sealed", seal.policy, sealed_money(seal)
    split = split_period(ledger, period)
    return "open", split.policy.describe(), split_money(split)


def _effect(base: Ledger, head: Ledger, period: Period, touched: bool, changed_paths: set[str],
            reopened: Callable[[Period], bool]) -> SplitEffect:
    before, _policy, old = shown_money(base, period)
    after, policy, new = shown_money(head, period)
    zero = Decimal(0)
    payouts = tuple(PayoutChange(m, old["payouts"].get(m, zero), new["payouts"].get(m, zero))
                    for m in sorted({*old["payouts"], *new["payouts"]})
                    if old["payouts"].get(m, zero) != new["payouts"].get(m, zero))
    how = _seal_change(base, head, period, changed_paths, reopened) if before == "sealed" else ""
    currency = currency_of(base, period) if before == "sealed" else currency_of(head, period)
    return SplitEffect(period, before, after, policy, (old["pool"], new["pool"]), (old["carried_over"], new["carried_over"]),
                       payouts, touched, how, currency)


def _seal_change(base: Ledger, head: Ledger, period: Period, changed_paths: set[str],
                 reopened: Callable[[Period], bool]) -> str:
    """How a change alters the seal of ``period``, sealed in ``base``, without reopening it on record (which
    fab check, fab verify and fab guard refuse): "records" it covers, the seal "rewritten" or "removed"; ""."""
    path = _seal_path(period)
    if base.blobs.get(path) == head.blobs.get(path):
        covered = set(sealed_files(base, period)) | set(sealed_files(head, period))
        return "records" if head.sealed(period) is not None and changed_paths & covered else ""
    if str(period) in head.seals and head.sealed(period) is None or reopened(period):
        return ""  # reopened on record (and perhaps closed again)
    return "removed" if path not in head.blobs else "rewritten"


def _seal_path(period: Period) -> str:
    return path_of(Seal, None, str(period))
