"""The ``fab`` command: a thin Typer layer over the library (one module per group of commands)."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__

app = typer.Typer(
    name="fab",
    help="fab keeps a commons' reciprocity ledger as plain YAML files in git: who signed the charter, "
         "who gives back (donations, contributions), and how the pool is shared among contributors.\n\n"
         "Example: fab contribute --by alice --kind wiki --title 'Covoiturage rural' --hours 6",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print fab's version and exit.")] = False,
) -> None:
    """fab: the reciprocity ledger of a commons, in git."""


from . import checking, coremuneration, reviewing, writes  # noqa: E402  (commands register themselves on app)

__all__ = ["app", "main", "checking", "coremuneration", "reviewing", "writes"]


def main() -> None:
    app()
