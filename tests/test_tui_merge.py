"""The triage merge picker offers the claim a proposed claim belongs with first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.conftest import FIXTURES, SEED, FakeClock, need_shared, tui_app
from verify.ingest import documents, pipeline
from verify.store import Store
from verify.ui.triage import MergePicker, TriageScreen


def _ingested(tmp_path: Path, article: Path) -> Path:
    path = tmp_path / "ingested.casebook"
    with Store.open(path, clock=FakeClock()) as s:
        raw = article.read_bytes()
        pipeline.ingest(s, documents.archive(raw, article.name, "text/plain", retrieved=s.clock()))
    return path


def _claim_starting(path: Path, start: str) -> str:
    with Store.open(path) as s:
        return next(r.id for r in s.summaries(status="proposed") if r.text.startswith(start))


async def _first_offered(path: Path, tmp_path: Path, proposed_id: str) -> str:
    """Open triage, go to `proposed_id`, press m: the text of the first claim offered."""
    app = tui_app(path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        options = app.screen.query_one("#triage-options", OptionList)
        index = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == proposed_id
        )
        options.highlighted = index
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MergePicker)
        picker = app.screen.query_one("#merge-options", OptionList)
        first = picker.get_option_at_index(0).id
        assert first is not None
    with Store.open(path) as s:
        return s.get_claim(first).text


async def test_seed_demidov_is_offered_the_gladkov_claim_first(tmp_path: Path) -> None:
    # "Demidov cited … whether damage is from Ukrainian strikes or Russian air defenses"
    # belongs with Gladkov's toll, whose second account blames Russian air defences.
    path = _ingested(tmp_path, need_shared(SEED))
    proposed = _claim_starting(path, "Demidov cited")
    first = await _first_offered(path, tmp_path, proposed)
    assert "Gladkov said 25 people" in first


async def test_river_port_denial_is_offered_the_disputed_toll_first(tmp_path: Path) -> None:
    # The operator's chief says the dam was sound: that belongs with the governor's toll
    # "after the dam failed", whose second account is the operator denying the failure.
    path = _ingested(tmp_path, FIXTURES / "river-port-blog.txt")
    proposed = _claim_starting(path, "Northbank Energy chief executive")
    first = await _first_offered(path, tmp_path, proposed)
    assert first.startswith("Regional governor Marta Kowalczyk said")


async def test_already_checked_never_offers_a_dropped_claim(
    sample_path: Path, tmp_path: Path
) -> None:
    from tests.test_tui import BELGOROD, select
    from verify import actions
    from verify.models import ClaimStatus

    with Store.open(sample_path, clock=FakeClock()) as s:
        again = actions.new_claim(
            "Ukraine attacks killed 25 people including 5 children in Belgorod", at=s.clock()
        )
        s.add_claim(again)
        s.save_claim(actions.set_status(s.get_claim(BELGOROD), ClaimStatus.dropped), "drop")
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await select(pilot, app, again.id)
        assert app.ctx is not None
        assert BELGOROD not in [m[0] for m in app.ctx.matches]
