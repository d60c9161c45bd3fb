"""An action that fails in the TUI becomes a message; the app keeps running."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import tamper
from tests.conftest import tui_app

SIZE = (120, 36)


def _errors(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_undo_of_an_entry_that_no_longer_validates(sample_path: Path, tmp_path: Path):
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "7")
        await pilot.pause()
        tamper(
            sample_path,
            'UPDATE events SET before = \'{"id": "c-x", "text": 5}\' '
            "WHERE seq = (SELECT max(seq) FROM events)",
        )
        await pilot.press("u")
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done" in m for m in _errors(app)), _errors(app)
        await pilot.press("j")  # still usable
        await pilot.pause()
        assert app.is_running


async def test_export_from_the_palette_on_a_damaged_casebook(sample_path: Path, tmp_path: Path):
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tamper(sample_path, "UPDATE claims SET body = '{\"broken\": ' WHERE rowid = 3")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export markdown report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done" in m for m in _errors(app)), _errors(app)
    assert not list(tmp_path.glob("*-report.md"))
