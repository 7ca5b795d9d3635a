"""``fab check``: every problem of the ledger, where it is and how to fix it."""

from __future__ import annotations

import difflib
from functools import partial
from typing import Annotated, Literal, Optional

import typer

from ..i18n import N_, _
from .app import app
from .common import AtOpt, LedgerOpt, echo, fail
from .options import format_flag

CheckFormat = Annotated[Literal["text", "json"], format_flag(N_("text, or json: {\"problems\": [...]}. Example: --format json"))]


@app.command()
def check(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[NAME]...", show_default=False, help=_(
        "Run only these checks (and the reading of every file); see their names with --list. Example: fab check references money"))] = None,
    ledger: LedgerOpt = None,
    at: AtOpt = None,
    format: CheckFormat = "text",
    repair: Annotated[bool, typer.Option("--repair", help=_("First undo what an interrupted fab command left "
                                         "(half-written record, temporary files, git's index.lock), then check."))] = False,
    list_: Annotated[bool, typer.Option("--list", help=_("List the checks by name, with what each verifies, and exit."))] = False,
    staged: Annotated[bool, typer.Option("--staged", help=_("Check the ledger as git's index holds it (what the next "
                                         "commit will contain), not the working tree: the pre-commit hook's check."))] = False,
) -> None:
    """Check the whole ledger and report every problem; exit 1 if there is any error.

    Each problem reads 'path:line:col: CODE message' with a hint on the next line.
    Example: fab check --format json
    Example: fab check --repair
    Example: fab check seal-arithmetic payments
    Example: fab check --staged
    """
    from ..render.problems import as_json, as_text, summary

    if list_ or names:
        _list_or_refuse(list_, names or [])
        if list_:
            return
    run_checks = partial(_rules, names=names or None)
    if staged and at is not None:
        fail(_("--staged checks git's index and --at a revision: give one of them"), code=2)
    if staged:
        problems, count, unresolved = _staged(ledger, run_checks)
    else:
        problems, count, unresolved = _repair_then_check(ledger, at, repair, run_checks, quiet=format == "json",
                                                         whole=not names)
    if format == "json":
        echo(as_json(problems))
    else:
        if problems:
            echo(as_text(problems) + "\n")
        echo(summary(problems, count))
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) or unresolved else 0)


def _list_or_refuse(list_: bool, names: list[str]) -> None:
    """``--list``: the rules by name; else a usage error for a name that is not one."""
    from ..checks import RULES, unknown_rules

    if list_:
        width = max(len(rule.name) for rule in RULES)
        echo("\n".join(f"{rule.name:<{width}}  {_(rule.about)}" for rule in RULES))
        return
    unknown = unknown_rules(names)
    if unknown:
        close = difflib.get_close_matches(unknown[0], [rule.name for rule in RULES], n=1)
        fail(_("there is no check named '{name}'").format(name=unknown[0]),
             _("did you mean '{close}'? (fab check --list shows them all)").format(close=close[0]) if close
             else _("see the checks with: fab check --list"), code=2)


def _rules(ledger, names=None):
    """fab's rules on a ledger, imported only when a ledger is checked: an unchanged ledger is answered from
    the result cache, and importing the rules (seals, splits, policies) took a third of such a run."""
    from ..checks import check

    return check(ledger, names)


def _staged(ledger, run_checks):
    """The problems of the ledger in git's index (store/staged.py), and its number of records."""
    from ..store.git import GitProblem
    from ..store.staged import read_staged
    from .common import locate, today

    try:
        current = read_staged(locate(ledger), today())
    except GitProblem as error:
        fail(str(error))
    return run_checks(current), len(current.records), False


def _repair_then_check(ledger, at, repair: bool, run_checks, quiet: bool, whole: bool = True):
    """``--repair`` first (issue 7), then the problems and the number of records (from the result cache
    when no file changed); what an interrupted command left is said on stderr."""
    from ..store.git import GitProblem
    from ..store.journal import leftovers
    from ..store.journal import repair as undo
    from ..store.root import NoLedger, find_root
    from .common import fail, load

    try:
        root = find_root(ledger)
        done, left = undo(root) if repair else ([], leftovers(root))
    except NoLedger:
        done, left = [], []  # load says it
    except GitProblem as error:
        fail(str(error))
    for line in done:
        echo(_("repaired: {line}").format(line=line), err=True)
    for line in left:
        echo(_("error: {message}").format(message=line) if repair else _("note: {note}").format(note=line), err=True)
    if at is not None or not whole:  # the result cache keeps whole checks of the working tree only
        current = load(ledger, at, quiet=quiet, checked=True)[1]
        return run_checks(current), len(current.records), bool(repair and left)
    from ..store.inventory import read_checked
    from .common import locate, reading, today

    root = locate(ledger)
    with reading(root, quiet) as progress:
        return (*read_checked(root, today(), run_checks, progress), bool(repair and left))
