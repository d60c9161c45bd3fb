"""The TUI, driven with Pilot the way a reviewer uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeClock, tui_app
from verify.models import AnchorStatus, Claim, EvidenceKind, utcnow
from verify.store import Store
from verify.ui.app import VerifyApp
from verify.ui.claim_list import ClaimList

BELGOROD = "c-2zjgpgfw"
MIGRANTS = "c-65jxr4wr"
SIZE = (120, 36)


def app_for(path: Path, tmp_path: Path, **kw: object) -> VerifyApp:
    return tui_app(path, tmp_path, **kw)


def claim(path: Path, claim_id: str) -> Claim:
    with Store.open(path, create=False) as s:
        return s.get_claim(claim_id)


def shown(app: VerifyApp) -> str | None:
    return app.ctx.claim.id if app.ctx else None


async def select(pilot, app: VerifyApp, claim_id: str) -> None:
    claims = app.query_one(ClaimList)
    claims.cursor = claims.rows.index_of(claim_id)
    await pilot.pause()
    # The "already checked?" panel comes from a worker thread: wait for it too.
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert shown(app) == claim_id


async def test_list_and_side_by_side_accounts(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(app.query_one(ClaimList).rows) == 6
        assert shown(app) == BELGOROD
        columns = app.query(".account-column")
        assert len(columns) == 3
        heads = [str(c.query_one(".account-head").render()) for c in columns]
        assert "Gladkov" in heads[0] and heads[0].startswith("1.  D ")
        assert "Ukrainian officials" in heads[1]
        # Columns sit side by side: same top row, increasing x.
        regions = [c.region for c in columns]
        assert len({r.y for r in regions}) == 1 and regions[0].x < regions[1].x < regions[2].x
        await pilot.press("down")
        assert shown(app) == MIGRANTS


async def test_filter_ranks_as_you_type_enter_applies_escape_clears(
    sample_path: Path, tmp_path: Path
) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*"replenish")  # only in the informed source's account
        await pilot.pause(0.3)  # the claim pane follows once typing pauses
        claims = app.query_one(ClaimList)
        assert len(claims.rows) == 1 and shown(app) == MIGRANTS
        await pilot.press("enter")
        assert app.focused is claims
        await pilot.press("slash", "escape")
        assert len(claims.rows) == 6 and app.focused is claims


async def test_verdict_by_one_key_with_thin_evidence_confirmation(
    sample_path: Path, tmp_path: Path
) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, app, MIGRANTS)
        await pilot.press("v", "6")  # 6 = misleading; one independent source: asks first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    saved = claim(sample_path, MIGRANTS)
    assert saved.verdict and saved.verdict.label == "misleading"
    assert saved.verdict.thin_evidence_confirmed and saved.verdict.reviewer == "tester"


async def test_declining_confirmation_sets_nothing(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, app, MIGRANTS)
        await pilot.press("v", "1")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    assert claim(sample_path, MIGRANTS).verdict is None


async def test_rationale_edit(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter", *"Seen the statement.", "ctrl+s")
        await pilot.pause()
    rationale = claim(sample_path, BELGOROD).verdict.rationale  # type: ignore[union-attr]
    assert rationale.endswith("\nSeen the statement.")
    assert rationale.startswith("Two parties to the war")


async def test_add_account_with_a_new_graded_source(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, app, MIGRANTS)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#account-new-source").value = "Migrant rights group"
        app.screen.query_one("#account-grade").value = "C"
        app.screen.query_one("#account-statement").focus()
        await pilot.press(*"Detainees were pressed to sign army contracts.", "enter")
        await pilot.pause()
    saved = claim(sample_path, MIGRANTS)
    assert len(saved.accounts) == 3
    new = saved.accounts[-1]
    assert new.statement == "Detainees were pressed to sign army contracts."
    with Store.open(sample_path) as s:
        source = s.get_source(new.source_id)  # type: ignore[arg-type]
    assert source.name == "Migrant rights group" and source.grade == "C"


async def test_attach_evidence_with_a_selected_passage(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#evidence-find").focus()
        await pilot.press(*"25 people, including five children", "enter")
        await pilot.pause()
        app.screen.query_one("#stance-0").value = "CC"
        app.screen.query_one("#evidence-credibility").value = 2
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = claim(sample_path, BELGOROD)
    assert len(saved.evidence) == 3
    ev = saved.evidence[-1]
    assert ev.kind is EvidenceKind.passage and ev.credibility == 2
    assert ev.selector is not None and ev.selector.status is AnchorStatus.exact
    assert ev.selector.quote.exact == "25 people, including five children"
    with Store.open(sample_path) as s:
        text = s.get_document(ev.selector.document_id).text
    pos = ev.selector.position
    assert pos is not None and text[pos.start : pos.end] == "25 people, including five children"
    assert ev.stances[saved.accounts[0].id].value == "CC"


async def test_attach_a_note(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#kind-note")
        app.screen.query_one("#evidence-note").value = "Called the mayor's office: no answer."
        await pilot.press("ctrl+s")
        await pilot.pause()
    ev = claim(sample_path, BELGOROD).evidence[-1]
    assert ev.kind is EvidenceKind.note and "mayor" in ev.note


async def test_undo_and_redo_even_after_restart(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "8")  # disputed -> disputed is still a change (new time)
        await pilot.pause()
        await pilot.press("v", "7")  # unproven: needs no confirmation
        await pilot.pause()
        assert claim(sample_path, BELGOROD).verdict.label == "unproven"  # type: ignore[union-attr]
        await pilot.press("u")
        await pilot.pause()
        assert claim(sample_path, BELGOROD).verdict.label == "disputed"  # type: ignore[union-attr]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert claim(sample_path, BELGOROD).verdict.label == "unproven"  # type: ignore[union-attr]
    again = app_for(sample_path, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
    assert claim(sample_path, BELGOROD).verdict.label == "disputed"  # type: ignore[union-attr]


async def test_resume_restores_claim_filter_and_theme(sample_path: Path, tmp_path: Path) -> None:
    first = app_for(sample_path, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"missiles", "enter", "down")
        await pilot.pause(0.3)
        chosen = shown(first)
        await pilot.press("ctrl+t", "q")
        await pilot.pause()
    second = app_for(sample_path, tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.query_one("#filter").value == "missiles"
        assert shown(second) == chosen
        assert second.theme == "textual-light"


async def test_stale_write_from_another_process_is_refused_and_reloaded(
    sample_path: Path, tmp_path: Path
) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Another process edits the same claim while it is on screen.
        with Store.open(sample_path) as other:
            c = other.get_claim(BELGOROD)
            other.save_claim(c.model_copy(update={"tags": ["edited-elsewhere"]}), "claim.edit")
        await pilot.press("v", "7")
        await pilot.pause()
        assert any("changed elsewhere" in str(n.message) for n in app._notifications)
        assert app.ctx is not None and app.ctx.claim.tags == ["edited-elsewhere"]
    saved = claim(sample_path, BELGOROD)
    assert saved.tags == ["edited-elsewhere"] and saved.verdict.label == "disputed"  # type: ignore[union-attr]


async def test_outside_changes_are_picked_up(sample_path: Path, tmp_path: Path) -> None:
    app = tui_app(sample_path, tmp_path, watch_interval=0.05, clock=utcnow)
    async with app.run_test(size=SIZE) as pilot:
        with Store.open(sample_path) as other:
            other.update_claim(BELGOROD, lambda c: c.model_copy(update={"claimant": "X"}), "e")
        # Wait for the watcher rather than a fixed time: a busy machine polls late.
        for _ in range(300):
            await pilot.pause(0.1)
            if app.ctx is not None and app.ctx.claim.claimant == "X":
                break
        assert app.ctx is not None and app.ctx.claim.claimant == "X"


async def test_markup_and_escape_codes_render_literally(tmp_path: Path) -> None:
    path = tmp_path / "evil.casebook"
    evil = "[@click=app.quit]Click me[/] [bold]not bold[/bold] \x1b[31mred\x1b[0m \u202eevil"
    with Store.open(path, clock=FakeClock()) as s:
        now = s.clock()
        s.add_claim(
            Claim(id="c-evil", text=evil, claimant="[red]x[/red]", created=now, updated=now)
        )
    app = app_for(path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = str(app.query_one("#claim-header").render())
        assert "[@click=app.quit]Click me[/]" in header and "[bold]not bold[/bold]" in header
        assert "\x1b" not in header and "\u202e" not in header
        assert "[red]x[/red]" in header
        await pilot.click("#claim-header")
        await pilot.pause()
        assert app.is_running  # the click did not run the injected action


async def test_new_claim(tmp_path: Path) -> None:
    path = tmp_path / "new.casebook"
    app = app_for(path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"The dam released 2 million cubic metres.", "enter")
        await pilot.pause()
        assert shown(app) is None  # Enter moved on to the claimant; nothing saved yet
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert shown(app) is not None
    with Store.open(path) as s:
        assert [r.text for r in s.summaries()] == ["The dam released 2 million cubic metres."]


async def test_ach_and_documents_and_help_open(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#ach-table")
        assert table.row_count == 3  # two evidence items and the score row
        await pilot.press("escape", "d")
        await pilot.pause()
        assert "Belgorod" in app.screen.query_one("#document-text").text
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert "Verdict" in str(app.screen.query_one("#help-keys").render())


async def test_keys_can_be_remapped(sample_path: Path, tmp_path: Path) -> None:
    (tmp_path / "keymap.json").write_text('{"verdict": "x"}')
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "VerdictDialog"


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_layout_holds_at_small_and_large_sizes(
    sample_path: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        left = app.query_one("#left").region
        right = app.query_one("#claim").region
        assert left.width >= 28 and right.width >= 40
        assert left.right <= right.x and right.right <= size[0]


async def test_already_checked_panel_names_the_earlier_check(
    sample_path: Path, tmp_path: Path
) -> None:
    with Store.open(sample_path, clock=FakeClock()) as s:
        now = s.clock()
        s.add_claim(
            Claim(
                id="c-again",
                text="Ukraine attacks killed 25 people including 5 children in Belgorod",
                created=now,
                updated=now,
            )
        )
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, app, "c-again")
        panel = str(app.query_one("#claim-matches").render())
        assert "Already checked?" in panel and BELGOROD in panel and "disputed" in panel
        await select(pilot, app, MIGRANTS)
        assert app.ctx is not None and app.ctx.matches == []  # nothing alike: no panel


async def test_triage_accept_drop_merge(tmp_path: Path) -> None:
    from tests.conftest import LIVEBLOG
    from verify.ingest import documents, pipeline

    path = tmp_path / "ingested.casebook"
    with Store.open(path, clock=FakeClock()) as s:
        raw = LIVEBLOG.read_bytes()
        pipeline.ingest(s, documents.archive(raw, LIVEBLOG.name, "text/plain", retrieved=s.clock()))
        proposed = [r.id for r in s.summaries(status="proposed")]
    app = app_for(path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")  # accept the first
        await pilot.pause()
        await pilot.press("x")  # drop the next
        await pilot.pause()
        await pilot.press("m")  # merge the next into the first one offered
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    with Store.open(path) as s:
        statuses = [s.get_claim(cid).status.value for cid in proposed[:3]]
        merged = s.get_claim(proposed[2])
    assert statuses == ["open", "dropped", "dropped"]
    assert "merged_into" in merged.extra


async def test_attach_a_file_in_the_background(sample_path: Path, tmp_path: Path) -> None:
    scan = tmp_path / "ministry-statement.txt"
    scan.write_text("The ministry said the munitions were shot down over the city.\n")
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#kind-file")
        app.screen.query_one("#evidence-path").value = str(scan)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    ev = claim(sample_path, BELGOROD).evidence[-1]
    assert ev.kind is EvidenceKind.file and ev.file_name == "ministry-statement.txt"
    with Store.open(sample_path) as s:
        assert "shot down" in s.get_document(ev.document_id).text  # type: ignore[arg-type]


def test_demo_copies_are_pruned(tmp_path: Path) -> None:
    from verify.sample import KEEP_DEMOS, fresh_demo_casebook

    made = [fresh_demo_casebook(tmp_path) for _ in range(KEEP_DEMOS + 3)]
    left = sorted(tmp_path.glob("demo-*.casebook"))
    assert len(left) <= KEEP_DEMOS + 1 and made[-1] in left
    with Store.open(made[-1]) as s:
        assert s.count_claims() == 6


async def test_every_key_on_an_empty_casebook_is_safe(tmp_path: Path) -> None:
    app = app_for(tmp_path / "empty.casebook", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = "v r a e g m d u ctrl+r t slash escape question_mark".split()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            while len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()
        assert app.is_running and app.ctx is None
        assert "No claim selected" in str(app.query_one("#claim-empty").render())


async def test_grade_sources_and_assess_accounts(sample_path: Path, tmp_path: Path) -> None:
    app = app_for(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#grade-0").value = "B"
        app.screen.query_one("#assess-1").value = "supported"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = claim(sample_path, BELGOROD)
    assert saved.accounts[1].assessment.value == "supported"
    with Store.open(sample_path) as s:
        assert s.get_source(saved.accounts[0].source_id).grade == "B"  # type: ignore[arg-type]
        last = s.events()[-1]
        assert last.action == "claim.grade"
