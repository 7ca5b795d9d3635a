"""The six-monthly review (DESIGN §7–§8): reciprocity statuses and the agenda of the meeting.

Pure functions over a Ledger.  Who is referenced is in referencing.py; what a seal holds, in seals.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from .i18n import M_, Message
from .ledger import Ledger
from .periods import Period
from .records import Alert, Contribution, Donation, Member, Request, Signature, Use
from .referencing import is_referenced, latest_signature
from .split.period import counted_contributions, donation_value, reviews_by_target

ZERO = Fraction(0)
STATUSES = ("both", "donates", "contributes", "uses without giving back", "dormant")


def reference_day(ledger: Ledger, period: Period) -> date:
    """The day a period is judged on: its last day, or today while it is still running."""
    return min(period.end, ledger.today)


@dataclass(frozen=True)
class Reciprocity:
    """What one member used and gave back in a period."""

    member: Member
    uses: tuple[Use, ...]
    donations: Fraction
    contributions: int
    hours: Fraction
    value: Fraction
    reviews_given: int
    referenced: bool
    signature: Signature | None
    charter_current: bool

    @property
    def status(self) -> str:
        gives_money, gives_work = self.donations > 0, self.contributions > 0
        if gives_money and gives_work:
            return "both"
        if gives_money:
            return "donates"
        if gives_work:
            return "contributes"
        return "uses without giving back" if self.uses else "dormant"

    def suggested_donation(self, rate: Fraction | None) -> Fraction | None:
        revenues = [Fraction(u.mission_revenue) for u in self.uses if u.mission_revenue is not None]
        return rate * sum(revenues, ZERO) if rate is not None and revenues else None


def reciprocity(ledger: Ledger, period: Period) -> list[Reciprocity]:
    """One line per consultant, and per any other member who used the commons in the period."""
    day = reference_day(ledger, period)
    uses = _by(ledger.in_period(Use, period), "member")
    donations: dict[str, Fraction] = defaultdict(Fraction)
    for donation in ledger.in_period(Donation, period):
        donations[donation.donor] += donation_value(ledger, donation)
    counted = counted_contributions(ledger, ledger.settings, period)
    reviews = _by([r for r in ledger.reviews if ledger.period_of(r) == period], "reviewer")
    lines = []
    for handle, member in sorted(ledger.members.items()):
        if "consultant" not in member.roles and handle not in uses:
            continue
        mine = [c for c in counted if c.member == handle]
        signature = latest_signature(ledger, handle, day)
        lines.append(Reciprocity(
            member, tuple(uses.get(handle, ())), donations[handle], len({c.contribution.id for c in mine}),
            sum((Fraction(c.contribution.hours) * c.share for c in mine), ZERO), sum((c.value for c in mine), ZERO),
            len(reviews.get(handle, ())), is_referenced(ledger, handle, day), signature,
            signature is not None and signature.charter == ledger.charter_sha256,
        ))
    return lines


def _by(records, key: str) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for record in records:
        found[getattr(record, key)].append(record)
    return found


def dereferencing_candidates(ledger: Ledger, period: Period) -> list[tuple[Member, Message]]:
    """Referenced consultants with no donation and no counted contribution for grace_periods periods."""
    grace = ledger.settings.grace_periods
    window = [period]
    while len(window) < grace:
        window.append(window[-1].previous())
    day = reference_day(ledger, period)
    givers = set()
    for past in window:
        givers |= {d.donor for d in ledger.in_period(Donation, past)}
        givers |= {c.member for c in counted_contributions(ledger, ledger.settings, past) if c.value > 0}
    span = str(period) if grace == 1 else f"{window[-1]}–{period}"
    reason = M_("no donation and no counted contribution in {span}", span=span)
    return [(m, reason)
            for h, m in sorted(ledger.members.items())
            if "consultant" in m.roles and h not in givers and is_referenced(ledger, h, day)]


def outdated_signatures(ledger: Ledger, on: date) -> list[Signature]:
    """Each member's latest signature, when it signed another version of charter.md."""
    latest = [latest_signature(ledger, h, on) for h in sorted(ledger.members)]
    return [s for s in latest if s is not None and s.charter != ledger.charter_sha256]


def open_alerts(ledger: Ledger) -> list[tuple[Alert, bool]]:
    """Alerts still being followed (open, invited), each with whether its subject has signed since."""
    found = []
    for alert in sorted(ledger.alerts, key=lambda a: (a.date, a.id)):
        if alert.status in ("open", "invited"):
            signed = any(s.member == alert.about and s.date >= alert.date for s in ledger.signatures)
            found.append((alert, signed))
    return found


def unreviewed(ledger: Ledger, period: Period) -> list[Contribution]:
    reviews = reviews_by_target(ledger)
    return sorted((c for c in ledger.in_period(Contribution, period) if not reviews.get(c.id)),
                  key=lambda c: (c.date, c.id))


def pending_requests(ledger: Ledger, period: Period, approvals: int) -> list[tuple[Request, int, int]]:
    """Requests of the period that do not count yet: (request, approvals, objections)."""
    reviews = reviews_by_target(ledger)
    pending = []
    for request in sorted(ledger.in_period(Request, period), key=lambda r: r.id):
        verdicts = [r.verdict for r in reviews.get(request.id, []) if r.reviewer != request.member]
        if "object" in verdicts or verdicts.count("approve") < approvals:
            pending.append((request, verdicts.count("approve"), verdicts.count("object")))
    return pending
