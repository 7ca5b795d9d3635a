"""The line reader of record files (store/plainyaml.py) gives exactly what the YAML parser gives.

For every text it reads — generated ones built to be near the edge of what it accepts, the shipped
ledger, and a generated ledger of 3 000 records — the data (types included: 1 is not 1.0, a date is
not a string), the position of every value and of every key are the parser's.  Everything else it
leaves to the parser, so the hostile-input corpus of test_fuzz.py and test_check_bad_input.py keeps
its exact problems; and it must read the usual files, or a cold read would not be faster.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabrique_ledger.store import plainyaml, yamlio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import facts  # noqa: E402


def typed(value):
    """A value with the type of every part, so that 1 == 1.0 == Decimal(1) == True cannot hide a difference."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value).__name__, str(value) if isinstance(value, Decimal) else value


def by_the_parser(text: str, monkeypatch) -> yamlio.Parsed:
    with monkeypatch.context() as patch:
        patch.setattr(plainyaml, "read", lambda text: None)
        return yamlio.parse(text.encode("utf-8"), "f.yaml")


def same_as_the_parser(text: str, monkeypatch) -> bool:
    """Whether the line reader read ``text``; when it did, its result is the parser's."""
    mine = plainyaml.read(text)
    if mine is None:
        return False
    theirs = by_the_parser(text, monkeypatch)
    assert not theirs.problems, (text, theirs.problems)
    assert (typed(mine[0]), mine[1], mine[2]) == (typed(theirs.data), theirs.values, theirs.keys), text
    return True


WORDS = ["1", "-5", "+3", "0", "007", "0x1F", "0o17", "0b101", "1_000", "1.5", "-1.50", ".5", "1.", "1e3", "1.0e+3",
         ".inf", "-.inf", ".nan", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "yes", "no", "on", "off",
         "2026-01-20", "2026-1-2", "2026-01-20 10:00:00", "2026-01-20T10:00:00Z", "2026-02-30", "12:30", "1:2:3",
         "a", "Covoiturage rural", "wiki: urbaine", "https://wiki.example.org/wiki/A_b#c", "C#", "a #b", "a:", "a:b",
         "-", "- x", "-x", "?", "? x", ":x", "[a, b]", "{a: 1}", "&a x", "*a", "!!str 1", "!x y", "|", ">", "%x", "@x",
         "`x", "'q'", "'it''s'", "'a'b'", "'unclosed", '"q"', '"a\\"b"', '"a\\nb"', '"x', "...", "---", "=", "<<",
         "é à ç", "Ärger", "日本語", "😀", "a\u00a0b", "a\u200bb", "a\u2028b", "a\x85b", "<b>x</b>", "x | y", "x > y"]
COMMON = [w for w in WORDS if plainyaml.read(f"k: {w}\n") is not None]  # more often, so that most texts are read
VALUE = st.one_of(st.sampled_from(WORDS), st.sampled_from(COMMON), st.sampled_from(COMMON))
KEYS = ["authors", "kind", "title", "hours", "date", "member", "share", "amount", "a_b", "Key", "true", "null", "1",
        "x-y", "é", "a b"]
KEY = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS[:10]), st.sampled_from(KEYS[:10]))
LINE = st.one_of(
    st.tuples(st.sampled_from(KEYS), st.sampled_from(WORDS)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.sampled_from(KEYS).map(lambda k: f"{k}:"),
    st.sampled_from(WORDS).map(lambda w: f"- {w}"),
    st.tuples(st.sampled_from(KEYS), st.sampled_from(WORDS)).map(lambda kv: f"- {kv[0]}: {kv[1]}"),
    st.sampled_from(["", "# a comment", "  ", "-", "--- ", "...", "key:  spaced", "key: value  ", "key: value # c",
                     "key:\tx", "\tkey: x", "key: x\r", "  - member: a", "    share: 0.5"]),
)


@st.composite
def records(draw):
    """Texts of the usual shape with edge values, co-author lists at either indentation, comments, blank
    lines, and now and then a line of another shape."""
    lines = []
    for key in draw(st.lists(KEY, min_size=1, max_size=6, unique=True)):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(VALUE)}")
            continue
        lines.append(f"{key}:")
        indent, gap = " " * draw(st.sampled_from([0, 2, 4])), " " * draw(st.sampled_from([1, 1, 3]))
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                lines.append(f"{indent}-{gap}{draw(VALUE)}")
                continue
            keys = draw(st.lists(KEY, min_size=1, max_size=3, unique=True))
            lines.append(f"{indent}-{gap}{keys[0]}: {draw(VALUE)}")
            lines += [f"{indent} {gap}{k}: {draw(VALUE)}" for k in keys[1:]]
    for _ in range(draw(st.sampled_from([0, 0, 1]))):
        lines.insert(draw(st.integers(0, len(lines))), draw(LINE))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1500)), suppress_health_check=list(HealthCheck), deadline=None)
@given(records())
def test_what_it_reads_the_parser_reads_the_same(monkeypatch, text):
    same_as_the_parser(text, monkeypatch)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 300)), suppress_health_check=list(HealthCheck), deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS[:8]), st.text(min_size=1, max_size=12), min_size=1, max_size=6))
def test_any_text_as_a_value(monkeypatch, values):
    same_as_the_parser("".join(f"{key}: {value}\n" for key, value in values.items()), monkeypatch)


@pytest.mark.parametrize("text", [
    "authors:\n  - member: alice\n    share: 0.6\n  - member: bruno\n    share: 0.4\nkind: code\n",
    "authors:\n- member: alice\n  share: 0.6\n- member: bruno\n  share: 0.4\n",
    "authors:\n  -   member: alice\n      share: 1\n",
    "# a note\n\ntitle: x\n  # indented comment\nhours: 2\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "list:\n  - a\n  - 'b'\n  - \"c\"\n",
    "title: 'L''atelier'\nurl: https://x.org/a?b=c&d=e#f\n",
    "amount: 1500.10\nhours: 12\ndate: 2026-01-20\nshare: .5\n",
])
def test_the_usual_shapes_are_read_by_lines(monkeypatch, text):
    assert same_as_the_parser(text, monkeypatch)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "roles: [a]\n", "a: b # c\n", "a:\n", "a: 'x\n  y'\n",
    "a: x\n  y\n", "- a\n", "  a: 1\n", "a: \"x\\ty\"\n", "a:\tb\n", "a: 1\r\n", "a: x\u2028y\n", "<<: {}\n",
])
def test_other_shapes_are_left_to_the_parser(text):
    assert plainyaml.read(text) is None


def test_every_file_of_the_shipped_and_a_generated_ledger(monkeypatch):
    texts = [path.read_text("utf-8") for path in sorted((ROOT / "ledger").rglob("*.yaml"))]
    texts += [text for _, text in facts(3000)[0]]
    read = sum(same_as_the_parser(text, monkeypatch) for text in texts)
    assert read >= 0.95 * len(texts), f"only {read} of {len(texts)} files read by lines"
