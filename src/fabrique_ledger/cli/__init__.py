"""The ``fab`` command: a thin Typer layer over the library (one module per group of commands)."""

from __future__ import annotations

import inspect
import os
import sys
from typing import Annotated, Optional

import typer

from .. import __version__
from ..i18n import LANGUAGES, _, set_language


def _language_from_argv(argv: list[str]) -> str | None:
    """``--lang fr`` / ``--lang=fr`` anywhere before ``--``: help texts are built when the command modules
    are imported, so the language must be known before that, not only in the root callback."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:] if arg.startswith("--lang=") else None
        if value is not None and value.lower() in LANGUAGES:
            return value.lower()
    return None


if (_argv_lang := _language_from_argv(sys.argv[1:])) is not None:
    set_language(_argv_lang)

app = typer.Typer(
    name="fab",
    help=_("fab keeps a commons' reciprocity ledger as plain YAML files in git: who signed the charter, who gives back (donations, contributions), and how the pool is shared among contributors.\n\nExample: fab contribute --by alice --kind wiki --title 'Covoiturage rural' --hours 6"),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from .common import echo

        echo(f"fab {__version__}")
        raise typer.Exit()


def _end_of_command() -> None:
    """The end of a command releases the ledger lock a write command took and the git processes it
    started (never imports git for a read that did not need it)."""
    write = sys.modules.get("fabrique_ledger.store.lock")
    if write is not None:
        write.release_held_locks()
    gitstore = sys.modules.get("fabrique_ledger.store.git")
    if gitstore is not None:
        gitstore.close_repos()


@app.callback()
def _root(
    ctx: typer.Context,
    lang: Annotated[Optional[str], typer.Option("--lang", show_default=False,
                                                help=_("Language of messages and reports: fr or en (default: FAB_LANG, "
                                                       "else the locale, else en). Example: fab --lang fr check"))] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_("Print fab's version and exit."))] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=_('Parse every file again instead of using the parse cache (same as FAB_NO_CACHE=1). Example: fab --no-cache check'))] = False,
) -> None:
    """fab: the reciprocity ledger of a commons, in git."""
    ctx.call_on_close(_end_of_command)
    if lang is not None:
        if lang.lower() not in LANGUAGES:
            raise typer.BadParameter(_("'{lang}' is not a language fab speaks: choose fr or en").format(lang=lang),
                                     param_hint="--lang")
        set_language(lang.lower())
    if no_cache:
        os.environ["FAB_NO_CACHE"] = "1"


from . import audit, checking, contributors, coremuneration, missions, payouts, reviewing, signing, writes  # noqa: E402,F401  (commands register themselves on app)



def _translate_docstrings(typer_app: typer.Typer) -> None:
    """Commands documented by their docstring get the docstring's translation as their help."""
    for command in typer_app.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = _(inspect.cleandoc(command.callback.__doc__))
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _translate_docstrings(group.typer_instance)
    if typer_app.registered_callback is not None:
        callback = typer_app.registered_callback
        if callback.help is None and callback.callback is not None and callback.callback.__doc__:
            callback.help = _(inspect.cleandoc(callback.callback.__doc__))


_translate_docstrings(app)

__all__ = ["app", "main", "audit", "checking", "contributors", "coremuneration", "missions", "payouts", "reviewing", "signing", "writes"]


def main() -> None:
    app()
