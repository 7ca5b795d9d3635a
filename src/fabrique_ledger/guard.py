"""The server-side guard (DESIGN §7, issue 13): what ``fab guard`` refuses when it runs as the
``pre-receive`` hook of a shared bare repository.

Every ref a push updates is judged; nothing a ref holds exempts a commit from judgement elsewhere:

- **branches** (``refs/heads/``): the ledger at the new commit must pass ``fab check``; a sealed period
  may change only by a reopen on record (no seal rewritten or removed by the commits judged); and under
  ``signatures: required`` every record those commits bring is signed by a member it names or by a steward,
  as ``fab verify`` judges it (the same code).  For the main branch the commits judged are those new to it
  (``git rev-list NEW --not OLD``), whatever other refs hold; its history may only grow along its first
  parents (no force-push, no deletion, no jump to a merge of main into another branch).  Another branch is
  judged as it would reach main: the commits it holds that main does not, by the rule main holds; it may
  be rewritten or deleted (a proposal, not the ledger).
- **tags** (``refs/tags/``): only on a commit the main branch holds (as the push leaves it); a tag may be
  deleted.
- **any other ref** (notes, ``refs/pull/...``...): refused, but for its deletion.

The rule of signatures is the one in force before each commit, along history as the main branch grew
(``lineage``), so a push cannot turn it off or add the key it signs with and profit from it in the same
push, nor sneak a commit in through a branch made before the rule existed.

Pure over values the store hands over (``Push``); no git, no files, no terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .changes import Commit, DataReader, FileChange
from .checks import check
from .i18n import _
from .ledger import Ledger
from .lineage import Graph
from .problems import Problem
from .verify import Evidence, removed_seals, seal_history, signature_breaches

ZERO = "0" * 40


@dataclass(frozen=True)
class Push:
    """One ref a push updates, with what the store read for it (``ledger`` etc. are None for a deletion,
    a tag or another ref)."""

    ref: str
    old: str
    new: str
    main: bool  # the repository's main branch (its HEAD)
    fast_forward: bool  # ``old`` is an ancestor of ``new`` (True for a new ref)
    pushed: frozenset[str]  # the commits judged: new to main, or (another branch) those main does not hold
    ledger: Ledger | None = None
    changes: Sequence[FileChange] = ()
    commits: Sequence[Commit] = ()
    read: DataReader | None = None
    first_parent: bool = True  # ``old`` is on the first-parent line of ``new`` (True for a new ref)
    merged: Sequence[FileChange] = ()  # what merges bring that the merged commits made (``lineage``)
    graph: Graph | None = None
    held: bool = True  # a tag: it names a commit that the main branch holds, as the push leaves it


@dataclass(frozen=True)
class Refusal:
    ref: str
    reasons: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


def judge(push: Push) -> Refusal | None:
    """Why ``push`` must be refused, or None when the guard lets it through."""
    if push.new == ZERO:
        return Refusal(push.ref, (_("the main branch cannot be deleted: it is the ledger's audit trail"),)) if push.main else None
    if push.ref.startswith("refs/tags/"):
        return None if push.held else Refusal(push.ref, (_(
            "a tag may only name a commit that the main branch holds: push the commits to main first, where they are "
            "judged"),))
    if not push.ref.startswith("refs/heads/"):
        return Refusal(push.ref, (_("only branches (refs/heads/) and tags (refs/tags/) may be pushed to the ledger's "
                                    "repository: {ref} would hold commits nobody judged").format(ref=push.ref),))
    reasons: list[str] = []
    if push.main and push.old != ZERO and not push.fast_forward:
        reasons.append(_("this push rewrites the history of the main branch ({old} is not in the new history): history is "
                         "the audit trail; correct with a new commit instead (git revert)").format(old=push.old[:7]))
    elif push.main and push.old != ZERO and not push.first_parent:
        reasons.append(_("main's history must grow along its first parents: {old} is in the new history only through a "
                         "merge's second parent; merge the branch into main (git switch main; git merge BRANCH), not main "
                         "into the branch").format(old=push.old[:7]))
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
    if push.read is None or push.graph is None:
        return []
    return signature_breaches(push.commits, [*push.changes, *push.merged], push.read, push.graph, lambda sha: sha in push.pushed)
