"""Attribution stays linear in the sentence, whatever runs of text an adversary repeats.

Cost is compared within one run (n against 4n repetitions): a linear search costs about 4
times more, a quadratic one 16 times; no wall-clock limit.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.ingest import tagger
from verify.ingest.attribution import attribute

# The words the tagger most often takes for reporting words: those its features key on.
VERBS = sorted(tagger.lexicon(), key=lambda w: -tagger.lexicon()[w])[:12]

PIECES = [" ", "  ", "\t", "\n", ",", ", ", "“", "”", '"', "’", "'", ";", ":", ".", "x", "A"]
PIECES += [f" {v} " for v in VERBS]
PIECES += [" has ", " also ", " according to ", " he ", " said,", ", said"]

unit = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


def _cost(text: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        attribute(text)
        best = min(best, time.perf_counter() - start)
    return best


def _ratio(piece: str, n: int) -> float:
    small = _cost("The minister" + piece * n + " x.")
    large = _cost("The minister" + piece * (4 * n) + " x.")
    return large / max(small, 1e-6)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(piece=unit)
def test_cost_grows_linearly_with_repeated_runs(piece: str) -> None:
    n = max(1, 2000 // len(piece))
    ratio = _ratio(piece, n)
    if ratio >= 8:  # a busy machine can slow one measurement: measure again before failing
        ratio = min(ratio, _ratio(piece, n))
    assert ratio < 8, (piece, ratio)


def test_a_long_whitespace_run_is_linear() -> None:
    # The case that once cost a minute: 16,000 spaces in one sentence.
    assert _ratio(" ", 2000) < 8
    assert attribute("The minister" + " " * 16000 + "said 25 people died.").speaker == (
        "The minister"
    )
