"""Seeing the decision: evidence once per row, the verdict and essential keys always in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from verify import evidence
from verify.models import EvidenceKind
from verify.store import Store
from verify.ui.claim_list import ClaimList
from verify.ui.claim_view import ClaimView

BELGOROD = "c-2zjgpgfw"


async def test_at_80x24_list_verdict_and_quit_and_help_are_visible(sample_tui) -> None:
    async with sample_tui((80, 24)) as (app, _pilot):
        screen = app.screen.region
        claims = app.query_one(ClaimList).region
        assert claims.height >= 5 and screen.contains_region(claims)
        verdict = app.query_one("#verdict").region
        assert verdict.height >= 3 and screen.contains_region(verdict)
        assert "DISPUTED" in str(app.query_one("#verdict", Static).render())
        keys = {k.description: k.region for k in app.query(FooterKey)}
        for essential in ("Quit", "Help", "Filter", "Verdict"):
            region = keys[essential]
            assert region.width > 0 and region.right <= 80, essential
        # The narrow pane stacks the accounts instead of squeezing them side by side.
        assert app.query_one(ClaimView).has_class("narrow")


async def test_evidence_rows_accounts_columns_each_item_once(sample_tui) -> None:
    async with sample_tui((160, 45)) as (app, _pilot):
        claim = app.ctx.claim  # type: ignore[union-attr]
        rendered = app.export_screenshot()
        for ev in claim.evidence:
            quote = ev.selector.quote.exact[:20]  # type: ignore[union-attr]
            assert rendered.count(quote.replace(" ", "&#160;")) == 1, quote
        assert not app.query_one(ClaimView).has_class("narrow")


async def test_file_evidence_shows_its_name_and_type(
    sample_path: Path, tmp_path: Path, sample_tui
) -> None:
    scan = tmp_path / "ministry-statement.pdf"
    scan.write_bytes(b"%PDF-1.4\x00 body")
    with Store.open(sample_path) as store:
        evidence.attach(store, BELGOROD, evidence.EvidenceDraft(EvidenceKind.file, path=str(scan)))
    async with sample_tui((160, 45)) as (app, _pilot):
        shown = app.export_screenshot()
        assert "ministry-statement.pdf" in shown and "application/pdf" in shown
        assert "sha256" not in shown


async def test_list_filters_by_status_verdict_source_tag_and_hides_dropped(
    sample_path: Path, sample_tui
) -> None:
    from verify import editing

    with Store.open(sample_path) as store:
        editing.edit_claim(store, "c-az7y8knn", editing.ClaimEdit(status="dropped"))
    async with sample_tui((120, 36)) as (app, pilot):
        rows = app.query_one(ClaimList).rows

        def listed() -> list[str]:
            return [rows.get(i).id for i in range(len(rows))]  # type: ignore[union-attr]

        assert len(rows) == 5 and "c-az7y8knn" not in listed()

        async def type_filter(text: str) -> list[str]:
            app.filter_input.value = text
            await pilot.pause()
            return listed()

        assert await type_filter("status:dropped") == ["c-az7y8knn"]
        assert await type_filter("verdict:unproven") == ["c-zx22sxj4", "c-v7naswc8"]
        assert await type_filter("tag:belgorod") == [BELGOROD]
        assert set(await type_filter("source:gladkov")) == {BELGOROD}
        assert set(await type_filter("status:open migrants")) == {"c-65jxr4wr"}
        assert await type_filter("status:decided source:nobody-at-all") == []
        assert len(await type_filter("")) == 5


async def test_search_screen_opens_the_claim_and_document_viewer_finds(sample_tui) -> None:
    from textual.widgets import Input, OptionList

    from verify.ui.screens import DocumentScreen
    from verify.ui.search_screen import SearchScreen

    async with sample_tui((120, 36)) as (app, pilot):
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Alrosa", "enter")
        await pilot.pause()
        hits = app.screen.hits
        assert hits and hits[0].claim_id == "c-az7y8knn"
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.ctx is not None and app.ctx.claim.id == "c-az7y8knn"

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        area = app.screen.query_one("#document-text")
        origin = app.ctx.claim.origin
        if origin is not None and origin.position is not None:
            assert area.selected_span == (origin.position.start, origin.position.end)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"diamond", "enter")
        await pilot.pause()
        start, end = area.selected_span
        assert area.text[start:end].lower() == "diamond"


def test_merge_candidates_skip_dropped_and_duplicates(sample: Store) -> None:
    from verify import actions, editing, merging

    editing.edit_claim(sample, "c-az7y8knn", editing.ClaimEdit(status="dropped"))
    copy = actions.new_claim(sample.get_claim("c-65jxr4wr").text, at=sample.clock())
    sample.add_claim(copy)
    proposed = actions.new_claim(
        "Governor Gladkov said Ukrainian attacks killed 25 people in Belgorod", at=sample.clock()
    )
    sample.add_claim(proposed)
    found = merging.candidates(sample, proposed.id)
    ids = [c.claim_id for c in found]
    assert ids[0] == BELGOROD
    assert "c-az7y8knn" not in ids and proposed.id not in ids
    texts = [c.text for c in found]
    assert len(texts) == len(set(texts))


async def test_hints_follow_a_remapped_keymap(tmp_path: Path, sample_tui) -> None:
    (tmp_path / "keymap.json").write_text('{"verdict": "w", "undo": "z"}')
    async with sample_tui((120, 36)) as (app, pilot):
        await pilot.press("down")  # the migrants claim has no verdict yet
        await pilot.pause()
        hint = str(app.query_one("#verdict", Static).render())
        assert "press w to set one" in hint and "press v" not in hint
        assert app.key("undo") == "z"


async def test_light_theme_list_has_no_black_badge_cells(sample_tui) -> None:
    async with sample_tui((100, 30)) as (app, pilot):
        app.theme = "textual-light"
        await pilot.pause()
        claims = app.query_one(ClaimList)
        undecided = claims.render_line(1)  # the migrants claim: no verdict badge colour
        badge = next(iter(undecided))
        assert badge.style is not None and badge.style.bgcolor is not None


async def test_already_checked_jumps_to_the_match_and_merges(sample_path: Path, sample_tui) -> None:
    from verify import actions

    with Store.open(sample_path) as store:
        twin = actions.new_claim(
            "Ukrainian attacks killed 25 people, five of them children, in Belgorod.",
            at=store.clock(),
        )
        store.add_claim(twin)
    async with sample_tui((120, 36)) as (app, pilot):
        app.jump_to(twin.id)
        await pilot.pause()
        await app.workers.wait_for_complete()  # the "already checked?" search
        await pilot.pause()
        assert app.ctx is not None and app.ctx.matches and app.ctx.matches[0][0] == BELGOROD
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.ctx is not None and app.ctx.claim.id == BELGOROD
        with Store.open(sample_path, create=False) as store:
            merged = store.get_claim(twin.id)
        assert merged.status.value == "dropped" and merged.extra["merged_into"] == BELGOROD
        assert twin.id not in [app.rows.get(i).id for i in range(len(app.rows))]  # type: ignore[union-attr]


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_grade_badge_is_readable_without_reverse_video(theme: str, sample_tui) -> None:
    async with sample_tui((160, 45)) as (app, pilot):
        app.theme = theme
        await pilot.pause()
        head = app.query(".account-head").first(Static)
        badge = next(s for s in head.render_line(0) if s.text.strip() == "D")  # the sample: D
        style = badge.style
        assert style is not None and not style.reverse
        assert style.bgcolor is not None and style.color is not None
        back = style.bgcolor.get_truecolor()
        fore = style.color.get_truecolor()
        light = sum(back) / 3 > 128
        assert light == (theme == "textual-light")  # no black cell in the light theme
        assert abs(sum(fore) - sum(back)) / 3 > 60  # the letter stands out from its cell


async def test_messages_name_the_remapped_keys(tmp_path: Path, sample_tui) -> None:
    (tmp_path / "keymap.json").write_text('{"verdict": "w", "evidence": "z"}')
    async with sample_tui((120, 36)) as (app, pilot):
        await pilot.press("down")  # the migrants claim: no verdict; no evidence on the next
        await pilot.pause()
        await pilot.press("r")  # a rationale needs a verdict first
        await pilot.pause()
        assert "Set a verdict first (w)" in [str(n.message) for n in app._notifications]
        await pilot.press("down", "down", "down")  # the missiles claim: no evidence yet
        await pilot.pause()
        assert app.ctx is not None and not app.ctx.claim.evidence
        await pilot.press("m")
        await pilot.pause()
        summary = str(app.screen.query_one("#ach-summary", Static).render())
        assert "press z on the main screen" in summary
