"""``fab verify`` (DESIGN §7): every closed period against the commit that sealed it, the history of the
seal files, self-declared records, and the rule of signatures (``signing``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from . import signing
from .changes import Commit, DataReader, FileChange, field_changes, fields_text, joined
from .i18n import M_, N_, Joined, Message, Text
from .ledger import Ledger
from .lineage import Graph
from .log import Trail, follow
from .periods import Period
from .records import Allocation, Member, Request, Seal, Signature, path_of
from .seals import WOULD_BE, digest, money_differences, seal_settings, sealed_files, sealed_money, split_money
from .settings import SETTINGS_PATH, Settings
from .split.period import split_period

SELF_DECLARED = (Signature, Request, Allocation)
SELF_DECLARED_WORDS = {
    "signature": N_("signature of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
    "request": N_("request of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
    "allocation": N_("allocation of {handle}, first committed by {author} <{email}>, not by {handle} ({recorded})"),
}


@dataclass(frozen=True)
class Finding:
    """One thing ``fab verify`` reports, about a file, with the commits involved."""

    severity: str  # error, warning, info
    code: str
    path: str
    message: Text
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
        previous = change.new_data
    return sealing


def resplit(ledger: Ledger, seal: Seal, settings: Settings | None = None) -> dict[str, Any]:
    """The seal that ``fab close`` would write for ``ledger`` (money fields only), under the seal's policy."""
    period = Period.parse(seal.id)
    return split_money(split_period(ledger, period, seal_settings(settings or ledger.settings, seal.policy, seal.parameters)))


@dataclass(frozen=True)
class Evidence:
    """What ``verify_seal`` needs besides the two ledgers, gathered by the store."""

    changes: tuple[FileChange, ...]  # every change of the ledger in HEAD's history, oldest first, with bytes
    before_seal: Container[str]  # the seal commit and its ancestors
    head_blobs: Mapping[str, str]  # path -> blob id in HEAD (to tell uncommitted edits)
    read: DataReader


def verify_seal(seal: Seal, current: Ledger, at_seal: Callable[[], Ledger], commit: Commit, evidence: Evidence,
                proved: Proof | None = None) -> list[Finding]:
    """Every check of one closed period: its file's history, digest, records, split and settings.
    ``at_seal`` reads the ledger at the seal commit, only when needed: a ``proved`` seal (its digest and
    split were found right at that commit by an earlier run) is not read again."""
    return [
        *seal_history(seal, current, evidence),
        *(digest_findings(seal, at_seal(), commit, evidence) if proved is None else ()),
        *record_findings(seal, current, evidence),
        *(split_findings(seal, at_seal(), commit, evidence) if proved is None else ()),
        *settings_findings(seal, current, at_seal, evidence, proved),
    ]


@dataclass(frozen=True)
class Proof:
    """What a run of ``fab verify`` proved of one seal at its commit, a pure function of the two (and of
    fab's code and today), so it can be kept by commit id: the digest and the split are right there.
    ``settings`` is the settings' blob id at the seal commit (None: no settings file)."""

    commit: str
    seal_blob: str
    settings: str | None


def seal_history(seal: Seal, current: Ledger, evidence: Evidence) -> list[Finding]:
    """A seal file is written once by ``fab close``; a later commit may only reopen it."""
    path, found = seal.source.path, []
    for change in follow(evidence.changes, path):
        data, previous = change.new_data, change.old_data  # (each commit against its own first parent)
        if previous is not None and not previous.get("reopened"):
            fields = [f for f in field_changes(previous, data) if f.field not in ("reopened", "reason") or f.before is not None]
            if fields or data is None:
                what = fields_text(fields) if fields else M_("removed")
                found.append(Finding("error", "seal-rewritten", path,
                                     M_("the seal of {period} was rewritten after it was sealed, without reopening it: {what}", period=seal.id, what=what), (change.commit,), seal.id))
    if evidence.head_blobs.get(path) != current.blobs.get(path):
        found.append(Finding("error", "seal-rewritten", path,
                             M_("the seal of {period} has changes that are not committed", period=seal.id), (), seal.id))
    return found


def _writers(evidence: Evidence, path: str, after_seal: bool) -> tuple[Commit, ...]:
    """Commits that touched ``path`` after the seal (or, with after_seal False, the last one up to it)."""
    touching = [c.commit for c in evidence.changes if c.touches(path)]
    if after_seal:
        return tuple(dict.fromkeys(c for c in touching if c.sha not in evidence.before_seal))
    upto = [c for c in touching if c.sha in evidence.before_seal]
    return (upto[-1],) if upto else ()


def _what_changed(evidence: Evidence, path: str, sealed_blob: str | None, blob: str | None) -> Message | str:
    fields = field_changes(evidence.read(path, sealed_blob) if sealed_blob else None,
                           evidence.read(path, blob) if blob else None)
    return Joined([" (", fields_text(fields), ")"], "") if fields and sealed_blob and blob else ""


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
        state = M_(N_("{path} is missing from the ledger at the seal commit {commit}") if there is None
                   else N_("{path} was not sealed but is in the ledger at the seal commit {commit}") if sealed is None
                   else N_("{path} differs in the ledger at the seal commit {commit}"), path=path, commit=commit.label)
        found.append(Finding("error", "digest", path,
                             M_("{state}{what}: the seal's digest no longer matches, so the seal was forged or history "
                               "was rewritten", state=state, what=_what_changed(evidence, path, sealed, there)),
                             _writers(evidence, path, False), seal.id))
    if not found:
        found.append(Finding("error", "digest", seal.source.path,
                             M_("the digest of {period} does not match the ledger at the seal commit {commit}, although "
                               "every sealed record does: the settings at that commit are not those sealed, or the digest "
                               "was forged", period=seal.id, commit=commit.label),
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
        what = M_(N_("added to {period} after it was sealed") if sealed is None
                  else N_("removed from {period} after it was sealed") if blob is None
                  else N_("changed in {period} after it was sealed"), period=seal.id)
        by = M_(" (not committed)") if pending and not commits else M_(" (and not committed since)") if pending else ""
        code = "sealed-added" if sealed is None else "sealed-removed" if blob is None else "sealed-changed"
        found.append(Finding("error", code, path, Joined([what, _what_changed(evidence, path, sealed, blob), by], ""), commits, seal.id))
    return found


def split_findings(seal: Seal, at_seal: Ledger, commit: Commit, evidence: Evidence) -> list[Finding]:
    """The split recomputed from the ledger as it was at the seal, under the seal's policy; a mismatch
    names the commits that rewrote the seal since, else the seal commit itself."""
    differences = money_differences(sealed_money(seal), resplit(at_seal, seal), at_seal.settings.currency)
    if not differences:
        return []
    return [Finding("error", "seal-payouts", seal.source.path,
                    M_("the seal's amounts are not the split of the ledger at the seal commit {commit}: {differences}", commit=commit.label, differences=joined(differences)),
                    _writers(evidence, seal.source.path, True) or (commit,), seal.id)]


def settings_findings(seal: Seal, current: Ledger, at_seal: Callable[[], Ledger], evidence: Evidence,
                      proved: Proof | None = None) -> list[Finding]:
    """Settings changed since the seal (the digest covers them, as they were at the seal).  A closed period's
    truth is its seal, so a later change of weights or policy is information, not an integrity problem
    (fab check agrees); a change of currency or period length, which would relabel sealed amounts or
    periods, is an error (fab check reports it too)."""
    if current.blobs.get(SETTINGS_PATH) == (at_seal().blobs.get(SETTINGS_PATH) if proved is None else proved.settings):
        return []
    commits = _writers(evidence, SETTINGS_PATH, True)
    pending = evidence.head_blobs.get(SETTINGS_PATH) != current.blobs.get(SETTINGS_PATH)
    if not commits and not pending:
        return []
    sealed = at_seal()
    old, new = sealed.settings, current.settings
    fields = field_changes(old.model_dump(exclude_none=True), new.model_dump(exclude_none=True))
    by = M_(" (not committed)") if pending and not commits else ""
    if (seal.currency or old.currency) != new.currency or old.period != new.period:
        return [Finding("error", "settings", SETTINGS_PATH,
                        M_("the settings changed after {period} was sealed ({fields}){by}: the sealed amounts and periods "
                          "would be read in other units", period=seal.id, fields=fields_text(fields), by=by),
                        commits, seal.id)]
    differences = money_differences(resplit(sealed, seal), resplit(replace(sealed, settings=new), seal),
                                    old.currency, WOULD_BE)
    if differences:
        return [Finding("info", "settings", SETTINGS_PATH,
                        M_("the settings changed after {period} was sealed ({fields}){by}; the seal stands, but recomputed "
                          "under today's settings the split would differ: {differences}", period=seal.id, fields=fields_text(fields), by=by, differences=joined(differences)),
                        commits, seal.id)]
    return [Finding("info", "settings", SETTINGS_PATH,
                    M_("the settings changed after {period} was sealed ({fields}){by}; the sealed split is unaffected", period=seal.id, fields=fields_text(fields), by=by), commits, seal.id)]


def removed_seals(changes: Iterable[FileChange], current: Ledger) -> list[Finding]:
    """Seal files removed while sealed: removing a seal must not be a way to unseal a period."""
    found = []
    present = set(current.blobs)
    for change in changes:
        path = change.old_path or ""
        if change.status not in ("D", "R") or not path.startswith("ledger/periods/") or path in present:
            continue
        data = change.old_data
        if data is not None and not data.get("reopened"):
            period = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            found.append(Finding("error", "seal-removed", path,
                                 M_("the seal of {period} was removed while the period was sealed", period=period),
                                 (change.commit,), period))
    return found


def unreadable_seals(current: Ledger, changes: Trail) -> list[Finding]:
    """A seal file that no longer reads as a seal cannot be verified: breaking it must not unseal a period."""
    readable = {seal.source.path for seal in current.seals.values()}
    return [Finding("error", "seal-unreadable", path, M_("this seal file cannot be read as a seal (see fab check), so its "
                                                       "period cannot be verified"),
                    tuple(c.commit for c in follow(changes, path)[-1:]))
            for path in sorted(current.blobs) if path.startswith("ledger/periods/") and path not in readable]


def self_declared(current: Ledger, changes: Trail, head_blobs: Mapping[str, str], strict: bool) -> list[Finding]:
    """Signatures, requests and allocations first committed by someone who is not the member (§7)."""
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
                                 M_("not committed yet: who declared it for {handle} cannot be told", handle=handle), (), None))
            continue
        first = history[0].commit
        if not is_member(first, member):
            recorded = f"{member.name} <{member.email}>" if member.email else member.name
            found.append(Finding(severity, "self-declared", path,
                                 M_(SELF_DECLARED_WORDS[record.record_kind], handle=handle, author=first.author, email=first.email, recorded=recorded), (first,)))
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
    found = [Finding("error", "signature", "", M_(BAD_SIGNATURES[c.signature], commit=c.label), (c,))
             for c in signed if c.signature in BAD_SIGNATURES]
    for period, commit in sorted(sealing.items()):
        if commit.signed and commit.signature not in BAD_SIGNATURES:
            words = M_(SIGNATURE_WORDS[commit.signature]) if commit.signature in SIGNATURE_WORDS else commit.signature
            found.append(Finding("info", "signature", path_of(Seal, None, period),
                                 M_("the seal commit of {period} is signed ({words})", period=period, words=words),
                                 (commit,), period))
    return found


def signature_breaches(commits: Sequence[Commit], changes: Iterable[FileChange], read: DataReader, graph: Graph,
                       judged: Callable[[str], bool] = lambda sha: True) -> list[Finding]:
    """Records committed without the signature of a member they name or of a steward, under the settings'
    ``signatures`` rule (see ``fabrique_ledger.signing``), history read as the main branch grew (``graph``,
    see ``lineage``).  ``changes``: those of every commit, a merge's ``merged`` ones included (they teach
    the rule; the commits that made them are judged for them).  ``judged`` limits the report to some commits:
    ``fab guard`` and ``fab verify`` judge alike, the guard reporting only what a push brings."""
    by_commit: dict[str, list[FileChange]] = {}
    for change in changes:
        if signing.judged_path(change.old_path or "") or signing.judged_path(change.new_path or ""):
            by_commit.setdefault(change.commit.sha, []).append(change)
    known = {commit.sha: commit for commit in commits}
    sequence = ((_signed(known[sha]), [_version(change, read) for change in by_commit.get(sha, ())], on_line)
                for sha, on_line in graph.reading_order() if sha in known)
    return [Finding(b.severity, "signature", b.path, b.message, (known[b.commit.sha],)) for b in signing.breaches(sequence, judged)]


def _signed(commit: Commit) -> signing.Signed:
    return signing.Signed(commit.sha, commit.label, commit.committer or f"{commit.author} <{commit.email}>",
                          date.fromisoformat((commit.committed or commit.date)[:10]), commit.signature, commit.key)


def _version(change: FileChange, read: DataReader) -> signing.Version:
    @functools.cache
    def load() -> tuple[Any, Any]:
        read_old = change.old is not None or not change.old_blob
        read_new = change.new is not None or not change.new_blob
        return (change.old_data if read_old else read(change.old_path or "", change.old_blob or ""),
                change.new_data if read_new else read(change.new_path or "", change.new_blob or ""))

    return signing.Version(change.path, change.status == "D", load, change.old_path, not change.merged)


SIGNATURE_WORDS = {"G": N_("good signature"), "U": N_("good signature, key of unknown validity"),
                   "X": N_("good signature, expired"), "Y": N_("good signature by an expired key"),
                   "E": N_("signature that cannot be checked here (key missing)")}


class _Ancestors:
    """A seal commit's ancestors, asked of git only when a finding needs to tell the commits before the
    seal from those after it (nothing changed since the seal: never)."""

    def __init__(self, ancestors: Callable[[str], frozenset[str]], sha: str) -> None:
        self.ancestors, self.sha = ancestors, sha
        self.found: frozenset[str] | None = None

    def __contains__(self, sha: object) -> bool:
        if self.found is None:
            self.found = self.ancestors(self.sha)
        return sha in self.found


@dataclass(frozen=True)
class Verification:
    """The outcome of ``fab verify``: per closed period, then across the ledger."""

    seals: tuple[SealCheck, ...]
    findings: tuple[Finding, ...]  # those not about one seal's content: removed seals, self-declared records, signatures
    commits: int
    signed: int
    proofs: tuple[Proof, ...] = ()  # the seals found right at their commit, to keep (see ``Proof``)

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
           ledger_at: Callable[[str], Ledger], ancestors: Callable[[str], frozenset[str]], read: DataReader,
           graph: Graph, merged: Sequence[FileChange] = (), strict: bool = False,
           proved: Mapping[tuple[str, str], Proof] | None = None) -> Verification:
    """``fab verify``: each closed period against the revision that sealed it, then the ledger-wide rules.

    ``changes`` (each commit's own, a merge's against its first parent) must carry the bytes of the seal
    files' versions; other files are read through ``read``.  ``merged``: the changes merges brought from
    the commits they merge (``lineage``), for the rule of signatures.  ``graph``: history's shape.
    ``proved``: proofs of earlier runs by (seal commit, seal blob id); those seals' ledgers are not read again.
    """
    checks, sealing, proofs = [], {}, []
    changes = Trail(changes)
    for seal in sorted((s for s in current.seals.values() if s.sealed), key=lambda s: s.id):
        commit = seal_commit(changes, seal.source.path)
        if commit is None:
            message = M_("the seal of {period} is not committed: there is no sealed revision to verify", period=seal.id)
            checks.append(SealCheck(seal, None, (Finding("error", "seal-uncommitted", seal.source.path, message, (), seal.id),)))
            continue
        sealing[seal.id] = commit
        evidence = Evidence(changes, _Ancestors(ancestors, commit.sha), head_blobs, read)
        blob = current.blobs.get(seal.source.path) or ""
        proof = (proved or {}).get((commit.sha, blob))
        at_seal = functools.cache(lambda sha=commit.sha: ledger_at(sha))
        found = tuple(verify_seal(seal, current, at_seal, commit, evidence, proof))
        checks.append(SealCheck(seal, commit, found))
        if proof is None and not any(f.code in ("digest", "seal-payouts") for f in found):
            proofs.append(Proof(commit.sha, blob, at_seal().blobs.get(SETTINGS_PATH)))
    findings = [*removed_seals(changes, current), *unreadable_seals(current, changes),
                *self_declared(current, changes, head_blobs, strict),
                *signature_findings(commits, sealing), *signature_breaches(commits, [*changes, *merged], read, graph)]
    return Verification(tuple(checks), tuple(findings), len(commits), sum(c.signed for c in commits), tuple(proofs))
