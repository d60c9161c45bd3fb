"""Moving from claim to claim: the claim pane is updated in place, in one layout of the screen,
with no widget mounted or removed, and the list draws again only the rows whose highlight moved.
What the pane shows after a move is checked against a pane built afresh in test_tui_reads.py."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.content import Content

from verify.ui.claim_list import ClaimList
from verify.ui.claim_view import same

SIZES = [(80, 24), (160, 45)]


async def walk(app, pilot, keys: list[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_a_move_lays_the_screen_out_once_and_mounts_nothing(size, sample_tui) -> None:
    async with sample_tui(size) as (app, pilot):
        steps = len(app.rows) - 1
        assert steps >= 4
        # A first walk down and back: the pane then holds as many account columns as the
        # claim with the most accounts needs, and moving never has to add one.
        await walk(app, pilot, ["down"] * steps + ["up"] * steps)
        pane = app.claim_view
        body = pane.query_one("#claim-body")
        widgets = list(pane.query("*"))
        layouts = [0]
        app.screen.screen_layout_refresh_signal.subscribe(
            pane, lambda _: layouts.__setitem__(0, layouts[0] + 1), immediate=True
        )
        claims = app.query_one(ClaimList)
        drawn: set[int] = set()
        render_line = claims.render_line

        def counted(y: int) -> object:
            drawn.add(y)
            return render_line(y)

        claims.render_line = counted
        shapes = set()
        for key in ["down"] * steps + ["up"] * steps:
            layouts[0] = 0
            drawn.clear()
            before = claims.cursor
            scrollbar, height = body.show_vertical_scrollbar, body.size.height
            await pilot.press(key)
            await pilot.pause()
            ctx = app.ctx
            assert ctx is not None and claims.current is not None
            assert ctx.claim.id == claims.current.id
            shapes.add((len(ctx.claim.accounts), bool(ctx.claim.evidence), bool(ctx.matches)))
            # Laid out again, by Textual's scrollbar only: once more for a verdict of another
            # height, which leaves the scrolling part (and its scrollbar) another height; twice
            # more for a claim that needs the scrollbar when the one before did not (or the
            # other way round): the pane at its new width, then the scrollbar at its own size.
            if body.show_vertical_scrollbar != scrollbar:
                allowed = 3
            else:
                allowed = 1 + (scrollbar and body.size.height != height)
            assert layouts[0] <= allowed, (key, ctx.claim.id, layouts[0])
            assert list(pane.query("*")) == widgets, "a move mounted or removed widgets"
            # The list does not scroll here (every claim fits): only the two rows whose
            # highlight changed are drawn again.
            assert drawn <= {before, claims.cursor}, (drawn, before, claims.cursor)
        assert len(shapes) > 2  # the walk crossed claims of different make-up


async def test_the_first_claim_with_more_accounts_adds_columns_that_stay(sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        steps = len(app.rows) - 1
        counts = []
        for _ in range(steps):
            await pilot.press("down")
            await pilot.pause()
            assert app.ctx is not None
            accounts = len(app.ctx.claim.accounts)
            columns = app.claim_view.query(".account-column")
            shown = [c for c in columns if c.display]
            assert len(shown) == accounts
            counts.append(len(columns))
        assert counts == sorted(counts)  # columns are hidden, never removed


def test_a_part_of_the_pane_is_left_alone_only_when_it_would_draw_the_same() -> None:
    assert same(Text("No verdict", style="dim"), Text("No verdict", style="dim"))
    assert not same(Text("No verdict", style="dim"), Text("No verdict"))
    bold, plain = Text(), Text()
    bold.append("D", style="bold")
    plain.append("D")
    assert not same(bold, plain)
    grade = Content.assemble(("1. ", "bold"), (" D ", "bold $text-warning on $warning-muted"))
    assert same(
        grade, Content.assemble(("1. ", "bold"), (" D ", "bold $text-warning on $warning-muted"))
    )
    assert not same(grade, Content.assemble(("1. ", "bold"), (" D ", "bold $text-error")))
    assert not same(Text("x"), Content("x"))
