"""Who may write what (DESIGN §7, issue 13): members' public signing keys, the members a record says
acted, and the rule ``fab verify`` and ``fab guard`` apply to every commit that brings a version of a record.

The rule: under ``signatures: warn`` or ``required``, a commit that adds, changes or removes a record must
be signed by a key that a member the record names as acting (author, donor, member, reviewer, giver,
reporter, poster) declared in their member file, or by a key of a steward named in the settings.  An
addition needs a member the new version names; a removal, one the removed version named; a change, one
named by both versions (the owner consents, and stays named: a record does not pass from one member to
another without a steward).  Seals, payments, the settings and the charter name no one: a steward signs
them.  Keys, stewards and the policy are those in force just before the commit, so a key counts once it
is recorded, and a change that adds a key, a steward or turns signatures off is itself judged by the rule.

History is read as the main branch grew (``lineage``): along its first parents, each merge preceded by the
commits it brings, which are judged by the rule the main line held before the merge.  The rule applies
from the first commit where it is on and whose committer date is ``signatures_since`` or later (the
anchor: usually the commit that turned it on); every commit after the anchor is judged whatever date it
claims, since anyone can write any date into a commit.

Git checks the signatures (``ssh-keygen``, through ``gpg.ssh.allowedSignersFile``); this module only
decides whose they are, from plain values the store hands over.  No files, no git, no terminal.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .i18n import M_, N_, InContext, Message
from .records import MEMBER_FIELDS, RECORD_TYPES
from .settings import CHARTER_PATH, SETTINGS_PATH

GOOD = ("G", "U")  # the signature is good (U: by a key git's allowed signers do not list)


def fingerprint(key: str) -> str | None:
    """'SHA256:…' of a public SSH key line, as ``ssh-keygen -l`` and git's ``%GK`` write it."""
    try:
        blob = base64.b64decode(key.split()[1], validate=True)
    except (IndexError, ValueError):
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def allowed_signers(keys: Mapping[str, Iterable[str]], emails: Mapping[str, str | None] | None = None) -> str:
    """git's allowed-signers file for ``keys`` (handle -> public key lines): one line per key, its principals
    the handle (and the member's email), for git to check signatures with (``gpg.ssh.allowedSignersFile``)."""
    lines = []
    for handle in sorted(keys):
        email = (emails or {}).get(handle)
        principals = f"{handle},{email}" if email else handle
        lines += [f'{principals} namespaces="git" {" ".join(key.split()[:2])}' for key in sorted(set(keys[handle]))]
    return "".join(f"{line}\n" for line in lines)


def named_members(path: str, data: Mapping[str, Any] | None) -> frozenset[str]:
    """The members a version of a file says acted: a member file's own member, the authors, donor,
    member, reviewer, giver, reporter or poster of a record; none for seals, payments, settings, charter."""
    parts = path.split("/")
    if len(parts) == 3 and parts[1] == "members":
        return frozenset({parts[2].removesuffix(".yaml")})
    if not isinstance(data, Mapping):
        return frozenset()
    found = {data[key] for key in (*MEMBER_FIELDS, "posted_by") if isinstance(data.get(key), str)}
    authors = data.get("authors")
    if isinstance(authors, str):
        found.add(authors)
    elif isinstance(authors, list):
        found |= {a["member"] for a in authors if isinstance(a, Mapping) and isinstance(a.get("member"), str)}
    return frozenset(found)


def judged_path(path: str) -> bool:
    """Whether the rule judges a file: a record, the settings or the charter (not the ledger's README)."""
    parts = path.split("/")
    return (path in (SETTINGS_PATH, CHARTER_PATH) or (parts[0] == "ledger" and len(parts) > 2
            and parts[1] in {kind.folder for kind in RECORD_TYPES} and path.endswith(".yaml")))


# --- the state of the rule along history, and the judgement of one commit --------------------------

@dataclass(frozen=True)
class Signed:
    """One commit as git reports its signature: ``status`` is git's %G? (G good, U good by an unlisted key,
    B bad, N none...), ``key`` the fingerprint of the key that signed (%GK)."""

    sha: str
    label: str  # 'abc1234 "subject"', as reports name commits
    committer: str  # 'Name <email>'
    day: date  # the committer's date
    status: str
    key: str


@dataclass(frozen=True)
class Version:
    """What a commit did to one file.  ``load`` gives its data before and after (None: absent or not a
    mapping), read only when the rule needs it (a member file, the settings, a judged commit).  ``own``:
    False for a merge's change that the commits it brings made (judged in them; it only teaches the rule)."""

    path: str
    removed: bool
    load: Callable[[], tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]
    old_path: str | None = None  # the name before, for a rename
    own: bool = True


@dataclass
class Rule:
    """The rule in force at a point of history: the policy, from when, the stewards and every member's keys."""

    mode: str = "off"
    since: date | None = None
    stewards: frozenset[str] = frozenset()
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # handle -> key fingerprints
    anchored: bool = False  # a commit on or after ``since`` was made under the rule: dates no longer count

    def applies(self, commit: Signed) -> bool:
        return self.mode in ("warn", "required") and (self.anchored or self.since is None or commit.day >= self.since)

    def after(self, commit: Signed, versions: Sequence[Version]) -> Rule:
        """The rule in force after ``commit``: taught its member files and settings, and anchored once the
        rule is on at a commit dated ``since`` or later (turning it off lifts the anchor)."""
        rule = replace(self)
        for version in versions:
            rule.learn(version)
        on = rule.mode in ("warn", "required")
        rule.anchored = on and (rule.anchored or rule.since is None or commit.day >= rule.since)
        return rule

    def signers(self, commit: Signed) -> frozenset[str]:
        """The members whose declared key signed ``commit`` (good signatures only)."""
        if commit.status not in GOOD or not commit.key:
            return frozenset()
        return frozenset(handle for handle, keys in self.keys.items() if commit.key in keys)

    def learn(self, version: Version) -> None:
        """After a commit: its member files and settings change the rule for the commits after it."""
        parts, old = version.path.split("/"), (version.old_path or "").split("/")
        if version.old_path and version.old_path != version.path and len(old) == 3 and old[1] == "members":
            self.keys = {**self.keys, old[2].removesuffix(".yaml"): frozenset()}  # a member file renamed away
        if len(parts) == 3 and parts[1] == "members":
            handle, data = parts[2].removesuffix(".yaml"), version.load()[1]
            keys = data.get("signing_keys") if isinstance(data, Mapping) else None
            found = frozenset(fp for fp in (fingerprint(k) for k in keys if isinstance(k, str)) if fp) if isinstance(keys, list) else frozenset()
            self.keys = {**self.keys, handle: found}
        elif version.path == SETTINGS_PATH and isinstance(settings := version.load()[1], Mapping):
            mode = settings.get("signatures")
            self.mode = mode if mode in ("off", "warn", "required") else "off"
            since = settings.get("signatures_since")
            self.since = since if isinstance(since, date) else None
            stewards = settings.get("stewards")
            self.stewards = frozenset(s for s in stewards if isinstance(s, str)) if isinstance(stewards, list) else frozenset()


@dataclass(frozen=True)
class Breach:
    """A version of a record brought by a commit that its members (or a steward) did not sign."""

    severity: str  # "warning" (signatures: warn) or "error" (required)
    path: str
    message: Message
    commit: Signed


WHY = {
    "none": N_("{action} by commit {commit} ({committer}), which is not signed: it needs the signature of {who}"),
    "unknown": N_("{action} by commit {commit} ({committer}), signed by a key no member declared ({key}): it needs the "
                  "signature of {who}"),
    "other": N_("{action} by commit {commit} ({committer}), signed by {signers}: it needs the signature of {who}"),
    "bad": N_("{action} by commit {commit} ({committer}), whose signature does not verify: it needs the signature of {who}"),
}
ACTIONS = {"added": N_("record|added"), "changed": N_("record|changed"), "removed": N_("record|removed")}


def acting(version: Version) -> tuple[str, frozenset[str], Message | None]:
    """What a version does (added, changed, removed), the members whose signature it needs besides a
    steward's, and why none when a change names no member it named before."""
    before, after = version.load()
    named_before = named_members(version.old_path or version.path, before)
    if version.removed:
        return "removed", named_before, None
    named_after = named_members(version.path, after)
    if before is None:
        return "added", named_after, None
    both = named_before & named_after
    passes = M_("a steward (the record passes from {before} to {after})", before=", ".join(sorted(named_before)),
                after=", ".join(sorted(named_after))) if named_before and named_after and not both else None
    return "changed", both, passes


def judge(commit: Signed, versions: Sequence[Version], rule: Rule) -> list[Breach]:
    """The versions ``commit`` brings that break ``rule`` (the rule in force just before it)."""
    if not rule.applies(commit):
        return []
    severity = "error" if rule.mode == "required" else "warning"
    signers = rule.signers(commit)
    found = []
    for version in versions:
        action, members, passes = acting(version)
        if signers & (members | rule.stewards):
            continue
        why = ("bad" if commit.status in ("B", "R") else "none" if commit.status == "N" or not commit.key
               else "other" if signers else "unknown")
        who = passes or (M_("{members} or a steward", members=", ".join(sorted(members))) if members else M_("a steward"))
        found.append(Breach(severity, version.path, M_(WHY[why], action=InContext(ACTIONS[action]), who=who, commit=commit.label, committer=commit.committer, key=commit.key, signers=", ".join(sorted(signers))), commit))
    return found


def breaches(commits: Iterable[tuple[Signed, Sequence[Version], bool]], judged: Callable[[str], bool] = lambda sha: True) -> list[Breach]:
    """Every breach along history, read as the main branch grew (``lineage.Graph.reading_order``): each
    commit with the versions it brings and whether it is on the main line.  A commit is judged by the rule
    in force just before it, then teaches the rule its member files and settings; the commits a merge
    brings are judged by the rule the main line held before the merge (and what those before them
    taught), and the main line's rule after the merge is the one before it, taught the merge's whole
    change.  ``judged`` limits the report to some commits (a push) while the rule still learns from all."""
    line = rule = Rule()
    found: list[Breach] = []
    for commit, versions, on_line in commits:
        if judged(commit.sha):
            found += judge(commit, [v for v in versions if v.own], rule)
        rule = (line if on_line else rule).after(commit, versions)
        if on_line:
            line = rule
    return found
