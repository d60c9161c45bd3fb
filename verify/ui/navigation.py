"""Getting to the right place: full-text search, jumping to a claim, "already checked?"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.markup import escape
from textual.widgets import Input

from verify import actions
from verify.errors import VerifyError
from verify.search import Hit
from verify.ui.dialogs import ConfirmDialog
from verify.ui.screens import DocumentScreen
from verify.ui.search_screen import SearchScreen

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp


def search(app: VerifyApp) -> None:
    """The search screen; a hit opens its claim, or its document at the hit."""

    def opened(hit: Hit | None) -> None:
        if hit is None:
            return
        if hit.claim_id:
            jump_to(app, hit.claim_id)
        elif hit.document:
            at = (hit.start, hit.end) if hit.start is not None and hit.end else None
            claim = app.ctx.claim if app.ctx else None
            app.push_screen(DocumentScreen(claim, app.store.documents(), hit.document, at))

    app.push_screen(SearchScreen(app.store), opened)


def jump_to(app: VerifyApp, claim_id: str) -> None:
    """Show this claim, clearing a filter that hides it."""
    if app.rows.index_of(claim_id) is None:
        with app.filter_input.prevent(Input.Changed):
            app.filter_input.value = "status:dropped" if _dropped(app, claim_id) else ""
        app._apply_filter(app.filter_input.value)
    app.refresh_all(keep=claim_id)


def _dropped(app: VerifyApp, claim_id: str) -> bool:
    try:
        return app.store.get_claim(claim_id).status.value == "dropped"
    except VerifyError:
        return False


def already_checked(app: VerifyApp) -> None:
    """Jump to the earlier check the shown claim looks like, offering to merge into it."""
    ctx = app.ctx
    if ctx is None or not ctx.matches:
        app.notify("No earlier check looks like this claim")
        return
    here = ctx.claim
    target_id = ctx.matches[0][0]

    def answered(merge: bool | None) -> None:
        if merge:
            try:
                target = app.store.get_claim(target_id)
                merged, dropped = actions.merge(target, app.store.get_claim(here.id))
                app.store.save_claims([(merged, "triage.merge"), (dropped, "triage.merge")])
            except VerifyError as exc:
                app.notify(escape(str(exc)), severity="error")
                return
            app.notify(f"Merged; {app.key('undo')} undoes it")
        jump_to(app, target_id)

    app.push_screen(
        ConfirmDialog(
            "Merge this claim into the earlier check (its accounts join it, this one is "
            "dropped)? n just jumps there."
        ),
        answered,
    )
