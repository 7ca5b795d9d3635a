"""``fab import``: a spreadsheet of history (CSV or XLSX) into records, in one commit; and its templates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..i18n import Nn_, _, ngettext
from .app import app
from .common import AuthorOpt, DryRunOpt, LedgerOpt, NoCommitOpt, echo, fail, say_uncommitted, usage

if TYPE_CHECKING:
    from ..render.sheets import Sheet

COUNTED = {"member": Nn_("{count} member", "{count} members"), "signature": Nn_("{count} signature", "{count} signatures"),
           "contribution": Nn_("{count} contribution", "{count} contributions"),
           "donation": Nn_("{count} donation", "{count} donations"), "use": Nn_("{count} use", "{count} uses")}


@app.command("import")
def import_(
    file: Annotated[Optional[Path], typer.Argument(metavar="[FILE]", help=_("A .csv or .xlsx file. Example: historique.xlsx"))] = None,
    kind: Annotated[Optional[str], typer.Option(help=_("What a CSV file holds, when its headers do not say: member, signature, contribution, donation or use. Example: --kind donation"))] = None,
    template: Annotated[Optional[str], typer.Option(help=_("Write an empty template instead: member, signature, contribution, donation, use, or all (xlsx). Example: --template contribution"))] = None,
    format: Annotated[str, typer.Option(help=_("The template's format: csv or xlsx. Example: --format xlsx"))] = "csv",
    output: Annotated[Optional[Path], typer.Option(help=_("Where to write the template (needed for xlsx). Example: --output historique.xlsx"))] = None,
    ledger: LedgerOpt = None, author: AuthorOpt = None, no_commit: NoCommitOpt = False, dry_run: DryRunOpt = False,
) -> None:
    """Import a spreadsheet of history: one record per row, every row checked with the whole ledger, all in one
    commit, or nothing when a row has a problem (FILE:row:column); rows already in the ledger are skipped.

    The columns of each kind are in docs/spreadsheets.md (English or French headers); an XLSX file has a sheet
    per kind (members, signatures, contributions, donations, uses).
    Example: fab import historique.xlsx --dry-run
    Example: fab import dons.csv
    Example: fab import --template all --format xlsx --output historique.xlsx
    """
    if template is not None:
        _template(template, format, output)
        return
    if file is None:
        usage(_("give the spreadsheet to import, or --template KIND"), "FILE")
    if kind is not None and kind not in COUNTED:
        usage(_("unknown kind '{kind}' (choose {kinds})").format(kind=kind, kinds=", ".join(COUNTED)), "--kind")
    _import(file, kind, ledger, author, no_commit, dry_run)


def _import(file: Path, kind: str | None, ledger: Path | None, author: str | None, no_commit: bool, dry_run: bool) -> None:
    from ..imports import plan_import
    from ..ledger import sorted_problems
    from ..render.problems import as_text
    from ..store.sheets import SheetProblem, read_tables
    from .common import check_author, load

    check_author(author)
    try:
        tables = read_tables(file)
    except SheetProblem as error:
        fail(str(error), _(str(error.hint)) if error.hint else None)
    root, current = load(ledger, lock=True)
    plan = plan_import(current, tables, kind)
    if plan.problems:
        echo(ngettext("error: nothing was imported; {file} has {count} problem:", "error: nothing was imported; {file} has {count} problems:",
                      len(plan.problems)).format(file=file.name, count=len(plan.problems)), err=True)
        echo(as_text(sorted_problems(plan.problems)), err=True)
        raise typer.Exit(1)
    if not no_commit:
        _committable(root, current, tables, kind, plan, file)
    matched = sum(plan.matched.values())
    if not plan.new:
        echo(ngettext("nothing to import: the {count} row of {file} is already in the ledger",
                      "nothing to import: the {count} rows of {file} are already in the ledger", matched).format(count=matched, file=file.name))
        return
    if dry_run:
        _preview(plan, current.settings.currency)
    else:
        _save(root, plan, file, author, no_commit)
    if matched:
        echo(ngettext("{count} row already in the ledger was left as it is", "{count} rows already in the ledger were left as they are",
                      matched).format(count=matched))


def _committable(root: Path, current, tables, kind: str | None, plan, file: Path) -> None:
    """The import is committed alone, so it must pass fab check with the ledger as committed: when a file it
    was checked with differs from HEAD (a member added with --no-commit...), the rows are checked again
    against the ledger as HEAD holds it (as ``api.against_commit`` does for one record); exit 1 if they fail."""
    from ..api import as_committed
    from ..imports import plan_import
    from ..ledger import sorted_problems

    view = as_committed(root, current, {row.rel for row in plan.new})
    if view is None:
        return
    again = plan_import(view[0], tables, kind)
    if not again.problems:
        return
    paths = ", ".join(view[1])
    echo(_("error: nothing was imported; {file} depends on what is not committed ({paths}): committed without it, "
           "the import would leave the ledger with these problems:").format(file=file.name, paths=paths), err=True)
    say_uncommitted(sorted_problems(again.problems), view[1])


def _counts(plan) -> str:
    return ", ".join(ngettext(*COUNTED[kind], count).format(count=count) for kind, count in plan.counts().items())


def _preview(plan, currency: str) -> None:
    from rich.table import Table

    from ..render.sentences import added
    from .common import console

    table = Table(title=_("would import {counts}").format(counts=_counts(plan)))
    for name in (_("row"), _("id"), _("what")):
        table.add_column(name)
    for row in plan.new:
        table.add_row(f"{row.where}:{row.row}", row.record.id, added(row.record, currency))
    console().print(table)


def _save(root: Path, plan, file: Path, author: str | None, no_commit: bool) -> None:
    from ..store.git import GitProblem
    from ..store.write import save

    counts = plan.counts()
    message = "import: " + ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in counts.items()) + f" from {file.name}"
    try:
        commit = save(root, {row.rel: row.text for row in plan.new}, message=message, author=author, commit=not no_commit)
    except GitProblem as error:
        fail(_('nothing was recorded: {error}').format(error=error))
    except OSError as error:
        fail(_('nothing was recorded: {error}').format(error=error.strerror or error),
             _("check that the folder is writable and the disk is not full"))
    done = _("committed {commit}").format(commit=commit[:10]) if commit else _("not committed (--no-commit)")
    echo(_("imported {counts} from {file} ({done})").format(counts=_counts(plan), file=file.name, done=done))


def _template(kind: str, fmt: str, output: Path | None) -> None:
    """An empty template: the header row of a kind (CSV), or a sheet per kind (XLSX), in the run's language."""
    from ..i18n import language
    from ..imports import LAYOUTS, SHEETS
    from ..render.sheets import template_csv, workbook
    from .common import emit

    if fmt not in ("csv", "xlsx"):
        usage(_("unknown format '{format}' (choose csv or xlsx)").format(format=fmt), "--format")
    kinds = list(LAYOUTS) if kind == "all" and fmt == "xlsx" else [kind]
    if any(k not in LAYOUTS for k in kinds):
        usage(_("unknown kind '{kind}' (choose {kinds}, or all with --format xlsx)").format(kind=kind, kinds=", ".join(LAYOUTS)), "--template")
    french = language() == "fr"
    headers = {k: [c.french if french else c.english for c in LAYOUTS[k]] for k in kinds}
    if fmt == "csv":
        emit(template_csv(headers[kind]), output)
        return
    if output is None:
        usage(_("an xlsx template is a file: give it with --output, like --output historique.xlsx"), "--output")
    sheets: list[Sheet] = [(SHEETS[k][1 if french and len(SHEETS[k]) > 1 else 0], headers[k], []) for k in kinds]
    write_bytes(workbook(sheets), output)


def write_bytes(data: bytes, output: Path | str) -> None:
    """A workbook into ``output``, saying so on stderr (a workbook never goes to the screen)."""
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        fail(_('could not write {output}: {value}').format(output=output, value=error.strerror or error))
    echo(_('wrote {output}').format(output=output), err=True)
