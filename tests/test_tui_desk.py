"""The TUI on a desk: who did what, claims assigned to me, a colleague's change on screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from tests.conftest import tui_app
from verify.models import utcnow
from verify.store import Store
from verify.ui.app import WATCH_INTERVAL, VerifyApp
from verify.ui.claim_list import ClaimList

BELGOROD = "c-2zjgpgfw"
MIGRANTS = "c-65jxr4wr"
SIZE = (120, 36)


def _text(app: VerifyApp, selector: str) -> str:
    return str(app.query_one(selector).render())


def _list_lines(app: VerifyApp) -> list[str]:
    claims = app.query_one(ClaimList)
    return [claims.render_line(y).text for y in range(len(claims.rows))]


async def _palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_tui_actions_log_the_reviewer_from_verify_actor(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFY_ACTOR", "tui-reviewer")
    with Store.open(sample_path) as s:
        first_new = s.events()[-1].seq + 1
    app = tui_app(sample_path, tmp_path, actor=None)  # as `verify` starts it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "7")
        await pilot.pause()
        await _palette(pilot, "Assign to me")
        assert "assigned tui-reviewer" in _text(app, "#claim-header")
        await pilot.press("u")
        await pilot.pause()
    with Store.open(sample_path) as s:
        events = [e for e in s.events() if e.seq >= first_new]
        claim = s.get_claim(BELGOROD)
    assert [(e.action, e.actor) for e in events] == [
        ("claim.verdict", "tui-reviewer"),
        ("claim.assign", "tui-reviewer"),
        ("undo", "tui-reviewer"),
    ]
    assert claim.verdict is not None and claim.verdict.reviewer == "tui-reviewer"
    assert claim.assignee == ""  # the assignment was undone


async def test_mine_filter_and_the_assignee_on_screen(sample_path: Path, tmp_path: Path) -> None:
    with Store.open(sample_path) as s:
        for claim_id, who in ((BELGOROD, "tester"), (MIGRANTS, "Someone Else")):
            s.update_claim(claim_id, lambda c, w=who: c.model_copy(update={"assignee": w}), "a")
    app = tui_app(sample_path, tmp_path)  # the reviewer is "tester"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "assigned tester" in _text(app, "#claim-header")
        lines = _list_lines(app)
        assert "@tester" in lines[0] and "@Someone Els" in lines[1]
        assert not any("@" in line for line in lines[2:])
        await pilot.press("slash", *"assigned:me", "enter")
        await pilot.pause(0.3)
        assert app.rows.ids == [BELGOROD]
        await pilot.press("slash", "escape")
        await pilot.press("slash", *"assigned:SOMEONE", "enter")  # a one-word name, any case
        await pilot.pause(0.3)
        assert app.rows.ids == []
        await pilot.press("slash", "escape")
        await pilot.press("slash", *"assigned:none", "enter")
        await pilot.pause(0.3)
        assert app.rows.ids is not None and len(app.rows.ids) == 4
        assert BELGOROD not in app.rows.ids and MIGRANTS not in app.rows.ids
        await pilot.press("slash", "escape")
        await pilot.pause()
        await _palette(pilot, "Mine: claims assigned to me")
        await pilot.pause(0.3)
        assert app.filter_input.value == "assigned:me" and app.rows.ids == [BELGOROD]


async def test_a_colleagues_verdict_from_another_process_shows_on_the_next_look(
    sample_path: Path, tmp_path: Path
) -> None:
    app = tui_app(sample_path, tmp_path, watch_interval=WATCH_INTERVAL, clock=utcnow)
    looks = 0
    check = app._check_outside_changes

    def counted() -> None:
        nonlocal looks
        looks += 1
        check()

    app._check_outside_changes = counted  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert app.ctx is not None and app.ctx.claim.id == MIGRANTS
        body = app.query_one("#claim-body", VerticalScroll)
        assert body.max_scroll_y >= 2  # the claim is taller than its pane here
        body.scroll_to(y=2, animate=False, immediate=True)
        await pilot.pause()
        env = {**os.environ, "VERIFY_ACTOR": "colleague"}
        verdict = ["verdict", MIGRANTS, "false", "--yes", "--rationale", "Police said so."]
        done = subprocess.run(
            [sys.executable, "-m", "verify", *verdict, "--casebook", str(sample_path)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        committed_at = looks
        # Bounded by looks, not by time: the first look after the commit must show it (the
        # second at most, if one was under way as the other process committed).
        for _ in range(600):
            if "FALSE" in _text(app, "#verdict") or looks > committed_at + 2:
                break
            await pilot.pause(0.05)
        shown = _text(app, "#verdict")
        assert "FALSE" in shown and "by colleague" in shown and "Police said so." in shown
        assert looks <= committed_at + 2
        await pilot.pause()
        # The reviewer stays where they were: same claim, same place in it.
        assert app.claim_list.current is not None and app.claim_list.current.id == MIGRANTS
        assert body.scroll_y == 2
        lines = _list_lines(app)
        assert lines[1].startswith("FALS")  # the narrow list shortens badges


async def test_a_colleagues_edit_updates_a_filtered_list_without_rereading_every_claim(
    sample_path: Path, tmp_path: Path
) -> None:
    app = tui_app(sample_path, tmp_path, watch_interval=WATCH_INTERVAL, clock=utcnow)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"police", "enter")
        await pilot.pause(0.3)
        assert app.rows.ids == [MIGRANTS]
        index = app._filter_index
        assert index is not None
        edit = ["edit", "claim", BELGOROD, "--text", "Belgorod police counted 25 dead."]
        done = subprocess.run(
            [sys.executable, "-m", "verify", *edit, "--casebook", str(sample_path)],
            env={**os.environ, "VERIFY_ACTOR": "colleague"},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        for _ in range(600):
            if app.rows.ids is not None and BELGOROD in app.rows.ids:
                break
            await pilot.pause(0.05)
        assert app.rows.ids is not None and sorted(app.rows.ids) == sorted([MIGRANTS, BELGOROD])
        assert any("Belgorod police counted" in line for line in _list_lines(app))
        # The colleague's one claim was read, not every claim's text again.
        assert app._filter_index is index
        assert app.ctx is not None and app.ctx.claim.id == MIGRANTS
