"""An action that fails in the TUI becomes a message; the app keeps running."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import tamper
from tests.conftest import tui_app

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""

SIZE = (120, 36)


def _errors(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_undo_of_an_entry_that_no_longer_validates(sample_path: Path, tmp_path: Path):
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "7")
        await pilot.pause()
        tamper(
            sample_path,
            'UPDATE events SET before = \'{"id": "c-x", "text": 5}\' '
            "WHERE seq = (SELECT max(seq) FROM events)",
        )
        await pilot.press("u")
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done" in m for m in _errors(app)), _errors(app)
        await pilot.press("j")  # still usable
        await pilot.pause()
        assert app.is_running


async def test_export_from_the_palette_on_a_damaged_casebook(sample_path: Path, tmp_path: Path):
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tamper(sample_path, "UPDATE claims SET body = '{\"broken\": ' WHERE rowid = 3")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export markdown report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done" in m for m in _errors(app)), _errors(app)
    assert not list(tmp_path.glob("*-report.md"))


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


async def test_a_failing_key_action_is_reported_and_the_app_keeps_running(
    sample_path: Path, tmp_path: Path
) -> None:
    # Key bindings reach actions through App.run_action (public), which GuardedApp wraps.
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.store.undo = _boom  # type: ignore[method-assign]
        await pilot.press("u")
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done: RuntimeError: boom" in m for m in _errors(app)), _errors(app)


def test_textual_still_has_the_private_exception_hook_relied_on() -> None:
    # Textual has no public hook for a failing message handler or dialog callback: its
    # private App._handle_exception(error) is overridden. If Textual renames or reshapes
    # it, this fails here rather than the app crashing on a reviewer's desk.
    import inspect

    from textual.app import App

    hook = getattr(App, "_handle_exception", None)
    assert hook is not None, "textual.app.App._handle_exception is gone"
    assert list(inspect.signature(hook).parameters) == ["self", "error"]


async def test_a_failing_message_handler_is_reported_not_fatal(
    sample_path: Path, tmp_path: Path
) -> None:
    # A message handler failure reaches App._handle_exception (private; see above).
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.claim_view.show = _boom  # type: ignore[method-assign]
        await pilot.press("down")  # the list's Highlighted message: the app shows the claim
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done: RuntimeError: boom" in m for m in _errors(app)), _errors(app)


async def test_a_failing_dialog_callback_is_reported_not_fatal(
    sample_path: Path, tmp_path: Path
) -> None:
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.store.save_claim_with_sources = _boom  # type: ignore[method-assign]
        await pilot.press("v", "7")  # the verdict dialog's callback saves
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert any("Not done: RuntimeError: boom" in m for m in _errors(app)), _errors(app)
