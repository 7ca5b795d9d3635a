"""New records, built from what a user typed and checked against the ledger before any write.

A draft is the exact YAML text that will be written, read back through the same code that
``fab check`` uses, then checked with the whole ledger: what a write command accepts is by
construction what ``fab check`` accepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, overload

from . import seals
from .amounts import decimals
from .checks import consequences
from .i18n import M_, Text
from .ledger import Ledger, blob_id
from .missions import find, plain_status
from .payouts import currency_of, payment_data, payment_message
from .periods import Period
from .privacy import bank_details
from .problems import Problem
from .records import (
    Alert,
    Allocation,
    Contribution,
    Donation,
    Member,
    Mission,
    Payment,
    Record,
    Request,
    Review,
    Seal,
    Signature,
    Use,
    path_of,
)
from .settings import Settings


@dataclass(frozen=True)
class Draft:
    """A record ready to be written: its path, text and commit message, or the problems stopping it."""

    rel: str
    text: str
    message: str
    record: Record | None
    problems: tuple[Problem, ...]
    author: str | None = None
    removes: tuple[str, ...] = ()  # files this record replaces (a reviewer's earlier review)
    warnings: tuple[Problem, ...] = ()  # what fab check will warn about (private data in a public ledger)
    existing: tuple[Problem, ...] = ()  # of ``problems``, those already in the ledger before the write
    base: Ledger | None = field(default=None, compare=False, repr=False)  # the ledger it was checked against
    uncommitted: tuple[str, ...] = ()  # the files not committed that its problems come from (see ``recheck``)

    @property
    def new_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p not in self.existing)

    @property
    def id(self) -> str:
        return self.rel.rsplit("/", 1)[-1].removesuffix(".yaml")


def slug(text: str, limit: int = 40) -> str:
    """A readable id fragment: 'Covoiturage rural !' -> 'covoiturage-rural'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "x"


def _named(ledger: Ledger, kind: type[Record], stem: str) -> list[str]:
    """The files of this kind named ``stem``.yaml in any period: of those read, and of those a partial
    read knows by name only (a lookup per period folder, whatever the number of files)."""
    folder, name = f"ledger/{kind.folder}/", f"{stem}.yaml"
    return sorted({*(r.source.path for r in ledger.of(kind) if r.source.path.endswith(f"/{name}")),
                   *(f"{other}/{name}" for other, names in ledger.other_files.items()
                     if name in names and other.startswith(folder))})


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _unique(ledger: Ledger, kind: type[Record], base: str) -> str:
    base = base[:76].rstrip("-")
    if not _named(ledger, kind, base):
        return base
    n = 2
    while _named(ledger, kind, f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def _period_folder(ledger: Ledger, day: date) -> str:
    return str(Period.containing(day, ledger.settings.period))


def _draft(ledger: Ledger, rel: str, data: dict[str, Any], message: str,
           replaces: tuple[str, ...] = (), author: str | None = None, chosen_id: bool = False) -> Draft:
    """Read the text back as ``fab check`` would, then check it within the ledger it joins.  ``chosen_id``:
    the writer may choose the record's id (fab contribute --id, fab mission post --id)."""
    return _draft_text(ledger, rel, ledger.codec.dump(data), message, replaces, author, chosen_id)


def _one_line(message: str) -> str:
    """A commit subject: control characters (git refuses NUL, a newline would split the subject) as spaces."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", message)


def _draft_text(ledger: Ledger, rel: str, text: str, message: str, replaces: tuple[str, ...] = (),
                author: str | None = None, chosen_id: bool = False, repair: bool = False) -> Draft:
    """A draft of ``text`` at ``rel`` (see ``_draft``).  ``repair``: the write is how a problem already there
    is corrected (a reopen): only the problems it would add refuse it, so that two broken seals can be
    reopened one after the other."""
    message = _one_line(message)
    record, problems = ledger.codec.read(rel, text.encode("utf-8"), ledger.settings)
    warnings = tuple(p for p in problems if p.severity != "error")  # found in the file alone (private data)
    existing: list[Problem] = []
    if record is not None:
        same = [p for p in _named(ledger, type(record), _stem(rel)) if p not in replaces]
        if same:
            hint = M_("choose another id (--id)") if chosen_id else M_("see it with: fab log {rel}", rel=same[0])
            problems = [Problem(rel, 1, 1, "duplicate-id", M_('{rel} already exists', rel=same[0]), hint)]
        else:
            after = ledger.without(replaces).with_record(record, blob_id(text.encode("utf-8")))
            problems, existing, found = consequences(ledger, after, rel)
            warnings += tuple(found)
            if repair:
                problems, existing = [p for p in problems if p not in existing], []
    removes = tuple(old for old in replaces if old != rel)
    return Draft(rel, text, message, record if not problems else None, tuple(problems), author, removes, warnings,
                 existing=tuple(existing), base=ledger)


def recheck(committed: Ledger, draft: Draft, uncommitted: Iterable[str]) -> Draft:
    """``draft`` checked again against ``committed``, the ledger as the last commit holds it (the files in
    ``uncommitted`` as committed, or absent), since a write commits its file alone: a record that names a
    member whose file is not committed yet would leave the commit failing ``fab check --at``.  The same draft
    when it passes there; else refused with those problems, ``uncommitted`` saying why."""
    replaces = (*draft.removes, *((draft.rel,) if draft.rel in committed.blobs else ()))
    again = _draft_text(committed, draft.rel, draft.text, draft.message, replaces, draft.author)
    if not again.problems:
        return draft
    return replace(draft, record=None, problems=again.problems, existing=again.existing, uncommitted=tuple(uncommitted))


def member(ledger: Ledger, handle: str, *, name: str, roles: list[str], joined: date | None = None,
           organisation: str | None = None, email: str | None = None, wiki_user: str | None = None,
           receives: bool = True, signing_keys: list[str] | None = None) -> Draft:
    data = {"name": name, "roles": roles or ["contributor"], "joined": joined or ledger.today,
            "organisation": organisation, "email": email, "wiki_user": wiki_user}
    if not receives:
        data["receives"] = False
    if signing_keys:
        data["signing_keys"] = [" ".join(key.split()) for key in signing_keys]
    return _draft(ledger, path_of(Member, None, handle), data, f"member: add {handle} ({name})")


def member_author(ledger: Ledger, handle: str) -> str | None:
    """'Name <email>' of a member, so that self-declared records are committed as theirs."""
    found = ledger.members.get(handle)
    return f"{found.name} <{found.email}>" if found is not None and found.email else None


def signature(ledger: Ledger, handle: str, *, day: date | None = None) -> Draft:
    day = day or ledger.today
    sha = ledger.charter_sha256
    rel = path_of(Signature, None, f"{handle}--{day}")
    if sha is None:
        return Draft(rel, "", "", None, (Problem("charter.md", 1, 1, "charter", M_("charter.md is missing: there is nothing to sign")),))
    data = {"member": handle, "date": day, "charter": sha}
    return _draft(ledger, rel, data, f"sign: {handle} signs the charter ({sha[:12]})",
                  author=member_author(ledger, handle))


def contribution(ledger: Ledger, *, by: list[tuple[str, Decimal | None]], kind: str, title: str,
                 hours: Decimal, day: date | None = None, url: str | None = None,
                 description: str | None = None, record_id: str | None = None) -> Draft:
    day = day or ledger.today
    first = by[0][0] if by else "x"
    cid = record_id or _unique(ledger, Contribution, f"{day}-{first}-{slug(title)}")
    if len(by) == 1 and by[0][1] in (None, Decimal(1)):
        authors: Any = first
    else:
        authors = [{"member": h, "share": s} for h, s in by]
    data = {"authors": authors, "kind": kind, "title": title, "hours": hours, "date": day,
            "url": url, "description": description}
    who = " + ".join(h for h, _ in by)
    rel = path_of(Contribution, _period_folder(ledger, day), cid)
    return _draft(ledger, rel, data, f"contribute: {who}, {hours} h {kind}, {title}", chosen_id=True)


def donation(ledger: Ledger, *, donor: str, amount: Decimal, day: date | None = None,
             mission: str | None = None, reference: str | None = None) -> Draft:
    day = day or ledger.today
    did = _unique(ledger, Donation, f"{day}-{donor}")
    amount = _in_minor_units(ledger, amount)
    data = {"donor": donor, "amount": amount, "date": day, "mission": mission, "reference": reference}
    rel = path_of(Donation, _period_folder(ledger, day), did)
    return _draft(ledger, rel, data, f"donate: {donor}, {amount} {ledger.settings.currency}")


@overload
def _in_minor_units(ledger: Ledger, amount: Decimal) -> Decimal: ...
@overload
def _in_minor_units(ledger: Ledger, amount: Decimal | None) -> Decimal | None: ...


def _in_minor_units(ledger: Ledger, amount: Decimal | None) -> Decimal | None:
    """1500 -> 1500.00 in EUR; more decimals than the currency has are kept, for check to refuse."""
    digits = ledger.settings.digits
    return amount.quantize(Decimal(1).scaleb(-digits)) if amount is not None and decimals(amount) < digits else amount


def use(ledger: Ledger, *, member_handle: str, resource: str, day: date | None = None,
        mission: str | None = None, mission_revenue: Decimal | None = None) -> Draft:
    day = day or ledger.today
    uid = _unique(ledger, Use, f"{day}-{member_handle}-{slug(resource, 30)}")
    data = {"member": member_handle, "resource": resource, "date": day, "mission": mission,
            "mission_revenue": _in_minor_units(ledger, mission_revenue)}
    rel = path_of(Use, _period_folder(ledger, day), uid)
    return _draft(ledger, rel, data, f"use: {member_handle}, {resource}")



def review(ledger: Ledger, target: str, *, reviewer: str, verdict: str, score: int | None = None,
           comment: str | None = None, day: date | None = None) -> Draft:
    """A review; the reviewer's earlier review of the same target is replaced (how objections are lifted)."""
    day = day or ledger.today
    earlier = tuple(r.source.path for r in ledger.reviews if r.target == target and r.reviewer == reviewer)
    data = {"target": target, "reviewer": reviewer, "verdict": verdict, "score": score, "comment": comment, "date": day}
    rel = path_of(Review, _period_folder(ledger, day), f"{target}--{reviewer}")
    scored = f", score {score}" if score is not None else ""
    return _draft(ledger, rel, data, f"review: {reviewer} {verdict}s {target}{scored}", replaces=(*earlier, rel),
                  author=member_author(ledger, reviewer))


def request(ledger: Ledger, *, member_handle: str, amount: Decimal, justification: list[str],
            day: date | None = None) -> Draft:
    day = day or ledger.today
    period = _period_folder(ledger, day)
    data = {"member": member_handle, "amount": _in_minor_units(ledger, amount), "justification": justification or None,
            "date": day}
    rel = path_of(Request, period, f"{period.lower()}-{member_handle}")
    return _draft(ledger, rel, data, f"request: {member_handle} asks {data['amount']} {ledger.settings.currency} for {period}",
                  author=member_author(ledger, member_handle))


def payment(ledger: Ledger, period: Period, *, reference: str, members: list[str] | None = None,
            day: date | None = None) -> Draft:
    """Transfers made for a sealed period's payouts (fab payouts --mark-paid); ValueError when there is
    nothing (left) to pay to those members, or when the reference holds bank details."""
    refused = bank_details(reference)
    if refused is not None:
        raise ValueError(refused)
    data = payment_data(ledger, period, reference=reference, members=members, day=day)
    pid = _unique(ledger, Payment, f"{str(period).lower()}-{slug(reference)}")
    return _draft(ledger, path_of(Payment, None, pid), data, payment_message(data, currency_of(ledger, period)))


def allocation(ledger: Ledger, *, giver: str, points: dict[str, int], period: Period | None = None) -> Draft:
    """Peer points of one giver for one period; giving again replaces the earlier allocation."""
    period = period or ledger.current_period()
    rel = path_of(Allocation, period, giver)
    data = {"giver": giver, "points": points, "date": ledger.today if period.contains(ledger.today) else None}
    given = ", ".join(f"{h} {n}" for h, n in points.items())
    return _draft(ledger, rel, data, f"allocate: {giver} gives {given} ({period})", replaces=(rel,),
                  author=member_author(ledger, giver))


def alert(ledger: Ledger, *, about: str, evidence: str, reported_by: str, day: date | None = None,
          note: str | None = None) -> Draft:
    day = day or ledger.today
    aid = _unique(ledger, Alert, f"{day}-{slug(about)}")
    data = {"about": about, "evidence": evidence, "reported_by": reported_by, "date": day, "status": "open", "note": note}
    return _draft(ledger, path_of(Alert, None, aid), data, f"alert: {reported_by} reports {about}")


def _edit(ledger: Ledger, record: Record, raw: bytes, changes: dict[str, Any], message: str, repair: bool = False) -> Draft:
    """An existing record with some keys changed; its comments and layout are kept."""
    rel = record.source.path
    return _draft_text(ledger, rel, ledger.codec.edit(raw, changes), message, replaces=(rel,), repair=repair)


def alert_status(ledger: Ledger, alert_id: str, raw: bytes, *, status: str, note: str | None = None) -> Draft:
    found = next((a for a in ledger.alerts if a.id == alert_id), None)
    if found is None:
        rel = path_of(Alert, None, alert_id)
        return Draft(rel, "", "", None, (Problem(rel, 1, 1, "unknown-reference", M_("there is no alert '{alert_id}'", alert_id=alert_id), M_("see the ids with: ls ledger/alerts")),))
    changes = {"status": status, **({"note": note} if note else {})}
    return _edit(ledger, found, raw, changes, f"alert: {alert_id} is now {status}")


def seal(ledger: Ledger, data: dict[str, Any]) -> Draft:
    """The seal of a period (``review.seal_data``), as the one commit that closes it."""
    paid = sum(data["payouts"].values(), Decimal(0))
    message = (f"close {data['period']}: {paid} {ledger.settings.currency} to {len(data['payouts'])} contributors, "
               f"{data['carried_over']} carried over")
    existing = ledger.seals.get(data["period"])
    rel = path_of(Seal, None, data["period"])
    why = seals.out_of_order(ledger, Period.parse(data["period"], ledger.settings.period))
    if why is not None:
        return Draft(rel, "", "", None, (Problem(rel, 1, 1, "seal", *why),))
    return _draft(ledger, rel, data, message, replaces=(existing.source.path,) if existing is not None else ())


def reopen(ledger: Ledger, period: str, raw: bytes, *, reason: str) -> Draft:
    chosen = Period.parse(period, ledger.settings.period)
    found, rel = ledger.sealed(chosen), path_of(Seal, None, period)
    if found is None:
        earlier = ledger.seals.get(period)
        if earlier is not None and earlier.reopened is not None:
            problem = Problem(rel, 1, 1, "seal", M_("{period} is already reopened (on {date}: {reason}): it is open", period=period,
                                                    date=earlier.reopened, reason=earlier.reason or ""),
                              M_("make the corrections, then close it again: fab close {period}", period=period))
        else:
            problem = Problem(rel, 1, 1, "seal", M_('{period} is not closed: there is nothing to reopen', period=period),
                              M_("see which periods are closed: ls ledger/periods"))
        return Draft(rel, "", "", None, (problem,))
    why = seals.out_of_order(ledger, chosen, reopening=True)
    if why is not None:
        return Draft(rel, "", "", None, (Problem(rel, 1, 1, "seal", *why),))
    return _edit(ledger, found, raw, {"reopened": ledger.today, "reason": reason}, f"reopen {period}: {reason}", repair=True)


def scope_for(kind: type[Record], day: date | None, today: date):
    """What a write of ``kind`` needs to read (DESIGN §10: writes must not read the whole ledger): the
    members, signatures and seals; of the kind's other files, their names are enough (unique ids; a
    seal lists its files).  Returns a function of the settings (so that it may depend on them)."""
    def scope(settings: Settings, present: object = None) -> tuple[list[str], list[str]]:
        folders = ["members", "signatures", "periods"]
        if not kind.periodic:
            return [*dict.fromkeys([*folders, kind.folder])], []
        return folders, [kind.folder]
    return scope


# --- missions: a new one, an interest, an assignment -------------------------------------------

def mission(ledger: Ledger, *, title: str, client: str, deadline: date, by: str, skills: Iterable[str] = (),
         url: str | None = None, description: str | None = None, day: date | None = None,
         record_id: str | None = None) -> Draft:
    """A new mission proposal, status open, committed as the member who posts it."""
    day = day or ledger.today
    mid = record_id or _unique(ledger, Mission, f"{day}-{slug(title)}")
    data = {"title": title, "client": client, "deadline": deadline, "skills": list(skills) or None, "url": url,
            "description": description, "posted_by": by, "date": day, "status": "open"}
    message = f"mission: {by} posts {title} ({client}, deadline {deadline})"
    return _draft(ledger, path_of(Mission, None, mid), data, message, author=member_author(ledger, by), chosen_id=True)


def _missing(mission_id: str) -> Draft:
    rel = path_of(Mission, None, mission_id)
    return Draft(rel, "", "", None, (Problem(rel, 1, 1, "unknown-reference", M_("there is no mission '{mission_id}'", mission_id=mission_id),
                                             M_("see the ids with: fab mission list --all")),))


def _refused(mission: Mission, message: Text, hint: Text, key: str = "status") -> Draft:
    rel = mission.source.path
    return Draft(rel, "", "", None, (Problem(rel, *mission.source.at(key), "mission", message, hint),))


def _step(ledger: Ledger, mission: Mission, raw: bytes, key: str, handle: str, day: date, changes: dict[str, Any],
          message: str, author: str | None) -> Draft:
    """The mission file with one more step in ``key``; comments and layout kept; checked like any draft."""
    steps = [{"member": s.member, "date": s.date} for s in getattr(mission, key)]
    steps.append({"member": handle, "date": day})
    draft = _edit(ledger, mission, raw, {key: steps, **changes}, message)
    return replace(draft, author=author)


def mission_interest(ledger: Ledger, mission_id: str, raw: bytes, *, by: str, day: date | None = None) -> Draft:
    """``by`` is interested in the mission: committed as them; refused unless they are referenced."""
    mission = find(ledger, mission_id)
    if mission is None:
        return _missing(mission_id)
    if mission.status != "open":
        status = plain_status(mission)
        whom = M_(" to {names}", names=", ".join(s.member for s in mission.assigned)) if mission.assigned else ""
        return _refused(mission, M_('the mission is {status}{whom}: it no longer takes interest', status=status, whom=whom),
                        M_('see the open missions with: fab mission list --for {by}', by=by))
    earlier = next((s for s in mission.interest if s.member == by), None)
    if earlier is not None:
        return _refused(mission, M_('{by} already expressed interest in this mission on {date}', by=by, date=earlier.date),
                        M_('see who is interested with: fab mission show {id}', id=mission.id), key="interest")
    day = day or ledger.today
    return _step(ledger, mission, raw, "interest", by, day, {}, f"mission: {by} is interested in {mission.id}",
                 member_author(ledger, by))


def mission_assignment(ledger: Ledger, mission_id: str, raw: bytes, *, to: str, day: date | None = None) -> Draft:
    """The mission goes to ``to`` (several assignments make a team); status assigned."""
    mission = find(ledger, mission_id)
    if mission is None:
        return _missing(mission_id)
    if mission.status == "closed":
        return _refused(mission, M_("the mission is closed: it can no longer be assigned"),
                        M_("reopen it first by writing  status: open  in its file, if it was closed by mistake"))
    earlier = next((s for s in mission.assigned if s.member == to), None)
    if earlier is not None:
        return _refused(mission, M_('the mission was already assigned to {to} on {date}', to=to, date=earlier.date),
                        M_('see the mission with: fab mission show {id}', id=mission.id), key="assigned")
    day = day or ledger.today
    return _step(ledger, mission, raw, "assigned", to, day, {"status": "assigned"},
                 f"mission: {mission.id} assigned to {to}", None)


