"""Mission proposals (issue 8): who may see and take them, and the rule ``fab check`` applies to mission files.

Pure functions over a Ledger (the drafts of a mission, an interest and an assignment are in drafts.py; what
fills a response template, in templates.py).  Only referenced consultants (referencing.py) may see open proposals, express
interest in a mission or be assigned one; ``check_missions`` refuses a mission file where an
interest or an assignment names anyone else at that step's date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .i18n import M_, N_, InContext, Joined, Text
from .ledger import Ledger
from .problems import Problem, problem_at
from .records import Mission
from .referencing import Standing, standing

STEPS = ("interest", "assigned")
STEP_WORDS = {"interest": N_("interest"), "assigned": N_("assignment")}
HINT_REFERENCED = N_("only referenced consultants can express interest in or be assigned a mission")
STATUS_WORDS = {"open": N_("mission|open"), "assigned": N_("mission|assigned"), "closed": N_("mission|closed")}


def status_word(mission: Mission) -> Text:
    """The mission's status for people: 'open', 'assigned to bruno, david', 'closed' (translated)."""
    if mission.status == "assigned" and mission.assigned:
        return M_("assigned to {names}", names=", ".join(s.member for s in mission.assigned))
    return plain_status(mission)


def plain_status(mission: Mission) -> Text:
    """The status alone, worded when shown (« ouverte », « attribuée »: the French agrees with « mission »)."""
    return InContext(STATUS_WORDS[mission.status]) if mission.status in STATUS_WORDS else mission.status


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

def _at(mission: Mission, key: str, code: str, message: Text, hint: Text = "") -> Problem:
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


