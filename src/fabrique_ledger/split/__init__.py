"""The co-remuneration split (DESIGN §6): pure, exact math on plain values.

Nothing in this package reads files, prints or imports beyond the standard library: the ledger
side builds a :class:`SplitInputs` and calls :func:`compute_split`.
"""

from .apportion import Capped, apply_cap, largest_remainder
from .engine import (
    BELOW_MIN_PAYOUT,
    CAPPED,
    NO_SCORE,
    Line,
    PolicySpec,
    SplitInputs,
    SplitResult,
    compute_split,
)
from .policies import POLICIES, Outcome, run_policy

__all__ = [
    "BELOW_MIN_PAYOUT",
    "CAPPED",
    "NO_SCORE",
    "POLICIES",
    "Capped",
    "Line",
    "Outcome",
    "PolicySpec",
    "SplitInputs",
    "SplitResult",
    "apply_cap",
    "compute_split",
    "largest_remainder",
    "run_policy",
]
