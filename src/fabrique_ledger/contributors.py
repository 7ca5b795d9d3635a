"""The thank-you page of the commons' contributors (issue 8), in the spirit of all-contributors.

Everyone whose work counts in the ledger (a contribution with some value: no standing objection,
and reviewed when the settings require it) and everyone who donated to the pool, each with a badge
(an emoji) per kind of what they gave.  For one period, or for every period of the ledger.
Pure: a Ledger in, a JSON-ready dict out; ``render/contributors.py`` draws the page.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypedDict

from .i18n import N_, _
from .ledger import Ledger
from .periods import Period
from .records import Donation
from .split.period import counted_contributions

# The all-contributors emoji key, for the kinds of the ledger (custom kinds get OTHER).
EMOJI = {
    "wiki": ("📖", N_("wiki")),
    "code": ("💻", N_("code")),
    "event": ("📋", N_("events")),
    "mentoring": ("🧑‍🏫", N_("mentoring")),
    "template": ("🖋", N_("templates")),
    "translation": ("🌍", N_("translation")),
    "review-work": ("👀", N_("reviews")),
    "other": ("✨", N_("other")),
    "donation": ("💵", N_("donations")),
}
OTHER = "✨"
DONATION = "donation"


class Given(TypedDict):
    """One kind of what a contributor gave: its badge and how many records of it."""

    kind: str
    emoji: str
    label: str
    count: int


class Contributor(TypedDict):
    """One person of the page: who they are and each kind of what they gave."""

    member: str
    name: str
    wiki_user: str | None
    kinds: list[Given]


def badge(kind: str) -> tuple[str, str]:
    """(emoji, words) of a kind of contribution, the words in the reader's language; a kind named in the
    settings keeps its own name."""
    if kind in EMOJI:
        emoji, words = EMOJI[kind]
        return emoji, _(words)
    return OTHER, kind


def build_contributors(ledger: Ledger, period: Period | None = None) -> dict:
    """The page's data: who gave what kinds, over ``period`` or every period of the ledger."""
    periods = [period] if period is not None else ledger.periods()
    kinds: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for p in periods:
        for item in counted_contributions(ledger, ledger.settings, p):
            if item.value > 0:
                kinds[item.member][item.contribution.kind].add(item.contribution.id)
    for donation in ledger.of(Donation):
        if period is None or ledger.period_of(donation) == period:
            kinds[donation.donor][DONATION].add(donation.id)
    order = [*ledger.settings.kinds, DONATION]
    people: list[Contributor] = []
    for handle, given in kinds.items():
        member = ledger.members.get(handle)
        ranked = sorted(given, key=lambda k: (order.index(k) if k in order else len(order), k))
        people.append({
            "member": handle,
            "name": member.name if member is not None else handle,
            "wiki_user": member.wiki_user if member is not None else None,
            "kinds": [{"kind": k, "emoji": badge(k)[0], "label": badge(k)[1], "count": len(given[k])} for k in ranked],
        })
    people.sort(key=lambda p: (p["name"].casefold(), p["member"]))
    used = sorted({k["kind"] for p in people for k in p["kinds"]}, key=lambda k: (order.index(k) if k in order else len(order), k))
    known = ledger.periods()
    if period is not None:
        span = str(period)
    elif not known:
        span = None
    else:
        span = str(known[0]) if len(known) == 1 else f"{known[0]}–{known[-1]}"
    return {
        "title": ledger.settings.name,
        "period": str(period) if period is not None else None,
        "span": span,
        "generated": str(ledger.today),
        "contributors": people,
        "key": [{"kind": k, "emoji": badge(k)[0], "label": badge(k)[1]} for k in used],
    }
