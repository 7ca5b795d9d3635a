"""The audit trail for people: ``fab log``, ``fab diff`` (text, a pull-request comment, JSON),
``fab verify``, and the records' JSON Schemas for editors.

Each record change becomes one sentence a reviewer understands without opening the file
("chloe records 10 h of code: Chargeur GTFS"); amounts read as on the reciprocity page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..audit import (
    FieldChange, Finding, LogEntry, RecordChange, SplitEffect, Verification, fields_text, value_text,
)
from .. import i18n
from ..i18n import N_, _, plural, shown_number
from ..problems import Problem
from ..records import (
    Alert, Allocation, Contribution, Donation, Member, Mission, Payment, Record, Request, Review, Seal, Signature, Use,
)
from ..settings import MINOR_DIGITS, Settings
from .numbers import money
from .problems import as_text, summary
from .escape import md, md_code, md_fence
from .report import pretty_money
from .split import _policy_words

MARKS = {"added": "+", "changed": "~", "removed": "-"}
MD_MARKS = {"added": "➕", "changed": "✏️", "removed": "➖"}


# --- sentences ---------------------------------------------------------------------------------------

def when(day: date) -> str:
    """A day in a sentence: ISO in English (as the output always showed it), '3 févr. 2026' in French."""
    return i18n.day(day) if i18n.language() == "fr" else str(day)


def jsonable(value: Any) -> Any:
    """A YAML or model value as JSON: exact numbers and dates as strings, containers kept."""
    if isinstance(value, (Decimal, date)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _cash(amount: Decimal, currency: str) -> str:
    """1500 -> '€1,500.00' (the currency's digits; more digits, a problem of its own, are kept)."""
    digits = MINOR_DIGITS.get(currency, 2)
    return pretty_money(money(amount, digits) if -amount.as_tuple().exponent <= digits else str(amount), currency)


def _hours(value: Any) -> str:
    return shown_number(value_text(value.normalize() if hasattr(value, "normalize") else value))


def _people(handles: Sequence[str]) -> str:
    return handles[0] if len(handles) == 1 else ", ".join(handles[:-1]) + _(" and ") + handles[-1]


def _period_of(record: Record) -> str:
    return record.source.path.split("/")[2]


def subject(record: Record, currency: str) -> str:
    """How a sentence names an existing record: "bruno's donation of 1,500.00 EUR"."""
    if isinstance(record, Contribution):
        return _("{people}'s contribution '{title}'").format(people=_people([a.member for a in record.authors]),
                                                             title=record.title)
    if isinstance(record, Donation):
        return _("{donor}'s donation of {amount}").format(donor=record.donor,
                                                          amount=_cash(record.amount, record.currency or currency))
    if isinstance(record, Member):
        return _("member {id} ({name})").format(id=record.id, name=record.name)
    if isinstance(record, Signature):
        return _("{member}'s signature of {date}").format(member=record.member, date=when(record.date))
    if isinstance(record, Use):
        return _("{member}'s use of {resource}").format(member=record.member, resource=record.resource)
    if isinstance(record, Review):
        return _("{reviewer}'s review of {target}").format(reviewer=record.reviewer, target=record.target)
    if isinstance(record, Request):
        return _("{member}'s request of {amount}").format(member=record.member, amount=_cash(record.amount, currency))
    if isinstance(record, Allocation):
        return _("{giver}'s points for {period}").format(giver=record.giver, period=_period_of(record))
    if isinstance(record, Alert):
        return _("the alert about {about}").format(about=record.about)
    if isinstance(record, Seal):
        return _("the seal of {period}").format(period=record.id)
    if isinstance(record, Mission):
        return _("the mission '{title}'").format(title=record.title)
    if isinstance(record, Payment):
        return _("the payment {reference} of {period}").format(reference=record.reference, period=record.period)
    return f"{record.record_kind} {record.id}"


VERDICTS = {  # (verdict, changed): the sentence of a review
    ("approve", False): N_("{reviewer} approves {target}{score}"),
    ("object", False): N_("{reviewer} objects to {target}{score}"),
    ("approve", True): N_("{reviewer} now approves {target}{score}"),
    ("object", True): N_("{reviewer} now objects to {target}{score}"),
}


def _verdict(review: Review, now: bool = False) -> str:
    score = _(" (score {score})").format(score=shown_number(str(review.score))) if review.score is not None else ""
    template = VERDICTS["approve" if review.verdict == "approve" else "object", now]
    return _(template).format(reviewer=review.reviewer, target=review.target, score=score)


def _closed(seal: Seal, currency: str, again: bool = False) -> str:
    paid = sum(seal.payouts.values(), Decimal(0))
    template = _("{period} is closed again: {paid} paid to {members}, {carried} carried over") if again else \
        _("{period} is closed: {paid} paid to {members}, {carried} carried over")
    return template.format(period=seal.id, paid=_cash(paid, currency),
                           members=plural(len(seal.payouts), N_("{count} member"), N_("{count} members")),
                           carried=_cash(seal.carried_over, currency))


def added(record: Record, currency: str) -> str:
    """A new record in one sentence: "chloe records 10 h of code: Chargeur GTFS"."""
    if isinstance(record, Contribution):
        authors = [a.member for a in record.authors]
        template = _("{people} records {hours} h of {kind}: {title}") if len(authors) == 1 else \
            _("{people} record {hours} h of {kind}: {title}")
        return template.format(people=_people(authors), hours=_hours(record.hours), kind=record.kind, title=record.title)
    if isinstance(record, Donation):
        rate = _(" at rate {rate}").format(rate=shown_number(value_text(record.rate))) \
            if record.currency and record.currency != currency and record.rate else ""
        return _("{donor} donates {amount}{rate} on {date}").format(
            donor=record.donor, amount=_cash(record.amount, record.currency or currency), rate=rate, date=when(record.date))
    if isinstance(record, Member):
        return _("{id} joins as {roles} ({name})").format(id=record.id, roles=_(" and ").join(record.roles), name=record.name)
    if isinstance(record, Signature):
        return _("{member} signs the charter (version {version}) on {date}").format(
            member=record.member, version=record.charter[:12], date=when(record.date))
    if isinstance(record, Use):
        mission = _(" for the mission '{mission}'").format(mission=record.mission) if record.mission else ""
        revenue = _(" (mission revenue {amount})").format(amount=_cash(record.mission_revenue, currency)) \
            if record.mission_revenue else ""
        return _("{member} uses {resource}{mission}{revenue}").format(
            member=record.member, resource=record.resource, mission=mission, revenue=revenue)
    if isinstance(record, Review):
        return _verdict(record)
    if isinstance(record, Request):
        return _("{member} requests {amount} from the pool for {period}").format(
            member=record.member, amount=_cash(record.amount, currency), period=_period_of(record))
    if isinstance(record, Allocation):
        given = ", ".join(f"{h} {n}" for h, n in record.points.items())
        return _("{giver} gives points for {period}: {given}").format(giver=record.giver, period=_period_of(record),
                                                                      given=given)
    if isinstance(record, Alert):
        return _("{reporter} reports {about} for using the commons without reciprocity ({evidence})").format(
            reporter=record.reported_by, about=record.about, evidence=record.evidence)
    if isinstance(record, Seal):
        return _closed(record, currency)
    if isinstance(record, Mission):
        return _("{poster} posts the mission '{title}' for {client} (deadline {deadline})").format(
            poster=record.posted_by, title=record.title, client=record.client, deadline=when(record.deadline))
    if isinstance(record, Payment):
        paid = ", ".join(f"{h} {_cash(a, currency)}" for h, a in record.paid.items())
        return _("payouts of {period} are paid ({reference}): {paid}").format(
            period=record.period, reference=record.reference, paid=paid)
    return _("{kind} {id} is added").format(kind=record.record_kind, id=record.id)


def changed(change: RecordChange, currency: str) -> str:
    """A changed record: "bruno's donation of 1,500.00 EUR changes to 1,200.00 EUR"."""
    before, after, fields = change.before, change.after, list(change.fields)
    names = {f.field for f in fields}
    moved = _(" (moved from {path})").format(path=change.moved_from) if change.moved_from else ""
    if isinstance(after, Donation) and isinstance(before, Donation) and names == {"amount"}:
        return _("{subject} changes to {amount}").format(
            subject=subject(before, currency), amount=_cash(after.amount, after.currency or currency)) + moved
    if isinstance(after, Review) and "verdict" in names:
        return _verdict(after, now=True) + moved
    if isinstance(after, Alert) and names <= {"status", "note"}:
        note = f" ({after.note})" if "note" in names and after.note else ""
        return _("the alert about {about} is now {status}{note}").format(about=after.about, status=after.status, note=note)
    if isinstance(after, Seal) and isinstance(before, Seal) and before.sealed and not after.sealed:
        return _("{period} is reopened: {reason}").format(period=after.id, reason=after.reason)
    if isinstance(before, Seal) and isinstance(after, Seal) and not before.sealed and after.sealed:
        return _closed(after, currency, again=True)
    if change.kind == "settings":
        return _("the settings change: {fields}").format(fields=fields_text(fields))
    if change.kind == "charter":
        return _("charter.md changes: signatures of the previous version become outdated")
    if before is None or after is None:
        return _("{path} changes (it cannot be read: see the problems below)").format(path=change.path)
    if fields:
        return _("{subject} changes: {fields}").format(subject=subject(before, currency), fields=fields_text(fields)) + moved
    return _("{subject} changes").format(subject=subject(before, currency)) + moved


UNREADABLE = {"added": N_("{path} is added (it cannot be read: see the problems below)"),
              "removed": N_("{path} is removed (it cannot be read: see the problems below)")}


def sentence(change: RecordChange, currency: str) -> str:
    if change.action == "changed":
        return changed(change, currency)
    record = change.after if change.action == "added" else change.before
    if change.kind == "charter":
        return _("charter.md is added") if change.action == "added" else _("charter.md is removed")
    if record is None:
        return _(UNREADABLE[change.action]).format(path=change.path)
    if change.action == "added":
        return added(record, currency)
    return _("{subject} is removed").format(subject=subject(record, currency))


# --- fab diff --------------------------------------------------------------------------------------

def _signed(amount: Fraction, digits: int) -> str:
    """'+150.00', '-150.00': a difference, as data."""
    text = money(abs(amount), digits)
    return f"+{text}" if amount > 0 else f"-{text}" if amount < 0 else text


def _change(before: Fraction, after: Fraction, digits: int) -> dict:
    return {"before": money(before, digits), "after": money(after, digits), "difference": _signed(after - before, digits)}


def diff_data(base: dict, head: dict, changes: list[RecordChange], problems: Sequence[Problem], records: int,
              effects: Sequence[SplitEffect], settings: Settings) -> dict:
    """Everything fab diff shows, as JSON-ready data (the text and Markdown forms are drawn from it)."""
    d, currency = settings.digits, settings.currency
    return {
        "base": base,
        "head": head,
        "changes": [{"action": c.action, "kind": c.kind, "path": c.path, "moved_from": c.moved_from,
                     "sentence": sentence(c, currency),
                     "fields": [{"field": f.field, "before": jsonable(f.before), "after": jsonable(f.after)} for f in c.fields]}
                    for c in changes],
        "check": {"errors": sum(p.severity == "error" for p in problems), "warnings": sum(p.severity != "error" for p in problems),
                  "records": records, "problems": [p.as_dict() for p in problems]},
        "splits": [{
            "period": str(effect.period),
            "currency": currency,
            "before": effect.before,
            "after": effect.after,
            "touched": effect.touched,
            "alters_seal": effect.alters_seal,
            "policy": dict(effect.policy),
            "pool": {"before": money(effect.pool[0], d), "after": money(effect.pool[1], d)},
            "carried_over": _change(*effect.carried_over, d),
            "payouts": [{"member": p.member, **_change(p.before, p.after, d)} for p in effect.payouts],
        } for effect in effects],
    }


STATES = {  # (before, after): how the heading of a period's effect reads
    ("open", "open"): N_("{period} ({policy}, open)"),
    ("sealed", "sealed"): N_("{period} ({policy}, sealed)"),
    ("open", "sealed"): N_("{period} ({policy}): closed by this change"),
    ("sealed", "open"): N_("{period} ({policy}): reopened by this change"),
}


def _split_lines(split: dict) -> tuple[str, list[tuple[str, str, str, str]]]:
    """A period's effect: its heading and rows (who, before, after, difference), carry-over last."""
    heading = _(STATES[split["before"], split["after"]]).format(period=split["period"], policy=_policy_words(split["policy"]))
    rows = [(p["member"], pretty_money(p["before"]), pretty_money(p["after"]), _pretty_signed(p["difference"]))
            for p in split["payouts"]]
    carried = split["carried_over"]
    if carried["before"] != carried["after"]:
        rows.append((_("carried over"), pretty_money(carried["before"]), pretty_money(carried["after"]),
                     _pretty_signed(carried["difference"])))
    return heading, rows


def _pretty_signed(text: str) -> str:
    return text[0] + pretty_money(text[1:]) if text[:1] in "+-" else pretty_money(text)


def _pool_words(split: dict) -> str:
    pool, cur = split["pool"], split["currency"]
    if pool["before"] == pool["after"]:
        return _("pool {amount}").format(amount=pretty_money(pool["after"], cur))
    return _("pool {before} → {after}").format(before=pretty_money(pool["before"], cur), after=pretty_money(pool["after"], cur))


def _alters(split: dict) -> str:
    return _("this change alters records that the seal of {period} covers: fab check refuses it; to change a closed "
             "period, reopen it on record first (fab close --reopen {period} --reason ...)").format(period=split["period"])


def diff_text(data: dict) -> str:
    """The terminal view: changes, the check of HEAD, the effect on the split of every period it touches."""
    lines = [f"fab diff {data['base']['label']} → {data['head']['label']}", ""]
    lines.append(_("Changes ({count}):").format(count=len(data["changes"])) if data["changes"] else _("No record changes."))
    lines += [f"  {MARKS[c['action']]} {c['sentence']}" for c in data["changes"]]
    check = data["check"]
    problems = [Problem(**{k: v for k, v in p.items()}) for p in check["problems"]]
    lines += ["", _("Check of {label}: {summary}").format(label=data["head"]["label"],
                                                         summary=summary(problems, check["records"]))]
    if problems:
        lines += [as_text(problems)]
    for split in data["splits"]:
        heading, rows = _split_lines(split)
        lines += ["", _("Effect on the split of {heading}, {pool}:").format(heading=heading, pool=_pool_words(split))]
        if split["alters_seal"]:
            lines.append(f"  {_alters(split)}")
        elif not rows:
            lines.append(_("  no one's amount changes"))
        width = max((len(r[0]) for r in rows), default=0)
        lines += [f"  {who:<{width}}  {before} → {after}  ({delta})" for who, before, after, delta in rows]
    return "\n".join(lines) + "\n"


def diff_markdown(data: dict) -> str:
    """A pull-request comment: what changes in words, the check (✅/❌), the effect on every period's split."""
    lines = [_("## Ledger changes: {base} → {head}").format(base=md_code(data["base"]["label"]),
                                                          head=md_code(data["head"]["label"])), ""]
    if data["changes"]:
        lines += [f"- {MD_MARKS[c['action']]} {md(c['sentence'])} ({md_code(c['path'])})" for c in data["changes"]]
    else:
        lines.append(_("No record changes."))
    check = data["check"]
    problems = [Problem(**p) for p in check["problems"]]
    lines += ["", _("### Check"), ""]
    if check["errors"]:
        lines.append(_("❌ `fab check` finds {summary}:").format(summary=summary(problems, check["records"])))
    else:
        lines.append(_("✅ `fab check` finds no problem ({summary})").format(summary=summary(problems, check["records"])))
    if problems:
        lines += ["", *md_fence(as_text(problems), "text")]
    for split in data["splits"]:
        heading, rows = _split_lines(split)
        pool = md(_pool_words(split))
        lines += ["", _("### Effect on the split of {heading}").format(heading=md(heading)), "", f"{pool[:1].upper()}{pool[1:]}.", ""]
        if split["alters_seal"]:
            lines.append(f"⛔ {md(_alters(split))}")
        elif rows:
            lines += [_("| member | before | after | difference |"), "|---|---:|---:|---:|"]
            lines += [f"| {md(who)} | {before} | {after} | {delta} |" for who, before, after, delta in rows]
        else:
            lines.append(_("No one's amount changes."))
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
        return _("{title}: no commit").format(title=title) + "\n"
    lines = [_("{title}: {commits}, oldest first").format(
        title=title, commits=_commits(len(entries))), ""]
    for entry in entries:
        c = entry.commit
        signed = _(" [signed]") if c.signed else ""
        lines.append(f"{when(c.day)}  {c.short}  {c.author} <{c.email}>{signed}  {c.subject}")
        lines += [_("    {path}: {change}").format(path=line.change.path, change=line.text) for line in entry.lines]
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


SEVERITY_LABELS = {"warning": N_("warning: "), "info": N_("info: ")}  # errors go without a label


def _finding_lines(finding: Finding) -> list[str]:
    label = _(SEVERITY_LABELS[finding.severity]) if finding.severity in SEVERITY_LABELS else ""
    where = _("{path}: ").format(path=finding.path) if finding.path else ""
    lines = [f"{where}{finding.code} {label}{finding.message}"]
    lines += [_("  commit {commit} by {author} <{email}> on {date}").format(
        commit=c.label, author=c.author, email=c.email, date=when(c.day)) for c in finding.commits]
    return lines


def _problems(count: int) -> str:
    return plural(count, N_("{count} problem"), N_("{count} problems"))


def _sealed_records(count: int) -> str:
    return plural(count, N_("{count} sealed record"), N_("{count} sealed records"))


def _commits(count: int) -> str:
    return plural(count, N_("{count} commit"), N_("{count} commits"))


def verify_text(result: Verification, strict: bool) -> str:
    """Per closed period what was compared and found, then the ledger-wide findings and a summary."""
    lines: list[str] = []
    for check in result.seals:
        sealed_by = _("sealed by {commit} on {date}").format(commit=check.commit.label, date=when(check.commit.day)) \
            if check.commit else _("never committed")
        errors = [f for f in check.findings if f.severity == "error"]
        status = _("ok") if not errors else _problems(len(errors))
        lines.append(_("{period}: {status}, {records}, {sealed_by}").format(
            period=check.seal.id, status=status, records=_sealed_records(len(check.seal.files)), sealed_by=sealed_by))
        for finding in check.findings:
            lines += ["  " + line for line in _finding_lines(finding)]
    for finding in result.findings:
        lines += _finding_lines(finding)
    lines.append(_signed_line(result))
    lines.append(verify_summary(result, strict))
    return "\n".join(lines) + "\n"


def _signed_line(result: Verification) -> str:
    if not result.signed:
        return _("signed commits: none of {commits}").format(commits=_commits(result.commits))
    return _("signed commits: {signed} of {commits} (GPG or SSH)").format(signed=result.signed,
                                                                         commits=_commits(result.commits))


def verify_summary(result: Verification, strict: bool) -> str:
    findings = result.all_findings
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    periods = ", ".join(s.seal.id for s in result.seals)
    closed = plural(len(result.seals), N_("{count} closed period"), N_("{count} closed periods"))
    template = _("FAILED: verified {periods}{which} and {records}; {problems}, {warnings}") if result.failed(strict) else \
        _("ok: verified {periods}{which} and {records}; {problems}, {warnings}")
    return template.format(periods=closed, which=f" ({periods})" if periods else "",
                           records=_sealed_records(result.sealed_records), problems=_problems(errors),
                           warnings=plural(warnings, N_("{count} warning"), N_("{count} warnings")))


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
