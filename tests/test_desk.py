"""A desk on one casebook: reviewers in separate processes, assignment, who did what."""

from __future__ import annotations

from pathlib import Path

from tests import desk_campaign


def test_concurrent_reviewers_lose_no_acknowledged_write(tmp_path: Path) -> None:
    # Six processes, five verdicts each; three race on one claim, half of their writes stale
    # on purpose. Every acknowledged verdict must be in the history afterwards, every
    # refusal the stale-write message, nothing an internal error.
    casebook = str(tmp_path / "desk.casebook")
    tally, _ = desk_campaign.run(casebook, 6, 5, folder=tmp_path)
    assert tally.attempts == 30
    assert tally.internal_errors == []
    assert tally.other_refusals == []
    assert tally.acknowledged > 0 and tally.lost == 0
    assert tally.duplicate_revisions == 0
    assert tally.stale_on_purpose == 3 * 2
    assert tally.stale_refused >= tally.stale_on_purpose
    assert tally.acknowledged + tally.stale_refused == tally.attempts
