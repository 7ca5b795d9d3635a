"""Response templates: Markdown texts with placeholders like ``{{consultant.name}}``.

Pure string work on texts the command line reads from ``templates/``: the first heading of a
template, its placeholders with their line and column, the unknown ones (a typo must not end up in
an offer sent to a client), and the filled text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .i18n import M_, N_, Message, Text
from .ledger import Ledger
from .records import Mission
from .referencing import Standing
from .shown import long_day

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


@dataclass(frozen=True)
class Slot:
    """One placeholder as written in a template: its name, where it starts, and its exact text."""

    name: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class TemplateProblem:
    """A mistake in a template file, at its place."""

    path: str
    line: int
    column: int
    message: Text
    hint: Text = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def heading(text: str) -> str | None:
    """The text of the first Markdown heading (``# Title``), or None."""
    for line in text.splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match and match.group(1):
            return match.group(1)
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def slots(text: str) -> list[Slot]:
    """Every ``{{ name }}`` of the text, in order."""
    return [Slot(m.group(1).strip(), *_line_col(text, m.start()), m.group(0)) for m in PLACEHOLDER.finditer(text)]


def problems(text: str, path: str, known: Iterable[str]) -> list[TemplateProblem]:
    """Unknown or malformed placeholders, and ``{{`` that is never closed."""
    known = list(known)
    found = []
    for slot in slots(text):
        if "\n" in slot.text or "{{" in slot.text[2:]:
            found.append(TemplateProblem(path, slot.line, slot.column, M_("'{{' opens a placeholder that is not closed by '}}' on its line"),
                                         M_("write placeholders on one line, like {{consultant.name}}")))
        elif slot.name not in known:
            close = difflib.get_close_matches(slot.name, known, n=1, cutoff=0.6)
            hint = (M_("did you mean {placeholder}?", placeholder="{{" + close[0] + "}}") if close
                    else M_("known placeholders: {names}", names=", ".join("{{" + k + "}}" for k in known)))
            what = M_(N_("unknown placeholder {text}") if NAME.match(slot.name) else N_("{text} is not a placeholder name"),
                      text=slot.text)
            found.append(TemplateProblem(path, slot.line, slot.column, what, hint))
    rest = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    start = rest.find("{{")
    if start >= 0:
        line, column = _line_col(text, start)
        found.append(TemplateProblem(path, line, column, M_("'{{' opens a placeholder that is never closed by '}}'"),
                                     M_("close it, like {{consultant.name}}")))
    return sorted(found, key=lambda p: (p.line, p.column))


def fill(text: str, values: Mapping[str, str | None]) -> tuple[str, list[Slot]]:
    """The text with each placeholder replaced by its value; placeholders without a value (None) are
    left as written, and returned so that the caller can say what is left to complete.

    Call ``problems`` first: names not in ``values`` are left as written too.
    """
    left: list[Slot] = []
    by_start = {(s.line, s.column): s for s in slots(text)}

    def replace(match: re.Match) -> str:
        name = match.group(1).strip()
        value = values.get(name)
        if value is None:
            left.append(by_start[_line_col(text, match.start())])
            return match.group(0)
        return value

    return PLACEHOLDER.sub(replace, text), left


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


def reciprocity_clause(ledger: Ledger, who: Standing, lang: str = "fr") -> str:
    """The paragraph a referenced consultant puts in an offer: referenced since, charter version, commitment."""
    member, signature = who.member, who.signature
    assert member is not None and signature is not None and who.since is not None
    named = f"{member.name} ({member.organisation})" if member.organisation else member.name
    version = signature.charter[:12]
    since = long_day(who.since, lang)
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
        "consultant.referenced_since": long_day(who.since, lang), "charter.version": who.signature.charter[:12],
        "fabrique.name": ledger.settings.name, "fabrique.currency": ledger.settings.currency,
        "today": long_day(ledger.today, lang), "reciprocity_clause": reciprocity_clause(ledger, who, lang),
    }
    values.update({
        "mission.id": mission.id if mission else None,
        "mission.title": mission.title if mission else None,
        "mission.client": mission.client if mission else None,
        "mission.deadline": long_day(mission.deadline, lang) if mission else None,
        "mission.skills": (", ".join(mission.skills) or None) if mission else None,
        "mission.url": mission.url if mission else None,
    })
    assert set(values) == set(PLACEHOLDERS)
    return values


def missing_value_reason(name: str, who: Standing, mission: Mission | None) -> Message:
    """Why a known placeholder has no value, and where to give it one."""
    if name.startswith("mission."):
        if mission is None:
            return M_("no mission was given (--mission ID)")
        return M_("the mission has no {key} (ledger/missions/{id}.yaml)", key=name.split(".", 1)[1], id=mission.id)
    key = name.split(".", 1)[1]
    return M_("{handle} has no {key} in ledger/members/{handle}.yaml", handle=who.handle, key=key)
