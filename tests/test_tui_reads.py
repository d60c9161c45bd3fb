"""What the TUI reads from the casebook when it opens and when the reviewer moves: the parts
that grow with the casebook (every claim's search text, the "already checked?" search) stay off
the path between a key and the claim it shows."""

from __future__ import annotations

import pytest

from verify.store import Store
from verify.ui import already_checked


def count_calls(store: Store, name: str) -> list[int]:
    calls = [0]
    original = getattr(store, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    setattr(store, name, counted)
    return calls


async def test_opening_reads_no_search_text_until_a_word_is_typed(sample_tui, monkeypatch) -> None:
    calls = [0]
    original = Store.search_corpus

    def counted(self: Store) -> tuple[list[str], list[str]]:
        calls[0] += 1
        return original(self)

    monkeypatch.setattr(Store, "search_corpus", counted)
    async with sample_tui() as (app, pilot):
        total = len(app.rows)
        assert calls[0] == 0 and total > 3
        word = max(app.rows.get(0).text.split(), key=len)
        await pilot.press("slash", *word.lower())
        await pilot.pause()
        assert calls[0] == 1
        assert 0 < len(app.rows) < total


async def test_moving_up_and_down_shows_each_claim_without_searching_first(
    sample_tui, monkeypatch
) -> None:
    searches = [0]
    search = already_checked.search

    def counted(store: Store, claim_id: str, text: str) -> already_checked.Matches:
        searches[0] += 1
        return search(store, claim_id, text)

    monkeypatch.setattr(already_checked, "search", counted)
    async with sample_tui() as (app, pilot):
        await pilot.pause()
        await app.workers.wait_for_complete()  # the first claim's neighbours
        at_show: list[tuple[str | None, int]] = []
        show = app.claim_view.show

        def recorded(ctx: object) -> None:
            at_show.append((app.claim_list.current.id, searches[0]))
            show(ctx)  # type: ignore[arg-type]

        app.claim_view.show = recorded  # type: ignore[method-assign]
        for key in ("down", "down", "down", "up", "up"):
            before = searches[0]
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()  # a reviewer reading the claim
            shown_id, searched = at_show[-1]
            # The claim pane shows the claim the list is on, with its "already checked?"
            # answers, and got them without a search between the key and the pane.
            assert app.ctx is not None and shown_id == app.ctx.claim.id
            assert searched == before
            with Store.open(app.store.location) as store:  # searched afresh
                assert app.ctx.matches == search(store, app.ctx.claim.id, app.ctx.claim.text)


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 45)])
async def test_moving_shows_the_same_screen_as_opening_the_claim_afresh(size, sample_tui) -> None:
    # The pane is updated in place from claim to claim (accounts come and go, matches and
    # evidence appear and vanish, hidden account columns come back): what it shows must be
    # what a rebuilt pane shows. A walk down and back up updates the pane in place only (and
    # draws again only the list rows whose highlight moved); a second walk rebuilds the pane
    # and redraws the whole list at every claim.
    async with sample_tui(size) as (app, pilot):
        steps = min(8, len(app.rows) - 1)
        keys = ["down"] * steps + ["up"] * steps
        shapes = set()
        moved = []
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()  # the "already checked?" answers
            await pilot.pause()
            ctx = app.ctx
            assert ctx is not None
            shapes.add((bool(ctx.matches), len(ctx.claim.accounts), bool(ctx.claim.evidence)))
            moved.append((ctx.claim.id, app.export_screenshot()))
        assert len(shapes) > 2  # the walk crossed claims of different make-up
        for key, (claim_id, screen) in zip(keys, moved, strict=True):
            await pilot.press(key)
            await pilot.pause()
            app.claim_view.refresh(recompose=True)
            app.claim_list.refresh()  # every row drawn again, not only the two that changed
            await pilot.pause()
            assert app.ctx is not None and app.ctx.claim.id == claim_id
            assert app.export_screenshot() == screen, claim_id
