"""Issue 15: a command line people enjoy — what a new user meets, in English and in French.

Each test names the item of the issue it holds to."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from fabrique_ledger.i18n import set_language
from fabrique_ledger.render.formats import as_json, pretty_money
from fabrique_ledger.render.report import print_terminal

REPO = Path(__file__).resolve().parent.parent
MONEY_KEYS = {"amount", "donations", "suggested_donation", "paid", "carried_over", "distributable", "total",
              "commons", "carried_in", "due", "owed"}


def _amounts(data, found: set[str]) -> set[str]:
    """Every amount of a report (its JSON form), by the keys that hold money."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in MONEY_KEYS and isinstance(value, str) and value.replace(".", "").isdigit():
                found.add(value)
            else:
                _amounts(value, found)
    elif isinstance(data, list):
        for value in data:
            _amounts(value, found)
    return found


@pytest.fixture(scope="module")
def shipped_report(tmp_path_factory):
    """The shipped sample ledger (ledger/ and charter.md of the repository), read on the README's day."""
    from fabrique_ledger.store.inventory import read_ledger

    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "ledger", root / "ledger")
    shutil.copy(REPO / "charter.md", root / "charter.md")
    ledger = read_ledger(root, date(2026, 11, 27), use_cache=False)
    return ledger


@pytest.mark.parametrize("period", ["2026-H1", "2026-H2"])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_1_report_never_cuts_an_amount(shipped_report, lang, width, period):
    """Item 1: at 60, 80 and 120 columns every amount of the page is shown whole, and nothing is cut ('…')."""
    from fabrique_ledger.periods import Period
    from fabrique_ledger.report import build_report

    ledger = shipped_report
    set_language(lang)
    report = build_report(ledger, Period.parse(period, ledger.settings.period))
    amounts = _amounts(json.loads(as_json(report)), set())
    assert len(amounts) > 5
    console = Console(record=True, width=width, color_system=None)
    print_terminal(report, console)
    text = console.export_text()
    assert "…" not in text
    for amount in amounts:
        assert pretty_money(amount) in text, (amount, width, lang)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
