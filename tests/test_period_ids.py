"""One case for periods (issue 15, item 7): people read and type a period as 2026-H1; the ids of requests
and payments, which begin with their period, stay lowercase like every id (two file names that differ only
by case are one file on macOS and Windows), and an id typed with the period as it is read names the record."""

from __future__ import annotations


def _request(fab) -> None:
    assert fab("contribute", "--by", "chloe", "--kind", "code", "--title", "Export MediaWiki", "--hours", "8",
               "--date", "2026-07-21").code == 0
    made = fab("request", "--by", "chloe", "--amount", "900", "--justification", "2026-07-21-chloe-export-mediawiki",
               "--date", "2026-07-22")
    assert made.code == 0, made.err
    assert made.out.splitlines()[-1] == "id: 2026-h2-chloe"


def test_a_request_id_typed_with_its_period_as_read_is_reviewed(fab):
    _request(fab)
    reviewed = fab("review", "2026-H2-chloe", "--by", "bruno", "--approve", "--date", "2026-07-23")
    assert reviewed.code == 0, reviewed.err
    assert reviewed.out.splitlines()[:2] == [
        f"recorded ledger/reviews/2026-H2/2026-h2-chloe--bruno.yaml (committed {fab.head()[:10]})",
        "id: 2026-h2-chloe--bruno"]
    assert fab.git("log", "-1", "--format=%s").strip() == "review: bruno approves 2026-h2-chloe"


def test_the_old_lowercase_id_still_reads(fab):
    _request(fab)
    for typed in ("2026-h2-chloe", "2026-H2-chloe"):
        logged = fab("log", typed)
        assert logged.code == 0, logged.err
        assert "ledger/requests/2026-H2/2026-h2-chloe.yaml" in logged.out


def test_only_the_period_is_read_as_typed(fab):
    """Handles and the rest of an id are still told, not guessed (names.py)."""
    _request(fab)
    refused = fab("review", "2026-H2-Chloe", "--by", "bruno", "--approve", "--date", "2026-07-23")
    assert refused.code == 1
    assert refused.err.splitlines() == [
        "error: TARGET: '2026-H2-Chloe' is neither a contribution nor a request — did you mean 2026-h2-chloe?",
        "  hint: the ids are the file names under ledger/contributions/ and ledger/requests/"]
