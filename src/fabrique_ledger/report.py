"""The reciprocity page of a period (DESIGN §8) as one JSON-ready document.

Every renderer (terminal, Markdown, MediaWiki, CSV, HTML) draws from this one dict, so the
numbers are the same in every format, and the split is exactly ``fab split``'s.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from . import review
from .amounts import money_value as money
from .amounts import trimmed as number
from .ledger import Ledger
from .payouts import balances
from .periods import Period
from .records import Donation
from .settings import Settings, digits_of
from .split.period import counted_contributions, donation_value
from .split.view import for_period as split_for_period


def build_report(ledger: Ledger, period: Period) -> dict:
    """The page of ``period``; a closed period's pool and split are its seal's (the one truth of a closed period)."""
    settings = ledger.settings
    day = review.reference_day(ledger, period)
    seal = ledger.sealed(period)
    split = split_for_period(ledger, period)
    currency = split["currency"]  # a closed period's is its seal's, whatever the settings say now
    d = digits_of(currency)
    return {
        "title": settings.name,
        "period": str(period),
        "start": str(period.start),
        "end": str(period.end),
        "currency": currency,
        "generated": str(ledger.today),
        "closed": seal is not None,
        "pool": {
            "donations": split["donations"], "carried_in": split["carried_in"], "total": split["pool"],
            "commons": split["commons"], "distributable": split["distributable"], "sources": _sources(ledger, period, d),
        },
        "reciprocity": [_reciprocity_row(line, settings, d) for line in review.reciprocity(ledger, period)],
        "contributors": _contributors(ledger, settings, period),
        "contributions_by_kind": _by_kind(ledger, settings, period),
        "split": split,
        "agenda": {
            "dereferencing_candidates": [{"member": m.id, "name": m.name, "reason": why}
                                         for m, why in review.dereferencing_candidates(ledger, period)],
            "outdated_signatures": [{"member": s.member, "name": _name(ledger, s.member), "signed": str(s.date),
                                     "charter": s.charter[:12]} for s in review.outdated_signatures(ledger, day)],
            "alerts": [{"id": a.id, "about": a.about, "evidence": a.evidence, "reported_by": a.reported_by,
                        "date": str(a.date), "status": a.status, "note": a.note, "signed_since": signed}
                       for a, signed in review.open_alerts(ledger)],
            "unreviewed_contributions": [{"id": c.id, "title": c.title, "authors": [a.member for a in c.authors],
                                          "kind": c.kind, "hours": number(Fraction(c.hours), 2), "date": str(c.date)}
                                         for c in review.unreviewed(ledger, period)],
            "pending_requests": [{"id": r.id, "member": r.member, "amount": money(Fraction(r.amount), d),
                                  "approvals": ok, "needed": _approvals(settings), "objections": no}
                                 for r, ok, no in review.pending_requests(ledger, period, _approvals(settings))],
        },
        "payments": _payments(ledger, period, d) if seal is not None else None,
        "warnings": list(split["warnings"]),
    }


def _payments(ledger: Ledger, period: Period, digits: int) -> dict:
    """For a closed period: per member, what the seal pays, what Payment records paid, what is still owed."""
    rows = balances(ledger, period)
    return {
        "due": money(sum((b.due for b in rows), Decimal(0)), digits),
        "paid": money(sum((b.paid for b in rows), Decimal(0)), digits),
        "owed": money(sum((b.owed for b in rows), Decimal(0)), digits),
        "members": [{"member": b.member, "name": _name(ledger, b.member), "due": money(b.due, digits),
                     "paid": money(b.paid, digits), "owed": money(b.owed, digits), "references": list(b.references)}
                    for b in rows],
    }


def _name(ledger: Ledger, handle: str) -> str:
    member = ledger.members.get(handle)
    return member.name if member is not None else handle


def _approvals(settings: Settings) -> int:
    parts = [p for p in settings.policy.parts() if p.name == "requests"]
    return int(parts[0].param("approvals")) if parts else 1


def _sources(ledger: Ledger, period: Period, digits: int) -> list[dict]:
    totals: dict[str, Fraction] = defaultdict(Fraction)
    counts: dict[str, int] = defaultdict(int)
    for donation in ledger.in_period(Donation, period):
        totals[donation.donor] += donation_value(ledger, donation)
        counts[donation.donor] += 1
    return [{"donor": h, "name": _name(ledger, h), "amount": money(totals[h], digits), "count": counts[h]}
            for h in sorted(totals, key=lambda h: (-totals[h], h))]


def _reciprocity_row(line: review.Reciprocity, settings: Settings, digits: int) -> dict:
    rate = Fraction(settings.suggested_rate) if settings.suggested_rate is not None else None
    suggested = line.suggested_donation(rate)
    revenue = [Fraction(u.mission_revenue) for u in line.uses if u.mission_revenue is not None]
    return {
        "member": line.member.id, "name": line.member.name, "organisation": line.member.organisation,
        "referenced": line.referenced, "signed": str(line.signature.date) if line.signature else None,
        "charter_current": line.charter_current, "uses": len(line.uses),
        "resources": [u.resource for u in line.uses],
        "mission_revenue": money(sum(revenue, Fraction(0)), digits) if revenue else None,
        "suggested_donation": money(suggested, digits) if suggested is not None else None,
        "donations": money(line.donations, digits), "contributions": line.contributions,
        "hours": number(line.hours, 2), "value": number(line.value), "reviews_given": line.reviews_given,
        "status": line.status,
    }


def _contributors(ledger: Ledger, settings: Settings, period: Period) -> list[dict]:
    """Everyone who contributed in the period, by value (then hours, then handle)."""
    people: dict[str, dict] = {}
    for item in counted_contributions(ledger, settings, period):
        row = people.setdefault(item.member, {"ids": set(), "hours": Fraction(0), "value": Fraction(0), "kinds": defaultdict(Fraction)})
        row["ids"].add(item.contribution.id)
        hours = Fraction(item.contribution.hours) * item.share
        row["hours"] += hours
        row["value"] += item.value
        row["kinds"][item.contribution.kind] += hours
    ranked = sorted(people.items(), key=lambda kv: (-kv[1]["value"], -kv[1]["hours"], kv[0]))
    return [{"rank": i, "member": h, "name": _name(ledger, h), "contributions": len(row["ids"]),
             "hours": number(row["hours"], 2), "value": number(row["value"]),
             "kinds": {k: number(v, 2) for k, v in sorted(row["kinds"].items())}}
            for i, (h, row) in enumerate(ranked, start=1)]


def _by_kind(ledger: Ledger, settings: Settings, period: Period) -> list[dict]:
    kinds: dict[str, dict] = {}
    for item in counted_contributions(ledger, settings, period):
        row = kinds.setdefault(item.contribution.kind, {"ids": set(), "hours": Fraction(0), "value": Fraction(0)})
        row["ids"].add(item.contribution.id)
        row["hours"] += Fraction(item.contribution.hours) * item.share
        row["value"] += item.value
    return [{"kind": k, "count": len(r["ids"]), "hours": number(r["hours"], 2), "value": number(r["value"])}
            for k, r in sorted(kinds.items(), key=lambda kv: (-kv[1]["value"], kv[0]))]
