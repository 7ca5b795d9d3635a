"""What every command shares: the common options, reading the ledger, prompting, failing clearly.

The library is imported inside functions, not at the top, so that ``fab --help`` stays quick.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, overload

import typer

from ..i18n import _

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from ..drafts import Draft
    from ..i18n import Text
    from ..ledger import Ledger
    from ..problems import Problem
    from ..store.inventory import Scope

LedgerOpt = Annotated[Optional[Path], typer.Option(
    "--ledger", envvar="FAB_LEDGER", show_default=False,
    help=_('Folder holding ledger/fabrique.yaml (or the ledger/ folder itself). Default: the repository around the current folder. Example: --ledger ~/fabrique'))]
AuthorOpt = Annotated[Optional[str], typer.Option(
    "--author", help=_("Commit author, instead of your git identity. Example: --author 'Alice Martin <alice@example.org>'"))]
NoCommitOpt = Annotated[bool, typer.Option(
    "--no-commit", help=_("Write the file but do not commit it (you commit it yourself later)."))]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help=_("Show the file that would be written, and write nothing."))]
BranchOpt = Annotated[Optional[str], typer.Option(
    "--branch", help=_('Commit on a new branch made from the current one, ready to push for a pull request. Example: --branch contribution-gtfs'))]
AtOpt = Annotated[Optional[str], typer.Option(
    "--at", help=_('Read the ledger as it was at this git revision (commit, branch or tag), not the working tree. Example: --at HEAD~1 (the commit before the last)'))]
DateOpt = Annotated[Optional[str], typer.Option(
    "--date", help=_("Date of the fact, YYYY-MM-DD (default: today). Example: --date 2026-03-14"))]


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Every line fab prints, on stdout or stderr: a control character from the ledger (a file name, a commit
    message, an old file) is shown (``\\u001b``), never acted on by the terminal (render.escape.visible).
    JSON stays exact: the characters it shows are written as JSON escapes."""
    from ..render.escape import visible

    typer.echo(visible(text), err=err, nl=nl)


def console(stderr: bool = False):
    """The rich Console of every page fab prints (render.escape.console: control characters shown, no markup)."""
    from ..render.escape import console as safe_console

    return safe_console(stderr)


def fail(message: Text, hint: Text | None = None, code: int = 1) -> NoReturn:
    """``error: message`` and ``  hint: hint``, one line each: a line break in them (a value typed with one,
    like --member $'bruno\\n') is shown as \\n, so that no value can start a line of its own."""
    echo(_('error: {message}').format(message=_one_line(message)), err=True)
    if hint:
        echo(_('  hint: {hint}').format(hint=_one_line(hint)), err=True)
    raise typer.Exit(code)


def _one_line(text: Text) -> str:
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def usage(message: Text, option: str | None = None) -> NoReturn:
    """A mistake in the command line itself: exit 2, as for the options Typer rejects."""
    fail(_("{option}: {message}").format(option=option, message=message) if option else message,
         _("see the examples in --help"), code=2)


def emit(text: str, output: Path | str | None) -> None:
    """A command's result: on the screen, or into ``output`` (saying so on stderr); either way with its control
    characters shown, as on the screen (render.escape.visible)."""
    from ..render.escape import visible

    if output is None:
        echo(text, nl=False)
        return
    try:
        Path(output).write_text(visible(text), encoding="utf-8")
    except OSError as error:
        fail(_('could not write {output}: {value}').format(output=output, value=error.strerror or error))
    echo(_('wrote {output}').format(output=output), err=True)


def today() -> date:
    """Today, or FAB_TODAY (YYYY-MM-DD) for reproducible examples and tests."""
    fixed = os.environ.get("FAB_TODAY")
    return parse_date(fixed, "FAB_TODAY") if fixed else date.today()


@overload
def parse_date(text: str, option: str = ...) -> date: ...
@overload
def parse_date(text: None, option: str = ...) -> None: ...
@overload
def parse_date(text: str | None, option: str = ...) -> date | None: ...
def parse_date(text: str | None, option: str = "--date") -> date | None:
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        usage(_("'{text}' is not a date written YYYY-MM-DD, like 2026-03-14").format(text=text), option)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        usage(_("'{text}' is not a real calendar date").format(text=text), option)


@overload
def parse_number(text: str, option: str) -> Decimal: ...
@overload
def parse_number(text: None, option: str) -> None: ...
@overload
def parse_number(text: str | None, option: str) -> Decimal | None: ...
def parse_number(text: str | None, option: str) -> Decimal | None:
    """A number typed on the command line: digits, and a point or a comma as the decimal mark.  '1,500' is
    refused as ambiguous (a thousands separator in English, a decimal comma in French): fab would otherwise
    read one thousand five hundred as 1.5."""
    if text is None:
        return None
    stripped = text.strip()
    if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+", stripped) or ("," in stripped and "." in stripped):
        head, _mark, tail = stripped.rpartition("," if stripped.rfind(",") > stripped.rfind(".") else ".")
        whole = re.sub(r"[,.]", "", head) + "." + tail if "." in stripped else stripped.replace(",", "")
        usage(_("'{text}' is ambiguous: a comma is the decimal mark here (1,5 is 1.5), never a thousands separator; "
                "write {whole} if that is the amount").format(text=text, whole=whole), option)
    cleaned = stripped.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,15})?", cleaned):
        usage(_("'{text}' is not a number written in plain digits, like 1500.00").format(text=text), option)
    return Decimal(cleaned)


@overload
def parse_hours(text: str, option: str = ...) -> Decimal: ...
@overload
def parse_hours(text: None, option: str = ...) -> None: ...
@overload
def parse_hours(text: str | None, option: str = ...) -> Decimal | None: ...
def parse_hours(text: str | None, option: str = "--hours") -> Decimal | None:
    """Hours as a number (6, 1.5, 1,5) or as hours and minutes (1h30, 1:30, 45min); minutes that make no
    exact hundredth of an hour (1h20) are refused, saying what to write instead."""
    if text is None:
        return None
    stripped = text.strip().lower().replace(" ", "")
    clock = re.fullmatch(r"([0-9]{1,5})(?:h|:)([0-9]{1,2})?(?:m|min)?|([0-9]{1,5})(?:m|min)", stripped)
    if clock:
        hours = int(clock.group(1) or 0)
        minutes = int(clock.group(2) or clock.group(3) or 0)
        if clock.group(2) and minutes >= 60:
            usage(_("'{text}' has {minutes} minutes: write the hours and minutes like 1h30").format(text=text, minutes=minutes), option)
        value = Decimal(hours) + Decimal(minutes) / 60
        if value != value.quantize(Decimal("0.01")):
            usage(_("'{text}' is {value} hours, which is not a whole number of hundredths: write the hours as a "
                    "number, like {rounded}").format(text=text, value=value.quantize(Decimal("0.0001")),
                                                     rounded=value.quantize(Decimal("0.01"))), option)
        return value.normalize() if value == value.to_integral() else value.quantize(Decimal("0.01")).normalize()
    if not re.fullmatch(r"-?[0-9]{1,15}([.,][0-9]{1,15})?", stripped):  # a negative one is refused by the record
        usage(_("'{text}' is not a number of hours: write them like 6, 1.5 or 1h30").format(text=text), option)
    return parse_number(text, option)


def ask(value: Any, option: str, question: str) -> Any:
    """A missing option is asked for on a terminal, and is a usage error (exit 2) otherwise."""
    if value not in (None, [], ()):
        return value
    if sys.stdin.isatty():
        return typer.prompt(question)
    usage(_("missing option '{option}' ({lower})").format(option=option, lower=question.lower()))


def check_author(author: str | None) -> None:
    from ..controls import control_character
    from ..store.git import AUTHOR
    from ..wording import control_wording

    if author is not None and not AUTHOR.fullmatch(author):
        usage(_("'{author}' is not of the form 'Name <email>'").format(author=author), "--author")
    found = control_character(author or "")
    if found is not None:  # the commit's author is shown to every reader of fab log (issue 13)
        usage(control_wording(f"{ord(found[1]):04X}", found[0])[0], "--author")


class LazyProgress:
    """A progress bar on stderr that appears only once reading has taken a second, and only on a terminal."""

    def __init__(self, what: str) -> None:
        self.what, self.started = what, time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not total or time.monotonic() - self.started < 1 or not sys.stderr.isatty():
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=total)
        assert self.task is not None  # set with the bar, just above
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def load(ledger_path: Path | None, at: str | None = None, quiet: bool = False, lock: bool = False,
         writes: tuple[str, date | None] | None = None, scope: Scope | None = None,
         checked: bool = False) -> tuple[Path, Ledger]:
    """Find and read the ledger (at a git revision with ``at``); a missing one is a usage error (exit 2).
    A ``ledger`` folder that cannot be read (a symbolic link, a submodule) is an error, exit 1: a report
    of the empty ledger read instead would say nothing is recorded; unless the caller reports the
    ledger's problems itself (``checked``: fab check, fab diff).

    A long read shows a progress bar on a terminal, unless ``quiet`` (JSON output).  A write command
    passes ``lock``: the ledger's lock is then held from before the read until the command ends, so
    that what it validates is still the ledger it writes into (two writers never interleave).  With
    ``writes=(kind, date)`` only what that write's checks need is read (drafts.scope_for); with
    ``scope``, only what it says (see store.inventory.Scope).  A revision (``at``) is always read whole.
    """
    from ..store.inventory import read_ledger

    root = locate(ledger_path)
    if lock:
        from ..store.git import GitProblem
        from ..store.lock import hold_ledger_lock

        try:
            hold_ledger_lock(root)
        except GitProblem as error:
            fail(str(error))
    if at is None:
        if writes is not None:
            from ..drafts import scope_for
            from ..records import BY_KIND

            scope = scope_for(BY_KIND[writes[0]], writes[1], today())
        with reading(root, quiet) as progress:
            current = read_ledger(root, today(), progress=progress, scope=scope)
    else:
        from ..store.git import GitProblem
        from ..store.history import read_ledger_at

        try:
            current = read_ledger_at(root, at, today())
        except GitProblem as error:
            fail(str(error), code=2)
    from ..store.root import LEDGER_DIR

    unread = next((p for p in current.problems if p.path == LEDGER_DIR), None) if not checked else None
    if unread is not None:
        problem = f"{unread.location()}: {unread.code} {unread.message}"
        fail(_("the ledger cannot be read: {problem}").format(problem=problem) if at is None else
             _("the ledger at {at} cannot be read: {problem}").format(at=at, problem=problem), unread.hint)
    return root, current


def locate(ledger_path: Path | None) -> Path:
    """The ledger's root folder; none there is a usage error (exit 2)."""
    from ..store.root import NoLedger, find_root

    try:
        return find_root(ledger_path)
    except NoLedger as error:
        fail(str(error), code=2)


@contextmanager
def reading(root: Path, quiet: bool) -> Iterator[LazyProgress | None]:
    """The progress bar of a long read of the working tree (none when ``quiet``: JSON output)."""
    progress = None if quiet else LazyProgress(_("reading the ledger in {root}").format(root=root))
    try:
        yield progress
    finally:
        if progress is not None:
            progress.close()


def finish_write(root: Path, draft: Draft, *, author: str | None, no_commit: bool, dry_run: bool, fmt: str,
                 branch: str | None = None, also: tuple[str, ...] = ()) -> None:
    """The end of every write command: refuse, preview, or write and commit, then say what happened.
    ``also``: files already written by the user, committed as they are with the record (a record that
    depends on another file not committed is refused: ``api.against_commit``)."""
    from ..api import against_commit, write
    from ..render.problems import as_text
    from ..store.git import GitProblem

    check_author(author)
    if fmt not in ("text", "json"):
        usage(_("unknown format '{fmt}' (choose text or json)").format(fmt=fmt), "--format")
    if branch and no_commit:
        usage(_("--branch commits on a new branch: it cannot be used with --no-commit"), "--branch")
    if not no_commit:
        draft = against_commit(root, draft, also)
    if draft.problems:
        _refused(draft)
    if draft.warnings:
        echo(as_text(draft.warnings), err=True)
    commit, signed = None, False
    if dry_run:
        if fmt == "text":
            echo(_('would write {rel}:\n\n{text}').format(rel=draft.rel, text=draft.text))
            for old in draft.removes:
                echo(_('would remove {old} (it replaces it)').format(old=old))
    else:
        try:
            done = write(root, draft, author=author, commit=not no_commit, branch=branch, also=also, checked=True)
            commit, signed = done.commit, done.signed
        except GitProblem as error:
            fail(_('nothing was recorded: {error}').format(error=error))
        except OSError as error:
            fail(_('nothing was recorded: could not write {rel}: {value}').format(rel=draft.rel, value=error.strerror or error),
                 _("check that the folder is writable and the disk is not full"))
        if fmt == "text":
            outcome = (_("committed {commit}, signed") if signed else _("committed {commit}")).format(commit=commit[:10]) \
                if commit else _("not committed (--no-commit)")
            echo(_('recorded {rel} ({done})').format(rel=draft.rel, done=outcome))
            for old in draft.removes:
                echo(_('replaces {old}').format(old=old))
            for rel in also:
                echo(_('also committed {rel}').format(rel=rel))
            if branch:
                echo(_("on the new branch '{branch}'; next: git push -u origin {branch}  (then open a pull request; fab diff --format md explains it to reviewers)").format(branch=branch))
        if commit and not signed:
            _unsigned(root)
    if fmt == "json":
        echo(json.dumps({"id": draft.id, "path": draft.rel, "commit": commit, "dry_run": dry_run,
                         **({"signed": signed} if commit else {}), **({"branch": branch} if branch else {})}))


def say_uncommitted(problems: Iterable[Problem], paths: Iterable[str]) -> NoReturn:
    """After the header of a refusal: the problems a commit would have without ``paths``, the hint, exit 1."""
    from ..render.problems import as_text

    echo(as_text(list(problems)), err=True)
    echo(_("  hint: a commit must pass fab check on its own: commit {paths} first (git add ... && git commit), "
           "or record this with --no-commit too").format(paths=", ".join(paths)), err=True)
    raise typer.Exit(1)


def _refused(draft: Draft) -> NoReturn:
    """A draft with problems: those the write would make, then those already in the ledger (a write does not
    add to a ledger that fab check refuses: they are to be fixed first)."""
    from ..render.problems import as_text

    if draft.uncommitted:
        echo(_('error: nothing was written; {rel} depends on what is not committed ({paths}): committed '
               'without it, it would leave the ledger with these problems:').format(rel=draft.rel, paths=", ".join(draft.uncommitted)), err=True)
        say_uncommitted(draft.problems, draft.uncommitted)
    new = draft.new_problems
    if new:
        header = (_('error: nothing was written; {rel} would have these problems:') if all(p.path == draft.rel for p in new)
                  else _('error: nothing was written; recording {rel} would leave the ledger with these problems:'))
        echo(header.format(rel=draft.rel), err=True)
        echo(as_text(new), err=True)
    if draft.existing:
        header = (_("the ledger also has these problems already; fix them first (fab check shows them):") if new else
                  _("error: nothing was written: the ledger already has these problems; fix them first (fab check shows "
                    "them), then record {rel}:").format(rel=draft.rel))
        echo(header, err=True)
        echo(as_text(draft.existing), err=True)
    raise typer.Exit(1)


def _unsigned(root: Path) -> None:
    """The ledger asks for signed records and this commit is not signed: say so, and how to sign."""
    from ..settings import SETTINGS_PATH
    from ..store.reading import read_settings

    path = root / SETTINGS_PATH
    settings = read_settings(path.read_bytes() if path.is_file() else None)[0]
    if settings.signatures == "off":
        return
    echo(_("warning: this commit is not signed, and the ledger asks for signatures ({mode}): fab verify will report it"
           "{refused}; to sign with your SSH key: git config gpg.format ssh && git config user.signingkey "
           "~/.ssh/id_ed25519.pub && git config commit.gpgsign true (and declare the key in your member file, "
           "signing_keys)").format(mode=settings.signatures, refused=_(" and a guarded repository will refuse it")
                                   if settings.signatures == "required" else ""), err=True)
