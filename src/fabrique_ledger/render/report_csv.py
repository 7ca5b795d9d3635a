"""The reciprocity report as CSV: one table per section, data rather than a page (raw amounts, ISO dates,
English words), with no cell a spreadsheet would run as a formula (escape.csv_text)."""

from __future__ import annotations

from .escape import csv_text
from .report_layout import AGENDA, SECTIONS, counted, names

AGENDA_COLUMNS = ["list", "id", "date", "member", "subject", "kind", "hours", "amount", "currency", "status",
                  "detail", "url"]


def _csv_rows(report: dict, section: str) -> tuple[list[str], list[list]]:
    period, cur = report["period"], report["currency"]
    if section == "pool":
        return (["period", "donor", "name", "donations", "amount", "currency"],
                [[period, s["donor"], s.get("name") or "", s["count"], s["amount"], cur]
                 for s in report["pool"].get("sources", [])])
    if section == "reciprocity":
        return (["period", "member", "name", "organisation", "referenced", "signed", "charter_current", "uses",
                 "resources", "mission_revenue", "suggested_donation", "donations", "currency", "contributions",
                 "hours", "value", "reviews_given", "status"],
                [[period, r["member"], r.get("name") or "", r.get("organisation") or "", _flag(r.get("referenced")),
                  r.get("signed") or "", _flag(r.get("charter_current")), r["uses"], "; ".join(r.get("resources") or []),
                  r.get("mission_revenue") or "", r.get("suggested_donation") or "", r["donations"], cur,
                  r["contributions"], r["hours"], r["value"], r["reviews_given"], r["status"]]
                 for r in report.get("reciprocity", [])])
    if section == "contributors":
        kinds = [k["kind"] for k in report.get("contributions_by_kind", [])]
        kinds += sorted({k for c in report.get("contributors", []) for k in c.get("kinds", {})} - set(kinds))
        return (["period", "rank", "member", "name", "contributions", "hours", "value", *(f"hours_{k}" for k in kinds)],
                [[period, c["rank"], c["member"], c.get("name") or "", c["contributions"], c["hours"], c["value"],
                  *(c.get("kinds", {}).get(k, "0") for k in kinds)]
                 for c in report.get("contributors", [])])
    if section == "split":
        return (["period", "member", "amount", "currency", "share", "score"],
                [[period, p["member"], p["amount"], cur, p["share"], p["score"]]
                 for p in report["split"].get("payouts", [])])
    if section == "agenda":
        rows = []
        known = names(report)
        for key, _heading, _empty in AGENDA:
            for r in report.get("agenda", {}).get(key, []):
                row = dict.fromkeys(AGENDA_COLUMNS, "")
                row["list"] = key
                if key == "dereferencing_candidates":
                    row.update(member=r["member"], subject=r.get("name") or "", detail=r["reason"])
                elif key == "outdated_signatures":
                    row.update(member=r["member"], subject=r.get("name") or "", date=r["signed"],
                               detail=f"charter {r['charter']}")
                elif key == "alerts":
                    row.update(id=r["id"], date=r["date"], member=r["reported_by"], subject=r["about"],
                               status=r["status"], url=r["evidence"],
                               detail="; ".join(x for x in (r.get("note") or "",
                                                            "signed since" if r.get("signed_since") else "") if x))
                elif key == "unreviewed_contributions":
                    row.update(id=r["id"], date=r["date"], member=" ".join(r.get("authors", [])), subject=r["title"],
                               kind=r["kind"], hours=r["hours"])
                elif key == "pending_requests":
                    row.update(id=r["id"], member=r["member"], subject=known.get(r["member"], ""), amount=r["amount"],
                               currency=cur, status=f"{r['approvals']}/{r['needed']} approvals",
                               detail=counted(r["objections"], "objection"))
                rows.append([row[c] for c in AGENDA_COLUMNS])
        return AGENDA_COLUMNS, rows
    raise ValueError(f"unknown report section {section!r}: the sections are {', '.join(SECTIONS)}")


def _flag(value) -> str:
    return "true" if value else "false"


def as_csv(report: dict, section: str) -> str:
    """One section as a CSV table with a header row: raw amounts, ISO dates (data, not a page); no cell is a
    formula (escape.csv_text)."""
    return csv_text(*_csv_rows(report, section))
