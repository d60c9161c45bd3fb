"""Reviewed pictures of the screens at a fixed size (update only after reading the diff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import tui_app

SIZES = {"80x24": (80, 24), "160x45": (160, 45)}
"""The smallest terminal a desk works in, and a large one."""


@pytest.fixture
def app(sample_path: Path, tmp_path: Path):
    return tui_app(sample_path, tmp_path)


async def _no_blink(pilot) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", list(SIZES))
def test_main_screen(snap_compare, app, size: str) -> None:
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_no_blink)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(
    "key",
    ["v", "e", "m", "question_mark", "x", "f"],
    ids=["verdict", "evidence", "ach", "help", "edit", "search"],
)
def test_dialogs(snap_compare, app, key: str, size: str) -> None:
    async def open_it(pilot) -> None:
        await pilot.press(key)
        await pilot.pause()
        await _no_blink(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_it)
