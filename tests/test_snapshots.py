"""Reviewed pictures of the screens at a fixed size (update only after reading the diff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import tui_app

SIZE = (110, 32)


@pytest.fixture
def app(sample_path: Path, tmp_path: Path):
    return tui_app(sample_path, tmp_path)


async def _no_blink(pilot) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def test_main_screen(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=_no_blink)


@pytest.mark.parametrize(
    "key", ["v", "e", "m", "question_mark"], ids=["verdict", "evidence", "ach", "help"]
)
def test_dialogs(snap_compare, app, key: str) -> None:
    async def open_it(pilot) -> None:
        await pilot.press(key)
        await pilot.pause()
        await _no_blink(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)
