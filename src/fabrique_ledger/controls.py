"""The characters no text of the ledger may hold (issue 13), in one place for the records that refuse them
at input (``records.py``) and the renderers that show them when one reaches an output anyway
(``render/escape.py``).

They are what other members' terminals, editors and pages would act on instead of showing: C0 controls,
DEL, C1 controls, bidirectional embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
A multi-line text (a description, a comment, a note) may hold line breaks and tabs; a one-line text holds
neither.  No import here: the command line loads this module before anything else.
"""

from __future__ import annotations

import re

CONTROLS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069"  # a regex character range
_IN_TEXT = re.compile(f"[{CONTROLS}]")
_IN_LINE = re.compile(f"[\\t\\n{CONTROLS}]")


def control_character(text: str, one_line: bool = True) -> tuple[int, str] | None:
    """The first character ``text`` may not hold (its 1-based position and the character), or None."""
    found = (_IN_LINE if one_line else _IN_TEXT).search(text)
    return (found.start() + 1, found.group()) if found else None
