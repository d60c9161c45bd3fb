"""The TUI's photo screen: preview, metadata, "seen before" hits, and a jump to that claim."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tests.conftest import tui_app
from tests.media_kit import camera_exif, edited, jpeg, picture
from verify import actions, evidence
from verify.models import EvidenceKind, utcnow
from verify.store import Store
from verify.ui.media_preview import half_blocks
from verify.ui.media_screen import MediaScreen

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


def _casebook(path: Path, tmp_path: Path, make: str = "Canon") -> tuple[Path, str, str]:
    original, repost = tmp_path / "market.jpg", tmp_path / "strike.jpg"
    original.write_bytes(jpeg(picture(11), exif=camera_exif(make=make)))
    repost.write_bytes(edited(picture(11)))
    with Store.open(path) as store:
        old = store.add_claim(actions.new_claim("The market was shelled last spring", at=utcnow()))
        new = store.add_claim(actions.new_claim("Photo shows yesterday's strike", at=utcnow()))
        evidence.attach(
            store, old.id, evidence.EvidenceDraft(EvidenceKind.file, path=str(original))
        )
        evidence.attach(store, new.id, evidence.EvidenceDraft(EvidenceKind.file, path=str(repost)))
    return path, old.id, new.id


def _text(app, selector: str) -> str:
    rendered = app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def test_photo_screen_shows_metadata_and_where_it_was_seen(
    casebook_path: Path, tmp_path: Path
) -> None:
    path, old_id, new_id = _casebook(casebook_path, tmp_path)
    app = tui_app(path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.jump_to(old_id)
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MediaScreen)
        meta = _text(app, "#media-meta")
        assert "exif make: Canon" in meta and "gps: 48.8568" in meta
        assert f"on claim {new_id}" in meta and "yesterday's strike" in meta
        assert "▀" in _text(app, "#media-preview")
        await pilot.press("j")  # to the claim where the same picture turned up
        await pilot.pause()
        assert not isinstance(app.screen, MediaScreen)
        assert app.ctx is not None and app.ctx.claim.id == new_id


async def test_claim_without_photos_says_so(casebook_path: Path, tmp_path: Path) -> None:
    path = casebook_path
    with Store.open(path) as store:
        claim = store.add_claim(actions.new_claim("A claim with a note only", at=utcnow()))
    app = tui_app(path, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.jump_to(claim.id)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, MediaScreen)


async def test_metadata_from_the_file_is_never_markup(casebook_path: Path, tmp_path: Path) -> None:
    path, old_id, _ = _casebook(
        casebook_path, tmp_path, make="[@click=app.quit]Canon[/] \x1b[31mred"
    )
    app = tui_app(path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.jump_to(old_id)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        meta = _text(app, "#media-meta")
        assert "[@click=app.quit]Canon[/]" in meta and "\x1b" not in meta
        assert app.is_running


def test_half_blocks_keep_colours_and_proportions() -> None:
    from PIL import Image

    img = Image.new("RGB", (40, 20), (255, 0, 0))
    img.paste((0, 0, 255), (0, 10, 40, 20))  # bottom half blue
    text = half_blocks(img, 20, 20)
    lines = text.plain.splitlines()
    assert len(lines) == 5 and all(len(row) == 20 for row in lines)  # 2:1 kept
    styles = {str(span.style) for span in text.spans}
    assert any("#ff0000 on #ff0000" in s for s in styles)
    assert any("#0000ff on #0000ff" in s for s in styles)


async def test_a_truncated_photo_attached_in_the_tui_is_one_message(
    sample_path: Path, tmp_path: Path
) -> None:
    from tests.cli_helpers import digest

    bad = tmp_path / "cut.jpg"
    bad.write_bytes(jpeg(picture(12))[:2500])
    before = digest(sample_path)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#kind-file")
        app.screen.query_one("#evidence-path").value = str(bad)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "truncated" in errors[0], errors
        assert app.is_running
    assert digest(sample_path) == before


async def test_photo_screen_opens_before_seen_before_is_answered(
    casebook_path: Path, tmp_path: Path, monkeypatch
) -> None:
    import threading

    from verify.media import index

    path, old_id, new_id = _casebook(casebook_path, tmp_path)
    release = threading.Event()
    real = index.seen

    def slow(conn, info, threshold=index.THRESHOLD):
        release.wait(5)  # a large casebook: the look-up takes its time
        return real(conn, info, threshold)

    monkeypatch.setattr(index, "seen", slow)
    app = tui_app(path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.jump_to(old_id)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, MediaScreen)
        meta = _text(app, "#media-meta")
        assert "exif make: Canon" in meta and "seen before: looking" in meta
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"on claim {new_id}" in _text(app, "#media-meta")
