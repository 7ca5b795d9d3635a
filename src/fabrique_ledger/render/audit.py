"""The audit trail for people: ``fab log``, ``fab diff`` (text, a pull-request comment, JSON),
``fab verify``, and the records' JSON Schemas for editors.

Each record change becomes one sentence a reviewer understands without opening the file
("chloe records 10 h of code: Chargeur GTFS"); amounts read as on the reciprocity page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..audit import (
    FieldChange, Finding, LogEntry, RecordChange, SplitEffect, Verification, fields_text, jsonable, value_text,
)
from ..problems import Problem
from ..records import (
    Alert, Allocation, Contribution, Donation, Member, Mission, Payment, Record, Request, Review, Seal, Signature, Use,
)
from ..settings import MINOR_DIGITS, Settings
from .numbers import money
from .problems import as_text, summary
from .report import _md, _plural, pretty_money
from .split import _policy_words

MARKS = {"added": "+", "changed": "~", "removed": "-"}
MD_MARKS = {"added": "➕", "changed": "✏️", "removed": "➖"}


# --- sentences ---------------------------------------------------------------------------------------

def _cash(amount: Decimal, currency: str) -> str:
    """1500 -> '1,500.00 EUR' (the currency's digits; more digits, a problem of its own, are kept)."""
    digits = MINOR_DIGITS.get(currency, 2)
    return pretty_money(money(amount, digits) if -amount.as_tuple().exponent <= digits else str(amount), currency)


def _hours(value: Any) -> str:
    return value_text(value.normalize() if hasattr(value, "normalize") else value)


def _people(handles: Sequence[str]) -> str:
    return handles[0] if len(handles) == 1 else ", ".join(handles[:-1]) + " and " + handles[-1]


def subject(record: Record, currency: str) -> str:
    """How a sentence names an existing record: "bruno's donation of 1,500.00 EUR"."""
    if isinstance(record, Contribution):
        return f"{_people([a.member for a in record.authors])}'s contribution '{record.title}'"
    if isinstance(record, Donation):
        return f"{record.donor}'s donation of {_cash(record.amount, record.currency or currency)}"
    if isinstance(record, Member):
        return f"member {record.id} ({record.name})"
    if isinstance(record, Signature):
        return f"{record.member}'s signature of {record.date}"
    if isinstance(record, Use):
        return f"{record.member}'s use of {record.resource}"
    if isinstance(record, Review):
        return f"{record.reviewer}'s review of {record.target}"
    if isinstance(record, Request):
        return f"{record.member}'s request of {_cash(record.amount, currency)}"
    if isinstance(record, Allocation):
        return f"{record.giver}'s points for {record.source.path.split('/')[2]}"
    if isinstance(record, Alert):
        return f"the alert about {record.about}"
    if isinstance(record, Seal):
        return f"the seal of {record.id}"
    if isinstance(record, Mission):
        return f"the mission '{record.title}'"
    if isinstance(record, Payment):
        return f"the payment {record.reference} of {record.period}"
    return f"{record.record_kind} {record.id}"


def _verdict(review: Review) -> str:
    score = f" (score {review.score})" if review.score is not None else ""
    verb = "approves" if review.verdict == "approve" else "objects to"
    return f"{review.reviewer} {verb} {review.target}{score}"


def added(record: Record, currency: str) -> str:
    """A new record in one sentence: "chloe records 10 h of code: Chargeur GTFS"."""
    if isinstance(record, Contribution):
        authors = [a.member for a in record.authors]
        verb = "records" if len(authors) == 1 else "record"
        return f"{_people(authors)} {verb} {_hours(record.hours)} h of {record.kind}: {record.title}"
    if isinstance(record, Donation):
        rate = f" at rate {value_text(record.rate)}" if record.currency and record.currency != currency and record.rate else ""
        return f"{record.donor} donates {_cash(record.amount, record.currency or currency)}{rate} on {record.date}"
    if isinstance(record, Member):
        return f"{record.id} joins as {' and '.join(record.roles)} ({record.name})"
    if isinstance(record, Signature):
        return f"{record.member} signs the charter (version {record.charter[:12]}) on {record.date}"
    if isinstance(record, Use):
        mission = f" for the mission '{record.mission}'" if record.mission else ""
        revenue = f" (mission revenue {_cash(record.mission_revenue, currency)})" if record.mission_revenue else ""
        return f"{record.member} uses {record.resource}{mission}{revenue}"
    if isinstance(record, Review):
        return _verdict(record)
    if isinstance(record, Request):
        return f"{record.member} requests {_cash(record.amount, currency)} from the pool for {record.source.path.split('/')[2]}"
    if isinstance(record, Allocation):
        given = ", ".join(f"{h} {n}" for h, n in record.points.items())
        return f"{record.giver} gives points for {record.source.path.split('/')[2]}: {given}"
    if isinstance(record, Alert):
        return f"{record.reported_by} reports {record.about} for using the commons without reciprocity ({record.evidence})"
    if isinstance(record, Seal):
        paid = sum(record.payouts.values(), Decimal(0))
        return (f"{record.id} is closed: {_cash(paid, currency)} paid to {_plural(len(record.payouts), 'member')}, "
                f"{_cash(record.carried_over, currency)} carried over")
    if isinstance(record, Mission):
        return f"{record.posted_by} posts the mission '{record.title}' for {record.client} (deadline {record.deadline})"
    if isinstance(record, Payment):
        paid = ", ".join(f"{h} {_cash(a, currency)}" for h, a in record.paid.items())
        return f"payouts of {record.period} are paid ({record.reference}): {paid}"
    return f"{record.record_kind} {record.id} is added"


def changed(change: RecordChange, currency: str) -> str:
    """A changed record: "bruno's donation of 1,500.00 EUR changes to 1,200.00 EUR"."""
    before, after, fields = change.before, change.after, list(change.fields)
    names = {f.field for f in fields}
    moved = f" (moved from {change.moved_from})" if change.moved_from else ""
    if isinstance(after, Donation) and isinstance(before, Donation) and names == {"amount"}:
        return f"{subject(before, currency)} changes to {_cash(after.amount, after.currency or currency)}{moved}"
    if isinstance(after, Review) and "verdict" in names:
        return f"{after.reviewer} now {_verdict(after).split(' ', 1)[1]}{moved}"
    if isinstance(after, Alert) and names <= {"status", "note"}:
        note = f" ({after.note})" if "note" in names and after.note else ""
        return f"the alert about {after.about} is now {after.status}{note}"
    if isinstance(after, Seal) and isinstance(before, Seal) and before.sealed and not after.sealed:
        return f"{after.id} is reopened: {after.reason}"
    if isinstance(before, Seal) and isinstance(after, Seal) and not before.sealed and after.sealed:
        return added(after, currency).replace(" is closed:", " is closed again:")
    if change.kind == "settings":
        return f"the settings change: {fields_text(fields)}"
    if change.kind == "charter":
        return "charter.md changes: signatures of the previous version become outdated"
    if before is None or after is None:
        return f"{change.path} changes (it cannot be read: see the problems below)"
    what = f": {fields_text(fields)}" if fields else ""
    return f"{subject(before, currency)} changes{what}{moved}"


def sentence(change: RecordChange, currency: str) -> str:
    if change.action == "changed":
        return changed(change, currency)
    record = change.after if change.action == "added" else change.before
    if change.kind == "charter":
        return f"charter.md is {change.action}"
    if record is None:
        return f"{change.path} is {change.action} (it cannot be read: see the problems below)"
    return added(record, currency) if change.action == "added" else f"{subject(record, currency)} is removed"


# --- fab diff --------------------------------------------------------------------------------------

def _signed(amount: Fraction, digits: int) -> str:
    """'+150.00', '-150.00': a difference, as data."""
    text = money(abs(amount), digits)
    return f"+{text}" if amount > 0 else f"-{text}" if amount < 0 else text


def _change(before: Fraction, after: Fraction, digits: int) -> dict:
    return {"before": money(before, digits), "after": money(after, digits), "difference": _signed(after - before, digits)}


def diff_data(base: dict, head: dict, changes: list[RecordChange], problems: Sequence[Problem], records: int,
              effect: SplitEffect, currency: str) -> dict:
    """Everything fab diff shows, as JSON-ready data (the text and Markdown forms are drawn from it)."""
    d = effect.after.digits
    return {
        "base": base,
        "head": head,
        "changes": [{"action": c.action, "kind": c.kind, "path": c.path, "moved_from": c.moved_from,
                     "sentence": sentence(c, currency),
                     "fields": [{"field": f.field, "before": jsonable(f.before), "after": jsonable(f.after)} for f in c.fields]}
                    for c in changes],
        "check": {"errors": sum(p.severity == "error" for p in problems), "warnings": sum(p.severity != "error" for p in problems),
                  "records": records, "problems": [p.as_dict() for p in problems]},
        "split": {
            "period": str(effect.period),
            "currency": effect.after.currency,
            "policy": effect.after.policy.describe(),
            "pool": {"before": money(effect.before.pool, d), "after": money(effect.after.pool, d)},
            "carried_over": _change(effect.before.result.carried_over, effect.after.result.carried_over, d),
            "payouts": [{"member": p.member, **_change(p.before, p.after, d)} for p in effect.payouts],
        },
    }


def _split_lines(data: dict) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The split effect's heading and rows (who, before, after, difference), carry-over last."""
    split = data["split"]
    heading = f"{split['period']} ({_policy_words(split['policy'])})"
    rows = [(p["member"], pretty_money(p["before"]), pretty_money(p["after"]), _pretty_signed(p["difference"]))
            for p in split["payouts"]]
    carried = split["carried_over"]
    if carried["before"] != carried["after"]:
        rows.append(("carried over", pretty_money(carried["before"]), pretty_money(carried["after"]),
                     _pretty_signed(carried["difference"])))
    return heading, rows


def _pretty_signed(text: str) -> str:
    return text[0] + pretty_money(text[1:]) if text[:1] in "+-" else pretty_money(text)


def _pool_words(data: dict) -> str:
    pool, cur = data["split"]["pool"], data["split"]["currency"]
    if pool["before"] == pool["after"]:
        return f"pool {pretty_money(pool['after'], cur)}"
    return f"pool {pretty_money(pool['before'], cur)} → {pretty_money(pool['after'], cur)}"


def diff_text(data: dict) -> str:
    """The terminal view: changes, the check of HEAD, the effect on the open period's split."""
    lines = [f"fab diff {data['base']['label']} → {data['head']['label']}", ""]
    lines.append(f"Changes ({len(data['changes'])}):" if data["changes"] else "No record changes.")
    lines += [f"  {MARKS[c['action']]} {c['sentence']}" for c in data["changes"]]
    check = data["check"]
    problems = [Problem(**{k: v for k, v in p.items()}) for p in check["problems"]]
    lines += ["", f"Check of {data['head']['label']}: {summary(problems, check['records'])}"]
    if problems:
        lines += [as_text(problems)]
    heading, rows = _split_lines(data)
    lines += ["", f"Effect on the split of {heading}, {_pool_words(data)}:"]
    if not rows:
        lines.append("  no one's amount changes")
    width = max((len(r[0]) for r in rows), default=0)
    lines += [f"  {who:<{width}}  {before} → {after}  ({delta})" for who, before, after, delta in rows]
    return "\n".join(lines) + "\n"


def diff_markdown(data: dict) -> str:
    """A pull-request comment: what changes in words, the check (✅/❌), the effect on the split."""
    lines = [f"## Ledger changes: `{_md(data['base']['label'])}` → `{_md(data['head']['label'])}`", ""]
    if data["changes"]:
        lines += [f"- {MD_MARKS[c['action']]} {_md(c['sentence'])} (`{_md(c['path'])}`)" for c in data["changes"]]
    else:
        lines.append("No record changes.")
    check = data["check"]
    problems = [Problem(**p) for p in check["problems"]]
    lines += ["", "### Check", ""]
    if check["errors"]:
        lines.append(f"❌ `fab check` finds {summary(problems, check['records'])}:")
    else:
        lines.append(f"✅ `fab check` finds no problem ({summary(problems, check['records'])})")
    if problems:
        lines += ["", "```text", as_text(problems).replace("```", "'''"), "```"]
    heading, rows = _split_lines(data)
    pool = _md(_pool_words(data))
    lines += ["", f"### Effect on the split of {_md(heading)}", "", f"{pool[:1].upper()}{pool[1:]}.", ""]
    if rows:
        lines += ["| member | before | after | difference |", "|---|---:|---:|---:|"]
        lines += [f"| {_md(who)} | {before} | {after} | {delta} |" for who, before, after, delta in rows]
    else:
        lines.append("No one's amount changes.")
    return "\n".join(lines) + "\n"


# --- fab log ---------------------------------------------------------------------------------------

def log_data(entries: list[LogEntry], what: dict) -> dict:
    return {
        **what,
        "commits": [{
            "commit": e.commit.sha, "short": e.commit.short, "date": e.commit.date, "author": e.commit.author,
            "email": e.commit.email, "message": e.commit.subject, "signed": e.commit.signed,
            "changes": [{"path": line.change.path, "action": line.action,
                         "from": line.change.old_path if line.action == "moved" else None, "text": line.text,
                         "fields": [_field(f) for f in line.fields]} for line in e.lines],
        } for e in entries],
    }


def _field(change: FieldChange) -> dict:
    return {"field": change.field, "before": jsonable(change.before), "after": jsonable(change.after)}


def log_text(entries: list[LogEntry], title: str) -> str:
    """One block per commit, oldest first: date, short sha, author, message, then each file's change."""
    if not entries:
        return f"{title}: no commit\n"
    lines = [f"{title}: {_plural(len(entries), 'commit')}, oldest first", ""]
    for entry in entries:
        c = entry.commit
        signed = " [signed]" if c.signed else ""
        lines.append(f"{c.day}  {c.short}  {c.author} <{c.email}>{signed}  {c.subject}")
        lines += [f"    {line.change.path}: {line.text}" for line in entry.lines]
    return "\n".join(lines) + "\n"


# --- fab verify ------------------------------------------------------------------------------------

def verify_data(result: Verification, strict: bool) -> dict:
    findings = result.all_findings
    return {
        "ok": not result.failed(strict),
        "periods": [{"period": s.seal.id, "path": s.seal.source.path, "records": len(s.seal.files),
                     "commit": s.commit.sha if s.commit else None, "subject": s.commit.subject if s.commit else None,
                     "signed": bool(s.commit and s.commit.signed),
                     "ok": not any(f.severity == "error" for f in s.findings)} for s in result.seals],
        "records": result.sealed_records,
        "commits": result.commits,
        "signed_commits": result.signed,
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "findings": [f.as_dict() for f in findings],
    }


def _finding_lines(finding: Finding) -> list[str]:
    label = "" if finding.severity == "error" else f"{finding.severity}: "
    where = f"{finding.path}: " if finding.path else ""
    lines = [f"{where}{finding.code} {label}{finding.message}"]
    lines += [f"  commit {c.label} by {c.author} <{c.email}> on {c.day}" for c in finding.commits]
    return lines


def verify_text(result: Verification, strict: bool) -> str:
    """Per closed period what was compared and found, then the ledger-wide findings and a summary."""
    lines: list[str] = []
    for check in result.seals:
        sealed_by = f"sealed by {check.commit.label} on {check.commit.day}" if check.commit else "never committed"
        errors = [f for f in check.findings if f.severity == "error"]
        status = "ok" if not errors else _plural(len(errors), "problem")
        lines.append(f"{check.seal.id}: {status}, {_plural(len(check.seal.files), 'sealed record')}, {sealed_by}")
        for finding in check.findings:
            lines += ["  " + line for line in _finding_lines(finding)]
    for finding in result.findings:
        lines += _finding_lines(finding)
    lines.append(_signed_line(result))
    lines.append(verify_summary(result, strict))
    return "\n".join(lines) + "\n"


def _signed_line(result: Verification) -> str:
    if not result.signed:
        return f"signed commits: none of {_plural(result.commits, 'commit')}"
    return f"signed commits: {result.signed} of {_plural(result.commits, 'commit')} (GPG or SSH)"


def verify_summary(result: Verification, strict: bool) -> str:
    findings = result.all_findings
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    periods = ", ".join(s.seal.id for s in result.seals)
    what = (f"verified {_plural(len(result.seals), 'closed period')}{f' ({periods})' if periods else ''} "
            f"and {_plural(result.sealed_records, 'sealed record')}")
    tally = f"{_plural(errors, 'problem')}, {_plural(warnings, 'warning')}"
    return f"{'FAILED' if result.failed(strict) else 'ok'}: {what}; {tally}"


# --- fab schema ------------------------------------------------------------------------------------

def record_schema(kind: type[Record], contribution_kinds: Sequence[str] = ()) -> dict:
    """The JSON Schema of one kind of record file, from its Pydantic model (validation mode):
    what an editor needs to complete keys and flag mistakes, without fab's internal fields."""
    schema = kind.model_json_schema()
    for internal in ("id", "source"):
        schema.get("properties", {}).pop(internal, None)
        if internal in schema.get("required", []):
            schema["required"].remove(internal)
    schema.get("$defs", {}).pop("Source", None)
    if kind is Contribution:  # 'authors: alice' is shorthand for one author with the whole share
        authors = schema["properties"]["authors"]
        schema["properties"]["authors"] = {"title": authors.get("title", "Authors"),
                                           "anyOf": [{"type": "string", "pattern": schema["$defs"]["Author"]["properties"]["member"]["pattern"]},
                                                     {k: v for k, v in authors.items() if k != "title"}]}
        if contribution_kinds:
            schema["properties"]["kind"]["examples"] = list(contribution_kinds)
    schema["title"] = f"fab {kind.record_kind} ({kind.folder})"
    return _tidy(schema)


def _tidy(schema: dict) -> dict:
    """Pydantic's schema made right for validators: list lengths as minItems/maxItems, no empty $defs."""
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                for old, new in (("minLength", "minItems"), ("maxLength", "maxItems")):
                    if old in node:
                        node[new] = node.pop(old)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    if not schema.get("$defs", True):
        del schema["$defs"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def settings_schema() -> dict:
    """The JSON Schema of ledger/fabrique.yaml."""
    return _tidy({**Settings.model_json_schema(), "title": "fab settings (ledger/fabrique.yaml)"})


def schema_json(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
