"""``fab verify`` for people (per closed period what was compared and found) and as JSON."""

from __future__ import annotations

from ..i18n import N_, _, ngettext
from ..verify import Finding, Verification
from .log import commits as _commits
from .sentences import when


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
    return ngettext("{count} problem", "{count} problems", count).format(count=count)


def _sealed_records(count: int) -> str:
    return ngettext("{count} sealed record", "{count} sealed records", count).format(count=count)


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
    closed = ngettext("{count} closed period", "{count} closed periods", len(result.seals)).format(count=len(result.seals))
    template = _("FAILED: verified {periods}{which} and {records}; {problems}, {warnings}") if result.failed(strict) else \
        _("ok: verified {periods}{which} and {records}; {problems}, {warnings}")
    return template.format(periods=closed, which=f" ({periods})" if periods else "",
                           records=_sealed_records(result.sealed_records), problems=_problems(errors),
                           warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings))
