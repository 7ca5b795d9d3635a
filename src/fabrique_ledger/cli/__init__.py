"""The ``fab`` command: a thin Typer layer over the library (one module per group of commands)."""

from __future__ import annotations

from ..i18n import speaking_english
from .app import app

# The commands register themselves on app.  Their help texts (``help=_(...)``, docstrings) are built here, in
# English whatever the run's language: localize() words them when the language is known, before they show.
with speaking_english():
    from . import audit, checking, contributors, coremuneration, missions, payouts, reviewing, signing, writes  # noqa: E402,F401

__all__ = ["app", "main", "audit", "checking", "contributors", "coremuneration", "missions", "payouts", "reviewing", "signing", "writes"]


def main() -> None:
    app()
