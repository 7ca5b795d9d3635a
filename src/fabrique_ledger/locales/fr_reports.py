"""French of the documents: report, review, split, contributors and payouts (report.py, review.py, split/, contributors.py, render/): see ``fr.py``."""

FR_REPORTS: dict[str, str] = {
}
