"""The server-side guard (DESIGN §7, issue 13): what ``fab guard`` refuses when it runs as the
``pre-receive`` hook of a shared bare repository.

For each branch a push updates, from the git objects alone (no work tree): the ledger at the new commit
must pass ``fab check``; a sealed period may change only by a reopen on record (no seal rewritten or
removed in the pushed commits); the main branch's history may only grow (no force-push, no deletion);
and under ``signatures: required`` every record the pushed commits bring is signed by a member it names
or by a steward, as ``fab verify`` judges it.  The rule of signatures is the one in force before each
commit, so a push cannot turn it off or add the key it signs with and profit from it in the same push.

Pure over values the store hands over (``Push``); no git, no files, no terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .changes import Commit, DataReader, FileChange
from .checks import check
from .i18n import _
from .ledger import Ledger
from .problems import Problem
from .verify import Evidence, removed_seals, seal_history, signature_breaches

ZERO = "0" * 40


@dataclass(frozen=True)
class Push:
    """One ref a push updates, with what the store read for it (``ledger`` etc. are None for a deletion)."""

    ref: str
    old: str
    new: str
    main: bool  # the repository's main branch (its HEAD)
    fast_forward: bool  # ``old`` is an ancestor of ``new`` (True for a new ref)
    pushed: frozenset[str]  # the commits this push brings (not yet in any ref)
    ledger: Ledger | None = None
    changes: Sequence[FileChange] = ()
    commits: Sequence[Commit] = ()
    read: DataReader | None = None


@dataclass(frozen=True)
class Refusal:
    ref: str
    reasons: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


def judge(push: Push) -> Refusal | None:
    """Why ``push`` must be refused, or None when the guard lets it through."""
    if not push.ref.startswith("refs/heads/"):
        return None
    if push.new == ZERO:
        return Refusal(push.ref, (_("the main branch cannot be deleted: it is the ledger's audit trail"),)) if push.main else None
    reasons: list[str] = []
    if push.main and push.old != ZERO and not push.fast_forward:
        reasons.append(_("this push rewrites the history of the main branch ({old} is not in the new history): history is "
                         "the audit trail; correct with a new commit instead (git revert)").format(old=push.old[:7]))
    errors = tuple(p for p in check(push.ledger) if p.severity == "error") if push.ledger is not None else ()
    if errors:
        reasons.append(_("the ledger at {new} has problems (fab check):").format(new=push.new[:7]))
    reasons += _seals(push)
    reasons += [f"{finding.path}: {finding.message}" for finding in _signatures(push) if finding.severity == "error"]
    return Refusal(push.ref, tuple(reasons), errors) if reasons else None


def warnings(push: Push) -> list[str]:
    """What the guard lets through but says (under ``signatures: warn``)."""
    return [f"{finding.path}: {finding.message}" for finding in _signatures(push) if finding.severity == "warning"]


def _seals(push: Push) -> list[str]:
    """Seals rewritten without a reopen, or removed, by the pushed commits."""
    if push.ledger is None or push.read is None:
        return []
    heads = dict(push.ledger.blobs)
    evidence = Evidence(tuple(push.changes), frozenset(), heads, push.read)
    found = [*(f for seal in push.ledger.seals.values() if seal.sealed for f in seal_history(seal, push.ledger, evidence)),
             *removed_seals(push.changes, push.ledger)]
    return [f"{f.path}: {f.message}" for f in found if any(c.sha in push.pushed for c in f.commits)]


def _signatures(push: Push):
    if push.read is None:
        return []
    return signature_breaches(push.commits, push.changes, push.read, lambda sha: sha in push.pushed)
