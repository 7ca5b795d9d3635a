"""``fab check``: every problem of the ledger, where it is and how to fix it."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from .common import AtOpt, LedgerOpt, usage


@app.command()
def check(
    ledger: LedgerOpt = None,
    at: AtOpt = None,
    format: Annotated[str, typer.Option(help="text, or json: {\"problems\": [...]}. Example: --format json")] = "text",
) -> None:
    """Check the whole ledger and report every problem; exit 1 if there is any error.

    Each problem reads 'path:line:col: CODE message' with a hint on the next line.
    Example: fab check --format json
    """
    from ..checks import check as run_checks
    from ..render.problems import as_json, as_text, summary
    from .common import load

    if format not in ("text", "json"):
        usage(f"unknown format '{format}' (choose text or json)", "--format")
    _, current = load(ledger, at)
    problems = run_checks(current)
    if format == "json":
        typer.echo(as_json(problems))
    else:
        if problems:
            typer.echo(as_text(problems) + "\n")
        typer.echo(summary(problems, len(current.records)))
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)
