"""Correcting anything in the TUI: edit, delete and merge, each saved at once and undoable."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Select

from tests.conftest import tui_app
from verify.store import Store
from verify.ui.claim_list import ClaimList
from verify.ui.edit_screens import EditPicker, FormDialog

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""

BELGOROD = "c-2zjgpgfw"
MIGRANTS = "c-65jxr4wr"
SIZE = (120, 36)


def stored(path: Path, claim_id: str):
    with Store.open(path, create=False) as s:
        return s.get_claim(claim_id)


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_form(pilot, app, number: str) -> FormDialog:
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(app.screen, EditPicker)
    await pilot.press(number)
    await pilot.pause()
    assert isinstance(app.screen, FormDialog)
    return app.screen


async def test_edit_claim_text_and_undo_in_plain_words(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        form = await open_form(pilot, app, "1")
        assert app.focused is form.query_one("#field-text", Input)  # focus on a control
        form.query_one("#field-text", Input).value = "Ukrainian attacks killed 25 in Belgorod."
        form.query_one("#field-date", Input).value = "2023-12-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        claim = stored(sample_path, BELGOROD)
        assert (
            claim.text == "Ukrainian attacks killed 25 in Belgorod." and claim.date == "2023-12-31"
        )
        assert app.ctx is not None and app.ctx.claim.text == claim.text
        await pilot.press("u")
        await pilot.pause()
        assert stored(sample_path, BELGOROD).text.startswith("Ukrainian attacks killed 25 people")
        assert "Undid: edit on 'Ukrainian attacks killed 25 in Belgorod.'" in messages(app)
        assert not any("claim:" in m for m in messages(app))


async def test_bad_date_is_refused_with_a_message(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        form = await open_form(pilot, app, "1")
        form.query_one("#field-date", Input).value = "2023-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(sample_path, BELGOROD).date == "2023-12-30"
        assert any("not a date" in m for m in messages(app))


async def test_edit_account_source_and_assessment(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        form = await open_form(pilot, app, "2")  # the first account
        form.query_one("#field-assessment", Select).value = "refuted"
        form.query_one("#field-statement", Input).value = "Twenty-five killed."
        await pilot.press("ctrl+s")
        await pilot.pause()
        account = stored(sample_path, BELGOROD).accounts[0]
        assert account.assessment.value == "refuted" and account.statement == "Twenty-five killed."


async def test_edit_evidence_stance_and_credibility(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        before = stored(sample_path, BELGOROD)
        first_account = before.accounts[0].id
        form = await open_form(pilot, app, "5")  # claim, three accounts, then evidence
        form.query_one(f"#field-stance-{first_account}", Select).value = "CC"
        form.query_one("#field-credibility", Select).value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = stored(sample_path, BELGOROD).evidence[0]
        assert item.stances[first_account].value == "CC" and item.credibility == 1


async def test_delete_account_then_undo(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        await open_form(pilot, app, "3")
        await pilot.click("#delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(stored(sample_path, BELGOROD).accounts) == 2
        await pilot.press("u")
        await pilot.pause()
        assert len(stored(sample_path, BELGOROD).accounts) == 3


async def test_delete_claim_moves_on_and_undo_brings_it_back(sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        await open_form(pilot, app, "1")
        await pilot.click("#delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(app.query_one(ClaimList).rows) == 5
        assert app.ctx is not None and app.ctx.claim.id != BELGOROD
        await pilot.press("u")
        await pilot.pause()
        assert len(app.query_one(ClaimList).rows) == 6


async def test_source_edit_and_merge(sample_path: Path, sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        claim = stored(sample_path, BELGOROD)
        gladkov, officials = claim.accounts[0].source_id, claim.accounts[1].source_id
        picker_targets = None
        await pilot.press("x")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, EditPicker)
        picker_targets = [t.id for t in picker.targets]
        picker.query_one(OptionList).highlighted = picker_targets.index(gladkov)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-grade", Select).value = "B"
        await pilot.press("ctrl+s")
        await pilot.pause()
        with Store.open(sample_path, create=False) as s:
            assert s.get_source(gladkov).grade == "B"

        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = picker_targets.index(officials)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#merge-into", Select).value = gladkov
        await pilot.click("#merge")
        await pilot.pause()
        after = stored(sample_path, BELGOROD)
        assert after.accounts[1].source_id == gladkov
        await pilot.press("u")
        await pilot.pause()
        assert stored(sample_path, BELGOROD).accounts[1].source_id == officials
        with Store.open(sample_path, create=False) as s:
            assert s.get_source(officials).name


async def test_grade_dialog_opens_on_a_control(sample_tui) -> None:
    async with sample_tui() as (app, pilot):
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.focused, Select)


async def test_enter_in_new_claim_moves_to_the_next_field(tmp_path: Path) -> None:
    app = tui_app(tmp_path / "new.casebook", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Bread prices doubled")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "claim-claimant"
        await pilot.press(*"Minister", "enter", *"2024-01-02", "enter")
        await pilot.pause()
        assert app.ctx is not None and app.ctx.claim.claimant == "Minister"
        assert app.ctx.claim.date == "2024-01-02"


async def test_evidence_by_keyboard_stances_and_a_new_source(sample_path: Path, sample_tui) -> None:
    from textual.containers import VerticalScroll

    from verify.ui.evidence_screen import EvidenceScreen

    async with sample_tui((120, 40)) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        # Every Tab stop is a control the reviewer can see.
        for widget in screen.focus_chain:
            assert type(widget) is not VerticalScroll, widget.id
        await pilot.click("#kind-note")
        await pilot.pause()
        screen.query_one("#evidence-note", Input).value = "Spoke to the hospital."
        screen.query_one("#evidence-new-source", Input).value = "Belgorod hospital"
        screen.query_one("#evidence-credibility", Select).focus()
        await pilot.pause()
        await pilot.press("1", "plus", "plus", "2", "minus", "3", "0")
        await pilot.pause()
        assert screen.query_one("#stance-0", Select).value == "CC"
        assert screen.query_one("#stance-1", Select).value == "I"
        assert screen.query_one("#stance-2", Select).value == "N"
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = stored(sample_path, BELGOROD).evidence[-1]
        accounts = stored(sample_path, BELGOROD).accounts
        assert item.note == "Spoke to the hospital."
        assert [item.stances[a.id].value for a in accounts] == ["CC", "I", "N"]
        with Store.open(sample_path, create=False) as s:
            assert s.get_source(item.source_id or "").name == "Belgorod hospital"
