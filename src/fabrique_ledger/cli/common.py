"""What every command shares: the common options, reading the ledger, prompting, failing clearly.

The library is imported inside functions, not at the top, so that ``fab --help`` stays quick.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer

if TYPE_CHECKING:
    from ..drafts import Draft
    from ..ledger import Ledger

LedgerOpt = Annotated[Optional[Path], typer.Option(
    "--ledger", envvar="FAB_LEDGER", show_default=False,
    help="Folder holding ledger/fabrique.yaml (or the ledger/ folder itself). "
         "Default: the repository around the current folder. Example: --ledger ~/fabrique")]
AuthorOpt = Annotated[Optional[str], typer.Option(
    "--author", help="Commit author, instead of your git identity. Example: --author 'Alice Martin <alice@example.org>'")]
NoCommitOpt = Annotated[bool, typer.Option(
    "--no-commit", help="Write the file but do not commit it (you commit it yourself later).")]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Show the file that would be written, and write nothing.")]
WriteFormatOpt = Annotated[str, typer.Option(
    "--format", help="'text', or 'json' to print {\"id\", \"path\", \"commit\"}. Example: --format json")]
BranchOpt = Annotated[Optional[str], typer.Option(
    "--branch", help="Commit on a new branch made from the current one, ready to push for a pull request. "
                     "Example: --branch contribution-gtfs")]
AtOpt = Annotated[Optional[str], typer.Option(
    "--at", help="Read the ledger as it was at this git revision (commit, branch or tag), not the working tree. "
                 "Example: --at v2026-H1")]
DateOpt = Annotated[Optional[str], typer.Option(
    "--date", help="Date of the fact, YYYY-MM-DD (default: today). Example: --date 2026-03-14")]


def fail(message: str, hint: str | None = None, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    if hint:
        typer.echo(f"  hint: {hint}", err=True)
    raise typer.Exit(code)


def usage(message: str, option: str | None = None) -> NoReturn:
    """A mistake in the command line itself: exit 2, as for the options Typer rejects."""
    fail(f"{option}: {message}" if option else message, "see the examples in --help", code=2)


def today() -> date:
    """Today, or FAB_TODAY (YYYY-MM-DD) for reproducible examples and tests."""
    fixed = os.environ.get("FAB_TODAY")
    return parse_date(fixed, "FAB_TODAY") if fixed else date.today()


def parse_date(text: str | None, option: str = "--date") -> date | None:
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        usage(f"'{text}' is not a date written YYYY-MM-DD, like 2026-03-14", option)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        usage(f"'{text}' is not a real calendar date", option)


def parse_number(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    cleaned = text.strip().replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,15})?", cleaned):
        usage(f"'{text}' is not a number written in plain digits, like 1500.00", option)
    return Decimal(cleaned)


def ask(value: Any, option: str, question: str) -> Any:
    """A missing option is asked for on a terminal, and is a usage error (exit 2) otherwise."""
    if value not in (None, [], ()):
        return value
    if sys.stdin.isatty():
        return typer.prompt(question)
    usage(f"missing option '{option}' ({question.lower()})")


def check_author(author: str | None) -> None:
    from ..store.git import AUTHOR

    if author is not None and not AUTHOR.match(author):
        usage(f"'{author}' is not of the form 'Name <email>'", "--author")


def load(ledger_path: Path | None, at: str | None = None) -> tuple[Path, Ledger]:
    """Find and read the ledger (at a git revision with ``at``); a missing one is a usage error (exit 2)."""
    from ..store.files import NoLedger, find_root, read_ledger

    try:
        root = find_root(ledger_path)
    except NoLedger as error:
        fail(str(error), code=2)
    if at is None:
        return root, read_ledger(root, today())
    from ..store.git import GitProblem
    from ..store.history import read_ledger_at

    try:
        return root, read_ledger_at(root, at, today())
    except GitProblem as error:
        fail(str(error), code=2)


def finish_write(root: Path, draft: Draft, *, author: str | None, no_commit: bool, dry_run: bool, fmt: str,
                 branch: str | None = None) -> None:
    """The end of every write command: refuse, preview, or write and commit, then say what happened."""
    from ..render.problems import as_text
    from ..store.git import GitProblem
    from ..store.write import save

    check_author(author)
    if fmt not in ("text", "json"):
        usage(f"unknown format '{fmt}' (choose text or json)", "--format")
    if branch and no_commit:
        usage("--branch commits on a new branch: it cannot be used with --no-commit", "--branch")
    if draft.problems:
        typer.echo(f"error: nothing was written; {draft.rel} would have these problems:", err=True)
        typer.echo(as_text(draft.problems), err=True)
        raise typer.Exit(1)
    commit = None
    if dry_run:
        if fmt == "text":
            typer.echo(f"would write {draft.rel}:\n\n{draft.text}")
    else:
        try:
            changes = {draft.rel: draft.text, **{old: None for old in draft.removes}}
            commit = save(root, changes, message=draft.message, author=author or draft.author, commit=not no_commit,
                          branch=branch)
        except GitProblem as error:
            fail(f"nothing was recorded: {error}")
        except OSError as error:
            fail(f"nothing was recorded: could not write {draft.rel}: {error.strerror or error}",
                 "check that the folder is writable and the disk is not full")
        if fmt == "text":
            done = f"committed {commit[:10]}" if commit else "not committed (--no-commit)"
            typer.echo(f"recorded {draft.rel} ({done})")
            for old in draft.removes:
                typer.echo(f"replaces {old}")
            if branch:
                typer.echo(f"on the new branch '{branch}'; next: git push -u origin {branch}  "
                           "(then open a pull request; fab diff --format md explains it to reviewers)")
    if fmt == "json":
        typer.echo(json.dumps({"id": draft.id, "path": draft.rel, "commit": commit, "dry_run": dry_run,
                               **({"branch": branch} if branch else {})}))
