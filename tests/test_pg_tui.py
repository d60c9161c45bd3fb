"""The TUI on either backend: the list, a verdict by one key, a colleague's change showing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tui_app
from tests.test_tui import BELGOROD, MIGRANTS, SIZE, claim, select, shown
from verify.models import utcnow
from verify.store import Store
from verify.ui.claim_list import ClaimList

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""


async def test_list_verdict_and_search_screen(sample_path: Path, tmp_path: Path) -> None:
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(app.query_one(ClaimList).rows) == 6
        assert shown(app) == BELGOROD
        await select(pilot, app, MIGRANTS)
        await pilot.press("v", "6")  # misleading; one independent source: asks first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    saved = claim(sample_path, MIGRANTS)
    assert saved.verdict and saved.verdict.label == "misleading"


async def test_a_colleagues_change_shows(sample_path: Path, tmp_path: Path) -> None:
    app = tui_app(sample_path, tmp_path, watch_interval=0.05, clock=utcnow)
    async with app.run_test(size=SIZE) as pilot:
        with Store.open(sample_path, actor="colleague") as other:
            other.update_claim(BELGOROD, lambda c: c.model_copy(update={"claimant": "X"}), "e")
        # Wait for the watcher rather than a fixed time: a busy machine polls late.
        for _ in range(300):
            await pilot.pause(0.1)
            if app.ctx is not None and app.ctx.claim.claimant == "X":
                break
        assert app.ctx is not None and app.ctx.claim.claimant == "X"
