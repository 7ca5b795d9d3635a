"""The reciprocity report of a period (DESIGN §8) in each of its formats, one module per format:

- ``report_layout``: the page's sections as grids and the agenda as items, shared by the readable formats;
- ``report_markup``: Markdown and MediaWiki (one walk, two dialects);
- ``report_terminal``: the rich terminal page;
- ``report_csv``: one CSV table per section;
- ``report_html``: the standalone HTML page.

This module names them for the command that chooses among them.
"""

from __future__ import annotations

from .formats import pretty_date, pretty_money, pretty_number
from .report_csv import as_csv
from .report_layout import SECTIONS
from .report_markup import as_markdown, as_wiki
from .report_terminal import print_terminal

__all__ = ["SECTIONS", "as_csv", "as_markdown", "as_wiki", "pretty_date", "pretty_money", "pretty_number",
           "print_terminal"]
