"""The audit trail (DESIGN §7): what changed, between two ledgers or along git history, and
whether what was sealed is still what the ledger holds.

Pure functions over Ledgers and lists of file changes.  The store (``store.history``) reads
the commits and blobs and hands them over as the plain values below; nothing here touches git,
files or the terminal, so every rule can be tested on values and the commands stay thin.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from . import signing
from .i18n import N_, _
from .ledger import Ledger
from .periods import Period
from .records import RECORD_TYPES, Allocation, Member, Record, Request, Review, Seal, Signature
from .seals import WOULD_BE, digest, money_differences, seal_settings, sealed_files, sealed_money, split_money
from .settings import SETTINGS_PATH, Settings
from .split.period import split_period
from .store import yamlio

CHARTER_PATH = "charter.md"
SELF_DECLARED = (Signature, Request, Allocation)
SELF_DECLARED_WORDS = {
    "signature": N_("signature of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
    "request": N_("request of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
    "allocation": N_("allocation of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
}
Reader = Callable[[str, str], "bytes | None"]  # (path, blob id) -> the file's bytes, if they can be found


# --- commits and file changes, as the store hands them over -------------------------------------

@dataclass(frozen=True)
class Commit:
    """One commit: who, when, what it says, and whether (and how well) it is signed."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # the author date, ISO 8601
    signature: str  # git's %G?: N none, G good, U good but unknown key, B bad, X/Y expired, R revoked, E not checkable
    subject: str
    committer: str = ""  # 'Name <email>' of who committed it (may differ from the author: fab commits as the member)
    committed: str = ""  # the committer date, ISO 8601
    key: str = ""  # the fingerprint of the key that signed it (git's %GK), when signed

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.date[:10])

    @property
    def signed(self) -> bool:
        return self.signature not in ("N", "")

    @property
    def label(self) -> str:
        """How a commit is named in every report: short sha and subject, as git log --oneline."""
        return f'{self.short} "{self.subject}"'


@dataclass(frozen=True)
class FileChange:
    """One file changed by one commit; paths relative to the ledger root.  ``status`` is A, M, D or R
    (a rename, possibly with edits); ``old``/``new`` are the bytes when the store has read them."""

    commit: Commit
    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None
    old: bytes | None = None
    new: bytes | None = None

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    def touches(self, path: str) -> bool:
        return path in (self.old_path, self.new_path)


@dataclass(frozen=True)
class FieldChange:
    """One key of a record that differs: ``before``/``after`` is None when the key is absent."""

    field: str
    before: Any
    after: Any

    @property
    def text(self) -> str:
        """'hours 4 → 6', 'url added: https://…', 'comment removed (was: …)'."""
        if self.before is None:
            return _("{field} added: {value}").format(field=self.field, value=value_text(self.after))
        if self.after is None:
            return _("{field} removed (was: {value})").format(field=self.field, value=value_text(self.before))
        return f"{self.field} {value_text(self.before)} → {value_text(self.after)}"


def value_text(value: Any, limit: int = 80) -> str:
    """A value as a person reads it: exact numbers, ISO dates, lists joined, long text cut."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(value_text(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {value_text(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys (points.alice, weights.code), so a change names the exact value."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        elif value is not None and value != {}:
            out[f"{prefix}{key}"] = value
    return out


def field_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """Key by key, what differs between two versions of a record (in the order of the keys)."""
    old, new = _flat(before or {}), _flat(after or {})
    keys = list(dict.fromkeys([*old, *new]))
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def joined(parts: Iterable[str]) -> str:
    """Parts of one sentence: 'a; b' ('a ; b' in French)."""
    return _("; ").join(parts)


def fields_text(changes: Iterable[FieldChange]) -> str:
    return joined(c.text for c in changes)


def parsed(raw: bytes | None, path: str = "") -> dict[str, Any] | None:
    """The key: value data of a file's bytes; None when missing or not a readable mapping."""
    if raw is None:
        return None
    data = yamlio.parse(raw, path).data
    return data if isinstance(data, dict) else None


def record_fields(record: Record | None) -> dict[str, Any] | None:
    """A record's YAML keys and values (its id and source left out)."""
    return None if record is None else record.model_dump()


# --- fab log ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogLine:
    """What one commit did to one file: added, changed, removed or moved, key by key."""

    change: FileChange
    action: str  # added, changed, removed, moved
    fields: tuple[FieldChange, ...]
    readable: bool = True  # both versions read as keys and values

    @property
    def text(self) -> str:
        """'added', 'hours 4 → 6', 'moved from X to Y; date 2026-06-30 → 2026-07-01'."""
        if self.action == "added":
            return _("added")
        if self.action == "removed":
            return _("removed")
        words = [_("moved from {old} to {new}").format(old=self.change.old_path, new=self.change.new_path)] \
            if self.action == "moved" else []
        if self.fields:
            words.append(fields_text(self.fields))
        elif self.change.old != self.change.new:
            words.append(_("layout or comments changed, no value") if self.readable
                         else _("content changed (a version cannot be read as keys and values)"))
        return joined(words)


@dataclass(frozen=True)
class LogEntry:
    commit: Commit
    lines: tuple[LogLine, ...]


def follow(changes: Iterable[FileChange], path: str) -> list[FileChange]:
    """The changes of one file, following renames back in time like ``git log --follow``."""
    names, found = {path}, []
    for change in reversed(list(changes)):
        if change.new_path in names or (change.status == "D" and change.old_path in names):
            found.append(change)
            if change.status == "R" and change.old_path:
                names.add(change.old_path)
    return found[::-1]


def names_member(data: Mapping[str, Any] | None, handle: str) -> bool:
    """Whether a record's raw data names ``handle`` as author, donor, member, reviewer, giver, reporter or poster."""
    return handle in signing.named_members("", data)


def member_changes(changes: Iterable[FileChange], handle: str) -> list[FileChange]:
    """The member's own file (renames followed) and every version of a record that names them."""
    changes = list(changes)
    own = {id(c) for c in follow(changes, f"ledger/members/{handle}.yaml")}
    return [c for c in changes if id(c) in own or names_member(parsed(c.old), handle) or names_member(parsed(c.new), handle)]


def log_line(change: FileChange) -> LogLine:
    action = {"A": "added", "D": "removed", "R": "moved"}.get(change.status, "changed")
    before, after = parsed(change.old, change.path), parsed(change.new, change.path)
    readable = before is not None and after is not None
    fields = tuple(field_changes(before, after)) if readable and action not in ("added", "removed") else ()
    return LogLine(change, action, fields, readable)


def log_entries(changes: Iterable[FileChange], since: date | None = None) -> list[LogEntry]:
    """Changes grouped by commit, oldest first; ``since`` keeps commits authored on or after that day."""
    entries: dict[str, list[LogLine]] = {}
    commits: dict[str, Commit] = {}
    for change in changes:
        if since is not None and change.commit.day < since:
            continue
        commits[change.commit.sha] = change.commit
        entries.setdefault(change.commit.sha, []).append(log_line(change))
    return [LogEntry(commits[sha], tuple(lines)) for sha, lines in entries.items()]


def paths_of(record_id: str, current: Iterable[str], history: Iterable[FileChange]) -> list[str]:
    """The files a record id may stand for: those of the current ledger, else those of history
    (a file renamed later counts once, under its last name)."""
    def stem(path: str) -> str:
        return path.rsplit("/", 1)[-1].removesuffix(".yaml")

    now = sorted({p for p in current if stem(p) == record_id})
    if now:
        return now
    history = list(history)
    renamed_away = {c.old_path for c in history if c.status == "R"}
    seen = {p for c in history for p in (c.old_path, c.new_path) if p and stem(p) == record_id}
    return sorted(seen - renamed_away)


# --- fab diff -------------------------------------------------------------------------------------

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
        kind = (after or before).record_kind if (after or before) else "file"
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
    and the people whose amount changes.  ``alters_seal``: the change touches what a seal covers while
    the seal stays, which ``fab check`` refuses."""

    period: Period
    before: str  # "open" or "sealed"
    after: str
    policy: Mapping[str, Any]  # the policy of the split after the change
    pool: tuple[Decimal, Decimal]
    carried_over: tuple[Decimal, Decimal]
    payouts: tuple[PayoutChange, ...]
    touched: bool  # the change adds, changes or removes records of the period
    alters_seal: bool


def split_effects(base: Ledger, head: Ledger, changes: Sequence[RecordChange]) -> list[SplitEffect]:
    """The effect of a change on every period it touches (its records, reviews of its records, its seal)
    and on every other period whose split it changes (settings, members, carry-over, policies that look
    back), oldest first.  Periods sealed on both sides with the same seal show the seal on both sides:
    only those the change touches are listed.  With nothing touched or changed, the current period."""
    touched = _touched(base, head, changes)
    changed_paths = {p for c in changes for p in (c.path, c.moved_from) if p}
    periods = {p for ledger in (base, head) for p in ledger.periods() if ledger.sealed(p) is None} | touched
    effects = []
    for period in sorted(periods):
        effect = _effect(base, head, period, period in touched, changed_paths)
        if effect.touched or effect.payouts or effect.pool[0] != effect.pool[1] or effect.before != effect.after:
            effects.append(effect)
    if not effects:
        effects.append(_effect(base, head, head.current_period(), False, changed_paths))
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
                if target is not None and ledger.period_of(target) is not None:
                    found.add(ledger.period_of(target))
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


def _effect(base: Ledger, head: Ledger, period: Period, touched: bool, changed_paths: set[str]) -> SplitEffect:
    before, _policy, old = shown_money(base, period)
    after, policy, new = shown_money(head, period)
    zero = Decimal(0)
    payouts = tuple(PayoutChange(m, old["payouts"].get(m, zero), new["payouts"].get(m, zero))
                    for m in sorted({*old["payouts"], *new["payouts"]})
                    if old["payouts"].get(m, zero) != new["payouts"].get(m, zero))
    alters = (before == after == "sealed" and base.blobs.get(_seal_path(period)) == head.blobs.get(_seal_path(period))
              and bool(changed_paths & (set(sealed_files(base, period)) | set(sealed_files(head, period)))))
    return SplitEffect(period, before, after, policy, (old["pool"], new["pool"]), (old["carried_over"], new["carried_over"]),
                       payouts, touched, alters)


def _seal_path(period: Period) -> str:
    return f"ledger/periods/{period}.yaml"


# --- fab verify -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One thing ``fab verify`` reports, about a file, with the commits involved."""

    severity: str  # error, warning, info
    code: str
    path: str
    message: str
    commits: tuple[Commit, ...] = ()
    period: str | None = None

    def as_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "path": self.path, "period": self.period,
                "message": self.message,
                "commits": [{"commit": c.sha, "short": c.short, "subject": c.subject, "author": c.author,
                             "email": c.email, "date": c.date} for c in self.commits]}


@dataclass(frozen=True)
class SealCheck:
    """What ``fab verify`` compares for one closed period, and what it found."""

    seal: Seal
    commit: Commit | None  # the commit that sealed it (None: the seal was never committed)
    findings: tuple[Finding, ...]


def seal_commit(changes: Iterable[FileChange], path: str) -> Commit | None:
    """The commit that sealed the period as it now stands: the last one that wrote the seal file as a
    new seal (created, or written over a reopened one).  Usually the last commit that wrote the file;
    a later rewrite of a sealed seal is not a sealing but a finding of its own (``seal_history``).
    Needs the bytes of the seal file's versions."""
    sealing, previous = None, None
    for change in follow(changes, path):
        if change.new_path == path and (previous is None or previous.get("reopened")):
            sealing = change.commit
        previous = parsed(change.new, path)
    return sealing


def resplit(ledger: Ledger, seal: Seal, settings: Settings | None = None) -> dict[str, Any]:
    """The seal that ``fab close`` would write for ``ledger`` (money fields only), under the seal's policy."""
    period = Period.parse(seal.id)
    return split_money(split_period(ledger, period, seal_settings(settings or ledger.settings, seal.policy, seal.parameters)))


@dataclass(frozen=True)
class Evidence:
    """What ``verify_seal`` needs besides the two ledgers, gathered by the store."""

    changes: tuple[FileChange, ...]  # every change of the ledger in HEAD's history, oldest first, with bytes
    before_seal: frozenset[str]  # the seal commit and its ancestors
    head_blobs: Mapping[str, str]  # path -> blob id in HEAD (to tell uncommitted edits)
    read: Reader


def verify_seal(seal: Seal, current: Ledger, at_seal: Ledger, commit: Commit, evidence: Evidence) -> list[Finding]:
    """Every check of one closed period: its file's history, digest, records, split and settings."""
    return [
        *seal_history(seal, current, evidence),
        *digest_findings(seal, at_seal, commit, evidence),
        *record_findings(seal, current, evidence),
        *split_findings(seal, at_seal, commit, evidence),
        *settings_findings(seal, current, at_seal, evidence),
    ]


def seal_history(seal: Seal, current: Ledger, evidence: Evidence) -> list[Finding]:
    """A seal file is written once by ``fab close``; a later commit may only reopen it."""
    path, found, previous = seal.source.path, [], None
    for change in follow(evidence.changes, path):
        data = parsed(change.new, path)
        if previous is not None and not previous.get("reopened"):
            fields = [f for f in field_changes(previous, data) if f.field not in ("reopened", "reason") or f.before is not None]
            if fields or data is None:
                what = fields_text(fields) if fields else _("removed")
                found.append(Finding("error", "seal-rewritten", path,
                                     _("the seal of {period} was rewritten after it was sealed, without reopening it: {what}")
                                     .format(period=seal.id, what=what), (change.commit,), seal.id))
        previous = data
    if evidence.head_blobs.get(path) != current.blobs.get(path):
        found.append(Finding("error", "seal-rewritten", path,
                             _("the seal of {period} has changes that are not committed").format(period=seal.id), (), seal.id))
    return found


def _writers(evidence: Evidence, path: str, after_seal: bool) -> tuple[Commit, ...]:
    """Commits that touched ``path`` after the seal (or, with after_seal False, the last one up to it)."""
    touching = [c.commit for c in evidence.changes if c.touches(path)]
    if after_seal:
        return tuple(dict.fromkeys(c for c in touching if c.sha not in evidence.before_seal))
    upto = [c for c in touching if c.sha in evidence.before_seal]
    return (upto[-1],) if upto else ()


def _what_changed(evidence: Evidence, path: str, sealed_blob: str | None, blob: str | None) -> str:
    fields = field_changes(parsed(evidence.read(path, sealed_blob) if sealed_blob else None),
                           parsed(evidence.read(path, blob) if blob else None))
    return f" ({fields_text(fields)})" if fields and sealed_blob and blob else ""


def _differing(seal: Seal, files: Mapping[str, str]) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, blob id the seal lists, blob id in ``files``) for each file whose two ids differ (None: absent)."""
    for path in sorted(set(files) | set(seal.files)):
        sealed, there = seal.files.get(path), files.get(path)
        if sealed != there:
            yield path, sealed, there


def digest_findings(seal: Seal, at_seal: Ledger, commit: Commit, evidence: Evidence) -> list[Finding]:
    """The digest recomputed from the ledger at the seal commit; a mismatch names each file that differs."""
    period = Period.parse(seal.id)
    if digest(at_seal, period) == seal.digest:
        return []
    found = []
    for path, sealed, there in _differing(seal, sealed_files(at_seal, period)):
        state = (_("{path} is missing from the ledger at the seal commit {commit}") if there is None
                 else _("{path} was not sealed but is in the ledger at the seal commit {commit}") if sealed is None
                 else _("{path} differs in the ledger at the seal commit {commit}")).format(path=path, commit=commit.label)
        found.append(Finding("error", "digest", path,
                             _("{state}{what}: the seal's digest no longer matches, so the seal was forged or history "
                               "was rewritten").format(state=state, what=_what_changed(evidence, path, sealed, there)),
                             _writers(evidence, path, False), seal.id))
    if not found:
        found.append(Finding("error", "digest", seal.source.path,
                             _("the digest of {period} does not match the ledger at the seal commit {commit}, although "
                               "every sealed record does: the settings at that commit are not those sealed, or the digest "
                               "was forged").format(period=seal.id, commit=commit.label),
                             (commit, *_writers(evidence, SETTINGS_PATH, False)), seal.id))
    return found


def record_findings(seal: Seal, current: Ledger, evidence: Evidence) -> list[Finding]:
    """Each record of the period edited, removed or added since the seal, with the commits that did it."""
    period = Period.parse(seal.id)
    found = []
    for path, sealed, blob in _differing(seal, sealed_files(current, period)):
        commits = _writers(evidence, path, True)
        pending = evidence.head_blobs.get(path) != blob
        if not commits and not pending:
            continue  # the seal commit itself holds another version: reported with the digest
        what = (_("added to {period} after it was sealed") if sealed is None
                else _("removed from {period} after it was sealed") if blob is None
                else _("changed in {period} after it was sealed")).format(period=seal.id)
        by = _(" (not committed)") if pending and not commits else _(" (and not committed since)") if pending else ""
        code = "sealed-added" if sealed is None else "sealed-removed" if blob is None else "sealed-changed"
        found.append(Finding("error", code, path, f"{what}{_what_changed(evidence, path, sealed, blob)}{by}", commits, seal.id))
    return found


def split_findings(seal: Seal, at_seal: Ledger, commit: Commit, evidence: Evidence) -> list[Finding]:
    """The split recomputed from the ledger as it was at the seal, under the seal's policy; a mismatch
    names the commits that rewrote the seal since, else the seal commit itself."""
    differences = money_differences(sealed_money(seal), resplit(at_seal, seal), at_seal.settings.currency)
    if not differences:
        return []
    return [Finding("error", "seal-payouts", seal.source.path,
                    _("the seal's amounts are not the split of the ledger at the seal commit {commit}: {differences}")
                    .format(commit=commit.label, differences=joined(differences)),
                    _writers(evidence, seal.source.path, True) or (commit,), seal.id)]


def settings_findings(seal: Seal, current: Ledger, at_seal: Ledger, evidence: Evidence) -> list[Finding]:
    """Settings changed since the seal (the digest covers them, as they were at the seal).  A closed period's
    truth is its seal, so a later change of weights or policy is information, not an integrity problem
    (fab check agrees); a change of currency or period length, which would relabel sealed amounts or
    periods, is an error (fab check reports it too)."""
    if current.blobs.get(SETTINGS_PATH) == at_seal.blobs.get(SETTINGS_PATH):
        return []
    commits = _writers(evidence, SETTINGS_PATH, True)
    pending = evidence.head_blobs.get(SETTINGS_PATH) != current.blobs.get(SETTINGS_PATH)
    if not commits and not pending:
        return []
    old, new = at_seal.settings, current.settings
    fields = field_changes(old.model_dump(exclude_none=True), new.model_dump(exclude_none=True))
    by = _(" (not committed)") if pending and not commits else ""
    if (seal.currency or old.currency) != new.currency or old.period != new.period:
        return [Finding("error", "settings", SETTINGS_PATH,
                        _("the settings changed after {period} was sealed ({fields}){by}: the sealed amounts and periods "
                          "would be read in other units").format(period=seal.id, fields=fields_text(fields), by=by),
                        commits, seal.id)]
    differences = money_differences(resplit(at_seal, seal), resplit(replace(at_seal, settings=new), seal),
                                    old.currency, WOULD_BE)
    if differences:
        return [Finding("info", "settings", SETTINGS_PATH,
                        _("the settings changed after {period} was sealed ({fields}){by}; the seal stands, but recomputed "
                          "under today's settings the split would differ: {differences}").format(
                            period=seal.id, fields=fields_text(fields), by=by, differences=joined(differences)),
                        commits, seal.id)]
    return [Finding("info", "settings", SETTINGS_PATH,
                    _("the settings changed after {period} was sealed ({fields}){by}; the sealed split is unaffected")
                    .format(period=seal.id, fields=fields_text(fields), by=by), commits, seal.id)]


def removed_seals(changes: Iterable[FileChange], current: Ledger) -> list[Finding]:
    """Seal files removed while sealed: removing a seal must not be a way to unseal a period."""
    found = []
    present = set(current.blobs)
    for change in changes:
        path = change.old_path or ""
        if change.status not in ("D", "R") or not path.startswith("ledger/periods/") or path in present:
            continue
        data = parsed(change.old, path)
        if data is not None and not data.get("reopened"):
            period = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            found.append(Finding("error", "seal-removed", path,
                                 _("the seal of {period} was removed while the period was sealed").format(period=period),
                                 (change.commit,), period))
    return found


def unreadable_seals(current: Ledger, changes: Iterable[FileChange]) -> list[Finding]:
    """A seal file that no longer reads as a seal cannot be verified: breaking it must not unseal a period."""
    readable = {seal.source.path for seal in current.seals.values()}
    changes = list(changes)
    return [Finding("error", "seal-unreadable", path, _("this seal file cannot be read as a seal (see fab check), so its "
                                                       "period cannot be verified"),
                    tuple(c.commit for c in follow(changes, path)[-1:]))
            for path in sorted(current.blobs) if path.startswith("ledger/periods/") and path not in readable]


def self_declared(current: Ledger, changes: Iterable[FileChange], head_blobs: Mapping[str, str], strict: bool) -> list[Finding]:
    """Signatures, requests and allocations first committed by someone who is not the member (§7)."""
    changes = list(changes)
    severity = "error" if strict else "warning"
    found = []
    for record in sorted((r for r in current.records if isinstance(r, SELF_DECLARED)), key=lambda r: r.source.path):
        handle = record.giver if isinstance(record, Allocation) else record.member
        member = current.members.get(handle)
        path = record.source.path
        history = follow(changes, path)
        if member is None:
            continue
        if not history or path not in head_blobs:
            found.append(Finding(severity, "self-declared", path,
                                 _("not committed yet: who declared it for {handle} cannot be told").format(handle=handle), (), None))
            continue
        first = history[0].commit
        if not is_member(first, member):
            recorded = f"{member.name} <{member.email}>" if member.email else member.name
            found.append(Finding(severity, "self-declared", path,
                                 _(SELF_DECLARED_WORDS[record.record_kind]).format(
                                     handle=handle, author=first.author, email=first.email, recorded=recorded), (first,)))
    return found


def is_member(commit: Commit, member: Member) -> bool:
    """A commit is the member's when its author email is theirs, or its author name is their name."""
    same_email = bool(member.email) and commit.email.strip().lower() == str(member.email).strip().lower()
    return same_email or commit.author.strip() == member.name.strip()


BAD_SIGNATURES = {"B": N_("commit {commit} carries a bad signature"), "R": N_("commit {commit} carries a signature by a revoked key")}


def signature_findings(commits: Iterable[Commit], sealing: Mapping[str, Commit]) -> list[Finding]:
    """Signed commits, when there are any: bad signatures are errors; seal commits are named."""
    commits = list(commits)
    signed = [c for c in commits if c.signed]
    found = [Finding("error", "signature", "", _(BAD_SIGNATURES[c.signature]).format(commit=c.label), (c,))
             for c in signed if c.signature in BAD_SIGNATURES]
    for period, commit in sorted(sealing.items()):
        if commit.signed and commit.signature not in BAD_SIGNATURES:
            words = _(SIGNATURE_WORDS[commit.signature]) if commit.signature in SIGNATURE_WORDS else commit.signature
            found.append(Finding("info", "signature", f"ledger/periods/{period}.yaml",
                                 _("the seal commit of {period} is signed ({words})").format(period=period, words=words),
                                 (commit,), period))
    return found


def signature_breaches(commits: Sequence[Commit], changes: Sequence[FileChange], read: Reader,
                       judged: Callable[[str], bool] = lambda sha: True) -> list[Finding]:
    """Records committed without the signature of a member they name or of a steward, under the settings'
    ``signatures`` rule (see ``fabrique_ledger.signing``); ``judged`` limits the report to some commits."""
    by_commit: dict[str, list[FileChange]] = {}
    for change in changes:
        if _judged_path(change.path):
            by_commit.setdefault(change.commit.sha, []).append(change)
    sequence = [(_signed(commit), [_version(change, read) for change in by_commit.get(commit.sha, ())]) for commit in commits]
    return [Finding(b.severity, "signature", b.path, b.message, (next(c for c in commits if c.sha == b.commit.sha),))
            for b in signing.breaches(sequence, judged)]


def _judged_path(path: str) -> bool:
    """A record file, the settings or the charter (not the ledger's README and other files)."""
    parts = path.split("/")
    return (path in (SETTINGS_PATH, CHARTER_PATH) or (parts[0] == "ledger" and len(parts) > 2
            and parts[1] in {kind.folder for kind in RECORD_TYPES} and path.endswith(".yaml")))


def _signed(commit: Commit) -> signing.Signed:
    return signing.Signed(commit.sha, commit.label, commit.committer or f"{commit.author} <{commit.email}>",
                          date.fromisoformat((commit.committed or commit.date)[:10]), commit.signature, commit.key)


def _version(change: FileChange, read: Reader) -> signing.Version:
    @functools.cache
    def load() -> tuple[Any, Any]:
        old = change.old if change.old is not None else read(change.old_path, change.old_blob) if change.old_blob else None
        new = change.new if change.new is not None else read(change.new_path, change.new_blob) if change.new_blob else None
        return parsed(old, change.path), parsed(new, change.path)

    return signing.Version(change.path, change.status == "D", load)


SIGNATURE_WORDS = {"G": N_("good signature"), "U": N_("good signature, key of unknown validity"),
                   "X": N_("good signature, expired"), "Y": N_("good signature by an expired key"),
                   "E": N_("signature that cannot be checked here (key missing)")}


@dataclass(frozen=True)
class Verification:
    """The outcome of ``fab verify``: per closed period, then across the ledger."""

    seals: tuple[SealCheck, ...]
    findings: tuple[Finding, ...]  # those not about one seal's content: removed seals, self-declared records, signatures
    commits: int
    signed: int

    @property
    def all_findings(self) -> list[Finding]:
        return [*(f for s in self.seals for f in s.findings), *self.findings]

    @property
    def sealed_records(self) -> int:
        return sum(len(s.seal.files) for s in self.seals)

    def failed(self, strict: bool) -> bool:
        bad = ("error", "warning") if strict else ("error",)
        return any(f.severity in bad for f in self.all_findings)


def verify(current: Ledger, changes: Sequence[FileChange], commits: Sequence[Commit], head_blobs: Mapping[str, str],
           ledger_at: Callable[[str], Ledger], ancestors: Callable[[str], frozenset[str]], read: Reader,
           strict: bool = False) -> Verification:
    """``fab verify``: each closed period against the revision that sealed it, then the ledger-wide rules.

    ``changes`` must carry the bytes of the seal files' versions; other files are read through ``read``.
    """
    checks, sealing = [], {}
    for seal in sorted((s for s in current.seals.values() if s.sealed), key=lambda s: s.id):
        commit = seal_commit(changes, seal.source.path)
        if commit is None:
            message = _("the seal of {period} is not committed: there is no sealed revision to verify").format(period=seal.id)
            checks.append(SealCheck(seal, None, (Finding("error", "seal-uncommitted", seal.source.path, message, (), seal.id),)))
            continue
        sealing[seal.id] = commit
        evidence = Evidence(tuple(changes), ancestors(commit.sha), head_blobs, read)
        checks.append(SealCheck(seal, commit, tuple(verify_seal(seal, current, ledger_at(commit.sha), commit, evidence))))
    findings = [*removed_seals(changes, current), *unreadable_seals(current, changes),
                *self_declared(current, changes, head_blobs, strict),
                *signature_findings(commits, sealing), *signature_breaches(commits, changes, read)]
    return Verification(tuple(checks), tuple(findings), len(commits), sum(c.signed for c in commits))
