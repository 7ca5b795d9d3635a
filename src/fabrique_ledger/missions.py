"""Services for referenced consultants (issue 8): mission proposals, who may see and take them,
the rule ``fab check`` applies to mission files, and the details that fill a response template.

Pure functions over a Ledger.  Only referenced consultants (a consultant holding a signature of
the charter and not dereferenced since, ``review.is_referenced``) may see open proposals, express
interest in a mission or be assigned one; ``check_missions`` refuses a mission file where an
interest or an assignment names anyone else at that step's date.
"""

from __future__ import annotations

from .i18n import N_, M_, Capitalized, Joined, LongDay, p_

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .ledger import Ledger
from .problems import Problem, problem_at
from .records import Member, Mission, Signature

if TYPE_CHECKING:
    from .drafts import Draft

STEPS = ("interest", "assigned")
STEP_WORDS = {"interest": N_("interest"), "assigned": N_("assignment")}
HINT_REFERENCED = N_("only referenced consultants can express interest in or be assigned a mission")
STATUS_WORDS = {"open": N_("mission|open"), "assigned": N_("mission|assigned"), "closed": N_("mission|closed")}


def status_word(mission: Mission) -> str:
    """The mission's status for people: 'open', 'assigned to bruno, david', 'closed' (translated)."""
    if mission.status == "assigned" and mission.assigned:
        return M_("assigned to {names}", names=", ".join(s.member for s in mission.assigned))
    return _status(mission)


def _status(mission: Mission) -> str:
    return p_(STATUS_WORDS[mission.status]) if mission.status in STATUS_WORDS else mission.status


# --- who may use the services of the referencing --------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """Whether ``handle`` is a referenced consultant on ``on``, and if not, why and what to do.

    ``state`` is one of: referenced, unknown (not a member), not-consultant, unsigned (no signature
    dated on or before ``on``), dereferenced (left the referencing at a collective review).
    """

    handle: str
    on: date
    state: str
    member: Member | None = None
    signature: Signature | None = None
    since: date | None = None          # referenced: first day of the current referencing
    left: date | None = None           # dereferenced: the day of the review that dereferenced them
    left_period: str | None = None

    @property
    def referenced(self) -> bool:
        return self.state == "referenced"

    def why(self) -> str:
        """Why they are not referenced, as the end of a sentence starting with their handle."""
        if self.state == "unknown":
            return M_("is not a member of the ledger")
        if self.state == "not-consultant":
            roles = ", ".join(self.member.roles) if self.member else ""
            return M_('is not a consultant (roles: {roles})', roles=roles)
        if self.state == "unsigned":
            return M_("has not signed the charter")
        if self.state == "dereferenced":
            return M_('left the referencing on {left} (collective review of {left_period})', left=self.left, left_period=self.left_period)
        return M_('is referenced since {since}', since=self.since)

    def why_then(self) -> str:
        """Why they were not referenced on ``on`` (for a dated step of a mission)."""
        if self.state == "unsigned":
            return M_('{handle} had not signed the charter by then', handle=self.handle)
        if self.state == "dereferenced":
            return M_('{handle} left the referencing on {left} (collective review of {left_period})', handle=self.handle, left=self.left, left_period=self.left_period)
        return Joined([self.handle, self.why()])

    def how(self) -> str:
        """What to do to become (again) a referenced consultant."""
        h = self.handle
        if self.state == "unknown":
            return M_('fix the handle, or add the member first: fab member add {h} --name ... --role consultant', h=h)
        if self.state == "not-consultant":
            return (M_("the services of the referencing are for consultants: add 'consultant' to the roles in ledger/members/{h}.yaml, then sign the charter with: fab sign {h}", h=h))
        if self.state == "dereferenced":
            return M_('to come back, sign the charter again with: fab sign {h}', h=h)
        return M_('to become referenced, sign the charter with: fab sign {h}', h=h)

    def sentence(self, service: str) -> str:
        """Why someone is refused ``service`` (e.g. 'mission proposals'), then on a second line what to do."""
        how = self.how()
        return M_('{handle} {why}, and {service} are offered to referenced consultants only.\n{how}', handle=self.handle,
                  why=self.why(), service=service, how=Capitalized(how))


def standing(ledger: Ledger, handle: str, on: date) -> Standing:
    from .review import dereferenced_on, latest_signature

    member = ledger.members.get(handle)
    if member is None:
        return Standing(handle, on, "unknown")
    if "consultant" not in member.roles:
        return Standing(handle, on, "not-consultant", member)
    signature = latest_signature(ledger, handle, on)
    if signature is None:
        return Standing(handle, on, "unsigned", member)
    left = dereferenced_on(ledger, handle, signature.date, on)
    if left is not None:
        period = next((s.period for s in ledger.seals.values() if s.date == left and handle in s.dereferenced), "?")
        return Standing(handle, on, "dereferenced", member, signature, left=left, left_period=period)
    return Standing(handle, on, "referenced", member, signature, since=_referenced_since(ledger, handle, on))


def _referenced_since(ledger: Ledger, handle: str, on: date) -> date | None:
    """The first signature after the last dereferencing: when the current referencing began."""
    out = [s.date for s in ledger.seals.values() if handle in s.dereferenced and s.date <= on]
    last_out = max(out) if out else None
    dates = [s.date for s in ledger.signatures
             if s.member == handle and s.date <= on and (last_out is None or s.date > last_out)]
    return min(dates) if dates else None


# --- missions ------------------------------------------------------------------------------------

def by_id(ledger: Ledger) -> dict[str, Mission]:
    """Missions by id; on a duplicate id (a problem of its own) the first path wins."""
    found: dict[str, Mission] = {}
    for mission in sorted(ledger.of(Mission), key=lambda m: m.source.path):
        found.setdefault(mission.id, mission)
    return found


def find(ledger: Ledger, mission_id: str) -> Mission | None:
    return by_id(ledger).get(mission_id)


def is_open(mission: Mission, on: date) -> bool:
    """Open to interest: status open and the deadline not passed."""
    return mission.status == "open" and mission.deadline >= on


def listed(ledger: Ledger, *, everything: bool = False) -> list[Mission]:
    """Open missions (or all of them), soonest deadline first."""
    found = [m for m in by_id(ledger).values() if everything or is_open(m, ledger.today)]
    return sorted(found, key=lambda m: (m.deadline, m.id))


def visible_to(ledger: Ledger, handle: str, *, everything: bool = False) -> tuple[list[Mission], Standing]:
    """What ``handle`` may see today: the missions if they are a referenced consultant, else nothing."""
    who = standing(ledger, handle, ledger.today)
    return (listed(ledger, everything=everything) if who.referenced else []), who


def as_data(mission: Mission) -> dict[str, Any]:
    """A mission as JSON-ready data (dates as YYYY-MM-DD)."""
    return {
        "id": mission.id, "title": mission.title, "client": mission.client, "deadline": str(mission.deadline),
        "skills": list(mission.skills), "url": mission.url, "description": mission.description,
        "posted_by": mission.posted_by, "date": str(mission.date), "status": mission.status,
        "interest": [{"member": s.member, "date": str(s.date)} for s in mission.interest],
        "assigned": [{"member": s.member, "date": str(s.date)} for s in mission.assigned],
    }


# --- the rule of fab check -----------------------------------------------------------------------

def _at(mission: Mission, key: str, code: str, message: str, hint: str = "") -> Problem:
    return problem_at(mission, code, message, hint, key=key)


def check_missions(ledger: Ledger) -> Iterable[Problem]:
    """Mission files: known members, steps only by referenced consultants at their date, coherent dates and status."""
    members = ledger.members
    for mission in ledger.of(Mission):
        if mission.posted_by not in members:
            yield _at(mission, "posted_by", "unknown-reference", M_("'posted_by' names '{posted_by}', who is not a member", posted_by=mission.posted_by),
                      M_('fix the handle, or add the member first: fab member add {posted_by} --name ...', posted_by=mission.posted_by))
        if mission.deadline < mission.date:
            yield _at(mission, "deadline", "mission", M_('the deadline {deadline} is before the mission was posted ({date})', deadline=mission.deadline, date=mission.date),
                      M_("fix the deadline or the date of the mission"))
        for key in STEPS:
            yield from _steps(ledger, mission, key)
        if mission.assigned and mission.status == "open":
            who = ", ".join(s.member for s in mission.assigned)
            yield _at(mission, "status", "mission", M_("the mission is assigned to {who} but its status is 'open'", who=who),
                      M_("write  status: assigned"))
        if mission.status == "assigned" and not mission.assigned:
            yield _at(mission, "status", "mission", M_("the status is 'assigned' but nobody is listed in 'assigned'"),
                      M_('assign it with: fab mission assign {id} --to HANDLE, or write  status: open', id=mission.id))


def _steps(ledger: Ledger, mission: Mission, key: str) -> Iterable[Problem]:
    seen: set[str] = set()
    word = M_(STEP_WORDS[key])
    for step in getattr(mission, key):
        handle = step.member
        if handle in seen:
            yield _at(mission, key, "mission", M_("{handle} is listed twice in '{key}'", handle=handle, key=key), M_("list each consultant once"))
            continue
        seen.add(handle)
        who = standing(ledger, handle, step.date)
        if who.state == "unknown":
            yield _at(mission, key, "unknown-reference", M_("'{key}' names '{handle}', who is not a member", key=key, handle=handle), who.how())
        elif who.state == "not-consultant":
            yield _at(mission, key, "mission", M_("'{key}' names {handle}, who {why}", key=key, handle=handle, why=who.why()),
                      Joined([M_(HINT_REFERENCED), who.how()], M_("; ")))
        elif not who.referenced:
            yield _at(mission, key, "mission",
                      M_("'{key}' names {handle}, who was not a referenced consultant on {date}: {why_then}", key=key, handle=handle, date=step.date, why_then=who.why_then()),
                      Joined([M_(HINT_REFERENCED), who.how()], M_("; ")))
        if step.date > ledger.today:
            yield _at(mission, key, "future-date", M_('the {word} of {handle} on {date} is in the future (today is {today})', word=word, handle=handle, date=step.date, today=ledger.today))
        elif step.date < mission.date:
            yield _at(mission, key, "mission", M_('the {word} of {handle} is dated {date}, before the mission was posted ({date2})', word=word, handle=handle, date=step.date, date2=mission.date),
                      M_("fix the date of the step, or of the mission"))
        if key == "interest" and step.date > mission.deadline:
            yield _at(mission, key, "mission", M_('the interest of {handle} on {date} came after the deadline ({deadline})', handle=handle, date=step.date, deadline=mission.deadline),
                      M_("interest is expressed by the deadline; if the deadline was extended, change 'deadline'"))


# --- drafts: a new mission, an interest, an assignment -------------------------------------------

def post(ledger: Ledger, *, title: str, client: str, deadline: date, by: str, skills: Iterable[str] = (),
         url: str | None = None, description: str | None = None, day: date | None = None,
         record_id: str | None = None) -> Draft:
    """A new mission proposal, status open, committed as the member who posts it."""
    from . import drafts

    day = day or ledger.today
    mid = record_id or drafts._unique(ledger, Mission, f"{day}-{drafts.slug(title)}")
    data = {"title": title, "client": client, "deadline": deadline, "skills": list(skills) or None, "url": url,
            "description": description, "posted_by": by, "date": day, "status": "open"}
    message = f"mission: {by} posts {title} ({client}, deadline {deadline})"
    return drafts._draft(ledger, f"ledger/missions/{mid}.yaml", data, message, author=drafts.member_author(ledger, by))


def _missing(mission_id: str) -> Draft:
    from .drafts import Draft

    rel = f"ledger/missions/{mission_id}.yaml"
    return Draft(rel, "", "", None, (Problem(rel, 1, 1, "unknown-reference", M_("there is no mission '{mission_id}'", mission_id=mission_id),
                                             M_("see the ids with: fab mission list --all")),))


def _refused(mission: Mission, message: str, hint: str, key: str = "status") -> Draft:
    from .drafts import Draft

    rel = mission.source.path
    return Draft(rel, "", "", None, (Problem(rel, *mission.source.at(key), "mission", message, hint),))


def _step(ledger: Ledger, mission: Mission, raw: bytes, key: str, handle: str, day: date, changes: dict[str, Any],
          message: str, author: str | None) -> Draft:
    """The mission file with one more step in ``key``; comments and layout kept; checked like any draft."""
    from . import drafts

    steps = [{"member": s.member, "date": s.date} for s in getattr(mission, key)]
    steps.append({"member": handle, "date": day})
    draft = drafts._edit(ledger, mission, raw, {key: steps, **changes}, message)
    return replace(draft, author=author)


def interest(ledger: Ledger, mission_id: str, raw: bytes, *, by: str, day: date | None = None) -> Draft:
    """``by`` is interested in the mission: committed as them; refused unless they are referenced."""
    from .drafts import member_author

    mission = find(ledger, mission_id)
    if mission is None:
        return _missing(mission_id)
    if mission.status != "open":
        status = _status(mission)
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


def assign(ledger: Ledger, mission_id: str, raw: bytes, *, to: str, day: date | None = None) -> Draft:
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


# --- what fills a response template ---------------------------------------------------------------

PLACEHOLDERS = (
    "consultant.handle", "consultant.name", "consultant.organisation", "consultant.email",
    "consultant.referenced_since", "charter.version",
    "fabrique.name", "fabrique.currency",
    "mission.id", "mission.title", "mission.client", "mission.deadline", "mission.skills", "mission.url",
    "today", "reciprocity_clause",
)

_REVIEW_EVERY = {
    "fr": {"half-year": "tous les six mois", "quarter": "chaque trimestre", "month": "chaque mois", "year": "chaque année"},
    "en": {"half-year": "every six months", "quarter": "every quarter", "month": "every month", "year": "every year"},
}


def _long_day(value: date, lang: str) -> str:
    """A date of a document, written out in the document's language (i18n.LongDay)."""
    return str(LongDay(value, lang))


def reciprocity_clause(ledger: Ledger, who: Standing, lang: str = "fr") -> str:
    """The paragraph a referenced consultant puts in an offer: referenced since, charter version, commitment."""
    member, signature = who.member, who.signature
    assert member is not None and signature is not None and who.since is not None
    named = f"{member.name} ({member.organisation})" if member.organisation else member.name
    version = signature.charter[:12]
    since = _long_day(who.since, lang)
    every = _REVIEW_EVERY[lang][ledger.settings.period]
    name = ledger.settings.name
    if lang == "en":
        return (f"{named} has been a referenced consultant of the {name} commons since {since}, as a signatory of "
                f"its charter of reciprocity (version {version}). As such, {member.name} commits to give back to the "
                "commons part of what it helps them produce, through donations to the common pool and/or "
                "contributions (wiki pages, code, events, mentoring, response templates, translations, reviews). "
                f"What everyone uses and gives back is public in the commons' reciprocity ledger and reviewed "
                f"collectively {every}.")
    return (f"{named} figure parmi les consultants référencés du commun {name} depuis le {since}, en tant que "
            f"signataire de sa charte de réciprocité (version {version}). À ce titre, {member.name} s'engage à "
            "rendre au commun une part de ce que le commun l'aide à produire, par des dons au pot commun et/ou par des "
            "contributions (pages du wiki, code, événements, mentorat, modèles de réponse, traductions, relectures). "
            f"Ce que chacun utilise et rend est public dans le registre de réciprocité du commun et examiné "
            f"collectivement {every}.")


def template_values(ledger: Ledger, who: Standing, mission: Mission | None, lang: str = "fr") -> dict[str, str | None]:
    """Every placeholder's text for a referenced consultant; None where the ledger holds no value."""
    member = who.member
    assert member is not None and who.signature is not None and who.since is not None
    values: dict[str, str | None] = {
        "consultant.handle": member.id, "consultant.name": member.name,
        "consultant.organisation": member.organisation, "consultant.email": member.email,
        "consultant.referenced_since": _long_day(who.since, lang), "charter.version": who.signature.charter[:12],
        "fabrique.name": ledger.settings.name, "fabrique.currency": ledger.settings.currency,
        "today": _long_day(ledger.today, lang), "reciprocity_clause": reciprocity_clause(ledger, who, lang),
    }
    values.update({
        "mission.id": mission.id if mission else None,
        "mission.title": mission.title if mission else None,
        "mission.client": mission.client if mission else None,
        "mission.deadline": _long_day(mission.deadline, lang) if mission else None,
        "mission.skills": (", ".join(mission.skills) or None) if mission else None,
        "mission.url": mission.url if mission else None,
    })
    assert set(values) == set(PLACEHOLDERS)
    return values


def missing_value_reason(name: str, who: Standing, mission: Mission | None) -> str:
    """Why a known placeholder has no value, and where to give it one."""
    if name.startswith("mission."):
        if mission is None:
            return M_("no mission was given (--mission ID)")
        return M_("the mission has no {key} (ledger/missions/{id}.yaml)", key=name.split(".", 1)[1], id=mission.id)
    key = name.split(".", 1)[1]
    return M_("{handle} has no {key} in ledger/members/{handle}.yaml", handle=who.handle, key=key)
