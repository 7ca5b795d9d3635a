"""The shape of history (DESIGN §7, issue 13): what a merge brings from its other parents, which of a
merge's changes are its own, and the order in which ``fab verify`` and ``fab guard`` read history.

The main branch is read along its first parents, as it grew: each commit of that line, preceded by the
commits a merge brings into it (those its other parents hold and its first parent does not), oldest
first.  Every commit of the history is read exactly once so, and each is read with what the main line
held just before it: a branch made before a rule existed is judged by the rule when it reaches main.

A merge's change of a file (against its first parent) is its own unless the commits it brings made that
very change: a path of their changes leads, at that file, from the first parent's version to the
merge's.  A clean merge so brings nothing of its own; a merge that adds, edits or removes what the merged
commits did not (an "evil merge", or a conflict resolved in a third way) is judged for that, as a commit.

Plain values: no git, no files.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from .changes import FileChange


@dataclass(frozen=True)
class Graph:
    """Commits and their parents, in a topological order (parents first); ``heads``: the revisions read, the
    main line's first."""

    parents: Mapping[str, tuple[str, ...]]
    heads: tuple[str, ...]

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Each commit's place in the order of ``parents``."""
        return {sha: i for i, sha in enumerate(self.parents)}

    def brought(self, first: str | None, others: Iterable[str]) -> list[str]:
        """The commits ``others`` hold and ``first`` does not (what merging them into ``first`` brings),
        oldest first.  Painted down from both sides in topological order, as git finds a merge base:
        only the commits above the fork point are visited."""
        flags: dict[str, int] = {}
        queue: list[tuple[int, str]] = []
        alone = 0  # queued commits reached from ``others`` only

        def reach(sha: str | None, flag: int) -> None:
            nonlocal alone
            if sha is None or sha not in self.index:
                return
            old = flags.get(sha, 0)
            new = old | flag
            if new == old:
                return
            flags[sha] = new
            if old == 0:
                heapq.heappush(queue, (-self.index[sha], sha))
                alone += new == 2
            elif old == 2:
                alone -= 1

        reach(first, 1)
        for sha in others:
            reach(sha, 2)
        found = []
        while queue and alone:
            _, sha = heapq.heappop(queue)
            flag = flags[sha]
            if flag == 2:
                alone -= 1
                found.append(sha)
            for parent in self.parents.get(sha, ()):
                reach(parent, flag)
        return sorted(found, key=self.index.__getitem__)

    def reading_order(self) -> list[tuple[str, bool]]:
        """(commit, on the main line) in the order history is judged: down the first-parent line of the
        first head, each merge preceded by what it brings; then what each other head would bring if it
        were merged into the first (a branch is judged as it would reach main)."""
        line, sha = [], self.heads[0] if self.heads else None
        while sha is not None and sha in self.parents:
            line.append(sha)
            sha = next(iter(self.parents[sha]), None)
        order: list[tuple[str, bool]] = []
        for sha in reversed(line):
            parents = self.parents[sha]
            if len(parents) > 1:
                order += [(s, False) for s in self.brought(parents[0], parents[1:])]
            order.append((sha, True))
        for head in self.heads[1:]:
            order += [(s, False) for s in self.brought(self.heads[0] if line else None, [head])]
        return order


def _steps(change: FileChange) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, blob before, blob after) for each name a change touches: a rename is a removal and an addition."""
    if change.status == "R":
        yield change.old_path or "", change.old_blob, None
        yield change.new_path or "", None, change.new_blob
    else:
        yield change.path, change.old_blob, change.new_blob


def mark_merged(changes: Sequence[FileChange], graph: Graph) -> list[FileChange]:
    """``changes`` (oldest first, parents before children), each change of a merge that the commits it
    brings already made marked ``merged``: not the merge's own (see the module's words)."""
    steps: dict[str, list[tuple[str, str | None, str | None]]] = {}  # path -> (commit, before, after)
    found: list[FileChange] = []
    i = 0
    while i < len(changes):
        commit = changes[i].commit
        group = []
        while i < len(changes) and changes[i].commit.sha == commit.sha:
            group.append(changes[i])
            i += 1
        if len(commit.parents) > 1:
            side = set(graph.brought(commit.parents[0], commit.parents[1:]))
            group = [replace(c, merged=True) if all(_leads(steps.get(path, ()), side, old, new) for path, old, new in _steps(c))
                     else c for c in group]
        for change in group:
            for path, old, new in _steps(change):
                steps.setdefault(path, []).append((change.commit.sha, old, new))
        found += group
    return found


def _leads(steps: Iterable[tuple[str, str | None, str | None]], side: set[str], old: str | None, new: str | None) -> bool:
    """Whether the changes that ``side`` commits made to one file lead from version ``old`` to ``new``."""
    edges: dict[str | None, set[str | None]] = {}
    for sha, before, after in steps:
        if sha in side:
            edges.setdefault(before, set()).add(after)
    seen, todo = {old}, [old]
    while todo:
        for after in edges.get(todo.pop(), ()):
            if after == new:
                return True
            if after not in seen:
                seen.add(after)
                todo.append(after)
    return False
