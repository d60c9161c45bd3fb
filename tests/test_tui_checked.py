"""The "already checked?" panel: searched in a worker thread, never on the thread that answers
keys; an answer shows on its own claim only; a failing search is one message, not a crash."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import FakeClock, tui_app
from tests.test_tui import BELGOROD, MIGRANTS, SIZE, select
from verify import actions
from verify.store import Store
from verify.ui import already_checked
from verify.ui.already_checked import Answers

BOTH_BACKENDS = True
"""The worker opens its own connection: from a file's path or from a server's address."""

TWIN = "Ukrainian attacks killed 25 people, five of them children, in Belgorod."
"""Another wording of the sample's Belgorod claim: its panel names that earlier check."""


def add_twin(path: Path | str) -> str:
    """The twin, dated last: the last claim of the list, away from the one shown first."""
    with Store.open(path, clock=FakeClock(), actor="tester") as store:
        twin = actions.new_claim(TWIN, at=datetime(2099, 1, 1, tzinfo=UTC))
        store.add_claim(twin)
    return twin.id


def panel(app) -> str:
    matches = app.claim_view.query_one("#claim-matches")
    return str(matches.render()) if matches.display else ""


async def move_to(pilot, app, claim_id: str) -> None:
    """Put the cursor on a claim without waiting for its search (test_tui.select waits)."""
    app.claim_list.cursor = app.rows.index_of(claim_id)
    await pilot.pause()
    assert app.ctx is not None and app.ctx.claim.id == claim_id


async def settle(app, pilot) -> None:
    """Until every search started so far has answered and the screen has caught up."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def hold_search_of(monkeypatch, claim_id: str) -> threading.Event:
    """The search for `claim_id` waits until the returned event is set (the reviewer can
    move on, or a colleague save, before it answers)."""
    release = threading.Event()
    search = already_checked.search

    def slow(store: Store, searched: str, text: str) -> already_checked.Matches:
        if searched == claim_id:
            release.wait(10)
        return search(store, searched, text)

    monkeypatch.setattr(already_checked, "search", slow)
    return release


def record_searches(monkeypatch) -> list[tuple[str, int]]:
    """(claim id, thread) of every "already checked?" search from now on."""
    calls: list[tuple[str, int]] = []
    search = already_checked.search

    def recorded(store: Store, claim_id: str, text: str) -> already_checked.Matches:
        calls.append((claim_id, threading.get_ident()))
        return search(store, claim_id, text)

    monkeypatch.setattr(already_checked, "search", recorded)
    return calls


async def test_searches_run_off_the_ui_thread_and_answer_on_arrival(
    sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    twin = add_twin(sample_path)
    calls = record_searches(monkeypatch)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ui_thread = threading.get_ident()  # the test drives the app's own event loop
        await settle(app, pilot)
        rows = [app.rows.get(i).id for i in range(len(app.rows))]
        assert rows.index(twin) > 2 and twin not in [claim_id for claim_id, _ in calls]
        above = rows[rows.index(twin) - 1]
        await select(pilot, app, above)
        await settle(app, pilot)
        # The claim below the cursor was searched while the reviewer read this one.
        assert twin in [claim_id for claim_id, _ in calls]
        searched = len(calls)
        seen: list[tuple[str, list[str]]] = []
        show = app.claim_view.show

        def recorded(ctx) -> None:
            seen.append((ctx.claim.id, [m[0] for m in ctx.matches]))
            show(ctx)

        app.claim_view.show = recorded
        await pilot.press("down")
        await pilot.pause()
        # The pane shows the claim with its answers at once, and nothing searched for it then.
        assert seen[-1] == (twin, [BELGOROD])
        assert twin not in [c for c, _ in calls[searched:]]
        await settle(app, pilot)
        assert BELGOROD in panel(app) and "disputed" in panel(app)
        assert calls and all(thread != ui_thread for _, thread in calls)
        # A claim shown again reads its answers from what was kept: no search again.
        before = [c for c, _ in calls].count(twin)
        await pilot.press("up", "down")
        await settle(app, pilot)
        assert [c for c, _ in calls].count(twin) == before
        assert BELGOROD in panel(app)


async def test_an_answer_shows_only_on_its_own_claim(
    sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    twin = add_twin(sample_path)
    release = hold_search_of(monkeypatch, twin)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await move_to(pilot, app, twin)
        assert app.ctx is not None and app.ctx.matches == []  # still searching
        await move_to(pilot, app, MIGRANTS)
        release.set()
        await settle(app, pilot)
        assert app.ctx is not None and app.ctx.claim.id == MIGRANTS
        assert app.ctx.matches == [] and panel(app) == ""
        assert (twin, TWIN) in app.answers  # kept for when the reviewer comes back
        await select(pilot, app, twin)
        assert app.ctx is not None and app.ctx.matches[0][0] == BELGOROD
        assert BELGOROD in panel(app)


async def test_a_colleagues_change_during_a_search_does_not_leave_the_panel_empty(
    sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    from verify.ui import watching

    twin = add_twin(sample_path)
    release = hold_search_of(monkeypatch, twin)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await move_to(pilot, app, twin)
        # A colleague saved another claim meanwhile: answers read before it are dropped,
        # and the shown claim is searched again rather than left without its panel.
        watching.reload_claims(app, {MIGRANTS})
        release.set()
        await settle(app, pilot)
        assert app.ctx is not None and app.ctx.claim.id == twin
        assert app.ctx.matches and app.ctx.matches[0][0] == BELGOROD
        assert BELGOROD in panel(app)


async def test_a_colleagues_new_claim_shows_in_the_panel_of_the_claim_it_repeats(
    sample_path: Path, tmp_path: Path
) -> None:
    from verify.ui import watching

    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, app, BELGOROD)
        await settle(app, pilot)
        assert app.ctx is not None and app.ctx.matches == []  # nothing like it yet
        # A colleague writes the same claim in other words meanwhile: the reviewer looking
        # at it is told it is being checked, as a fresh look at the claim would tell.
        twin = add_twin(sample_path)
        watching.look(app)
        await settle(app, pilot)
        assert app.ctx is not None and app.ctx.claim.id == BELGOROD
        assert [m[0] for m in app.ctx.matches] == [twin]
        assert "Ukrainian attacks killed 25" in panel(app)


async def test_a_failing_search_is_said_once_and_the_app_goes_on(
    sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    def broken(store: Store, claim_id: str, text: str) -> already_checked.Matches:
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(already_checked, "search", broken)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("down", "down", "up"):
            await pilot.press(key)
            await settle(app, pilot)
        assert app.is_running and app.return_code is None
        current = app.claim_list.current
        assert app.ctx is not None and current is not None and app.ctx.claim.id == current.id
        said = [n.message for n in app._notifications if "could not search" in n.message]
        assert len(said) == 1 and "index unreadable" in said[0]


@pytest.mark.sqlite_only
def test_an_answer_searched_before_the_casebook_changed_is_dropped() -> None:
    answers = Answers()
    before = answers.generation
    assert answers.put(("c1", "text"), [], before)
    answers.forget()
    assert ("c1", "text") not in answers
    assert not answers.put(("c1", "text"), [("c2", 90.0, "t", None)], before)
    assert ("c1", "text") not in answers
    assert answers.put(("c1", "text"), [], answers.generation)
