"""The ``fab`` command: a thin Typer layer over the library (one module per group of commands).

The command modules import the library inside each command, on purpose: ``fab --help``, ``fab --version``
and Click's usage errors then answer without loading pydantic, GitPython, ruamel.yaml or rich (importing
the library's façade takes about twice as long as the command line itself), and a command loads only what
it uses.  That is the one reason for the imports
inside functions of cli/; the core has none but Babel and schwifty (tests/test_layers.py).
"""

from __future__ import annotations

from ..i18n import speaking_english
from .app import app

# The commands register themselves on app.  Their help texts (``help=_(...)``, docstrings) are built here, in
# English whatever the run's language: localize() words them when the language is known, before they show.
with speaking_english():
    from . import audit, checking, contributors, coremuneration, missions, payouts, reviewing, signing, writes  # noqa: E402,F401
    from . import sheets  # noqa: E402,F401  (fab import)

__all__ = ["app", "main", "audit", "checking", "contributors", "coremuneration", "missions", "payouts", "reviewing", "signing", "writes", "sheets"]

with speaking_english():  # fab wiki publish / harvest (issue 16)
    from . import wiki  # noqa: E402,F401
__all__.append("wiki")


def main() -> None:
    app()
