"""Who may write what (DESIGN §7, issue 13): members' public signing keys, the members a record says
acted, and the rule ``fab verify`` and ``fab guard`` apply to every commit that brings a version of a record.

The rule: under ``signatures: warn`` or ``required`` (from ``signatures_since``), a commit that adds,
changes or removes a record must be signed by a key that one of the members the record names as acting
(author, donor, member, reviewer, giver, reporter, poster) declared in their member file, or by a key
of a steward named in the settings.  Seals, payments, the settings and the charter name no one: a
steward signs them.  Keys, stewards and the policy are those in force just before the commit (in the
order of history), so a key counts once it is recorded, and a change that adds a key, a steward or
turns signatures off is itself judged by the rule.

Git checks the signatures (``ssh-keygen``, through ``gpg.ssh.allowedSignersFile``); this module only
decides whose they are, from plain values the store hands over.  No files, no git, no terminal.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
    mapping), read only when the rule needs it (a member file, the settings, a judged commit)."""

    path: str
    removed: bool
    load: Callable[[], tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]


@dataclass
class Rule:
    """The rule in force at a point of history: the policy, from when, the stewards and every member's keys."""

    mode: str = "off"
    since: date | None = None
    stewards: frozenset[str] = frozenset()
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # handle -> key fingerprints

    def applies(self, commit: Signed) -> bool:
        return self.mode in ("warn", "required") and (self.since is None or commit.day >= self.since)

    def signers(self, commit: Signed) -> frozenset[str]:
        """The members whose declared key signed ``commit`` (good signatures only)."""
        if commit.status not in GOOD or not commit.key:
            return frozenset()
        return frozenset(handle for handle, keys in self.keys.items() if commit.key in keys)

    def learn(self, version: Version) -> None:
        """After a commit: its member files and settings change the rule for the commits after it."""
        parts = version.path.split("/")
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


def judge(commit: Signed, versions: Sequence[Version], rule: Rule) -> list[Breach]:
    """The versions ``commit`` brings that break ``rule`` (the rule in force just before it)."""
    if not rule.applies(commit):
        return []
    severity = "error" if rule.mode == "required" else "warning"
    signers = rule.signers(commit)
    found = []
    for version in versions:
        before, after = version.load()
        acting = named_members(version.path, after if not version.removed else before)
        if signers & (acting | rule.stewards):
            continue
        why = ("bad" if commit.status in ("B", "R") else "none" if commit.status == "N" or not commit.key
               else "other" if signers else "unknown")
        who = M_("{members} or a steward", members=", ".join(sorted(acting))) if acting else M_("a steward")
        action = "removed" if version.removed else "added" if before is None else "changed"
        found.append(Breach(severity, version.path, M_(WHY[why], action=InContext(ACTIONS[action]), who=who, commit=commit.label, committer=commit.committer, key=commit.key, signers=", ".join(sorted(signers))), commit))
    return found


def breaches(commits: Sequence[tuple[Signed, Sequence[Version]]], judged: Callable[[str], bool] = lambda sha: True) -> list[Breach]:
    """Every breach along history (``commits`` oldest first, each with the versions it brings): each commit
    is judged by the rule in force just before it, then teaches the rule its member files and settings.
    ``judged`` limits the report to some commits (a push) while the rule still learns from all."""
    rule, found = Rule(), []
    for commit, versions in commits:
        if judged(commit.sha):
            found += judge(commit, versions, rule)
        for version in versions:
            rule.learn(version)
    return found
