"""Options that many commands share, declared once: the write options, the ``--format`` of each command
family, the epilogue of every help page.

**Write options.**  Every write command takes ``--ledger``, ``--author``, ``--no-commit``, ``--dry-run``,
``--format`` and ``--branch``.  ``@writes`` adds them to the command's signature (Typer reads
``__signature__``) and hands the command one ``Write`` value; ``write.finish(root, draft)`` closes the
command (``common.finish_write``).  A command that does not offer one of them (``close`` always commits)
names it in ``without``.

**Formats.**  Each family of commands has one ``--format`` type, a ``Literal`` of its names, so that Click
validates the value, lists the choices in ``--help`` and reports a wrong one like any other usage error.
The names are the same everywhere: ``text`` is the format for people (a page, a table, sentences),
``json``, ``csv``, ``md``, ``wiki``, ``html``, ``sepa`` what they say.  ``table``, the old name of ``text``
for some commands, is still accepted (``normalize``, Click's token normalization): it is in scripts and
notes people wrote.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import typer

from ..i18n import N_
from .common import AuthorOpt, BranchOpt, DryRunOpt, LedgerOpt, NoCommitOpt

if TYPE_CHECKING:
    from ..drafts import Draft

# --- formats -----------------------------------------------------------------------------------------

ALIASES = {"table": "text"}  # old names still accepted, never shown


def normalize(token: str) -> str:
    """Click's ``token_normalize_func`` of fab's context: an old format name read as today's."""
    return ALIASES.get(token, token)


def format_flag(help: str, show_default: bool = True) -> Any:
    """The ``--format`` option of a family of commands; its choices are the ``Literal`` it annotates (Click checks
    them).  The aliases below spell that ``Literal`` out so that the type checker knows each command's formats."""
    return typer.Option("--format", help=help, show_default=show_default)


TextOrJson = Annotated[Literal["text", "json"], format_flag(N_("text or json. Example: --format json"))]
WriteFormat = Annotated[Literal["text", "json"], format_flag(
    N_("'text', or 'json' to print {\"id\", \"path\", \"commit\"}. Example: --format json"))]
ReportFormat = Annotated[Literal["text", "md", "wiki", "json", "csv", "html", "xlsx"], format_flag(
    N_("text, md (Markdown), wiki (MediaWiki), json, csv, html or xlsx (with --output). Example: --format wiki"))]
SplitFormat = Annotated[Literal["text", "json", "csv", "md", "xlsx"], format_flag(
    N_("text, json, csv, md or xlsx (with --output). Example: --format json"))]
DiffFormat = Annotated[Literal["text", "md", "json"], format_flag(
    N_("text, md (a pull-request comment) or json. Example: --format md"))]
PayoutsFormat = Annotated[Optional[Literal["csv", "sepa", "text", "json"]], format_flag(N_(
    "csv (every transfer, those to settle by hand included) or sepa (a pain.001 credit-transfer file for the bank); "
    "with --mark-paid: text or json. Example: --format sepa"), show_default=False)]


# --- the epilogue ------------------------------------------------------------------------------------

EPILOG = N_("Exit status: 0 done, 1 a problem in the ledger, 2 a mistake in the command. "
            "Every command: fab --help; a tour: the README.")


# --- write options -----------------------------------------------------------------------------------

WRITE_OPTIONS = {"ledger": (LedgerOpt, None), "author": (AuthorOpt, None), "no_commit": (NoCommitOpt, False),
                 "dry_run": (DryRunOpt, False), "format": (WriteFormat, "text"), "branch": (BranchOpt, None)}


@dataclass(frozen=True)
class Write:
    """What a write command was told about writing: where, as whom, whether to commit, how to answer."""

    ledger: Path | None = None
    author: str | None = None
    no_commit: bool = False
    dry_run: bool = False
    format: str = "text"
    branch: str | None = None

    def finish(self, root: Path, draft: Draft, also: tuple[str, ...] = ()) -> None:
        """Refuse, preview, or write and commit ``draft`` as these options say (common.finish_write)."""
        from ..i18n import _
        from .common import echo, finish_write

        finish_write(root, draft, author=self.author, no_commit=self.no_commit, dry_run=self.dry_run,
                     fmt=self.format, branch=self.branch, also=also)
        if self.format == "text" and not self.dry_run:  # on its own line: the next command needs it
            echo(_("id: {id}").format(id=draft.id))


def writes(without: tuple[str, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the write options, after its own, and call it with ``write=Write(...)``."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        hints = typing.get_type_hints(command, include_extras=True)
        own = [p.replace(annotation=hints.get(p.name, p.annotation))
               for p in inspect.signature(command).parameters.values() if p.name != "write"]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
                 for name, (annotation, default) in WRITE_OPTIONS.items() if name not in without]
        names = [p.name for p in added]

        def command_with_write_options(*args: Any, **kwargs: Any) -> Any:
            write = Write(**{name: kwargs.pop(name) for name in names})
            return command(*args, **kwargs, write=write)

        update_wrapper(command_with_write_options, command)
        # Typer must read the signature below, not the command's (typeshed's update_wrapper does not declare __wrapped__)
        del command_with_write_options.__wrapped__  # type: ignore[attr-defined]
        command_with_write_options.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*own, *added], return_annotation=None)
        command_with_write_options.__annotations__ = {p.name: p.annotation for p in [*own, *added]}
        return command_with_write_options

    return decorate
