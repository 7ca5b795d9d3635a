"""fab: a commons' reciprocity ledger, kept as plain YAML files in git.

The library, as a program uses it::

    from datetime import date
    from decimal import Decimal
    import fabrique_ledger as fab

    ledger = fab.open_ledger("path/to/ledger")
    problems = fab.check(ledger)
    split = fab.period_split(ledger, "2026-H1")          # Decimals, dates, messages
    done = fab.record(lambda l: fab.drafts.donation(l, donor="bruno", amount=Decimal("1500"), day=date(2026, 2, 18)),
                      "path/to/ledger", kind="donation", day=date(2026, 2, 18))
    print(done.draft.rel, done.commit)

(``split`` and ``report`` are the core's subpackage and module; their façade functions are
``period_split`` and ``period_report``.)  Everything is imported on first use (PEP 562), so that ``fab --help`` does not load git, YAML or pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "open_ledger": "api", "record": "api", "write": "api", "check": "checks", "period_split": "api", "period_report": "api",
    "Recorded": "api", "Refused": "api", "Ledger": "ledger", "Draft": "drafts", "FabError": "problems",
    "Problem": "problems", "Period": "periods", "Settings": "settings", "drafts": None, "records": None,
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fabrique_ledger' has no attribute {name!r}")
    module = _EXPORTS[name]
    value = importlib.import_module(f".{module or name}", __name__)
    return value if module is None else getattr(value, name)
