"""A colleague's change on screen: the app looks for one every `WATCH_INTERVAL` seconds.

Looking costs one cheap question to the store (`changed_elsewhere`); only when something was
committed elsewhere does the app read the history since its last look and reload what it
names: the claims a colleague saved, or everything after a change to sources, settings or an
import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from verify import changes

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp


def look(app: VerifyApp) -> None:
    if app.store.replaced():
        if not getattr(app, "_told_replaced", False):
            app._told_replaced = True  # type: ignore[attr-defined]
            app.notify(
                "The casebook file was replaced (restored or moved); nothing more is "
                "saved here: quit and reopen it",
                severity="error",
                timeout=30,
            )
        return
    try:
        if not app.store.changed_elsewhere():
            return
        found = changes.since(app.store, app._seen_seq)
    except Exception:  # a damaged or vanished file: the next action reports it
        return
    app._seen_seq = found.seq
    if found.claims is None:
        app.refresh_all()
    elif found.claims:
        reload_claims(app, found.claims)


def reload_claims(app: VerifyApp, ids: set[str]) -> None:
    """Another reviewer saved these claims: re-read them, and only them.

    The list's pages and count are re-read (a page is one query); the filter index takes the
    changed claims' new text; the shown claim is re-read only if it is one of them or its
    "already checked?" answers name one, and keeps its place; the answers are searched again.
    """
    texts = changes.search_texts(app.store, ids)
    index = app._filter_index
    if index is not None:
        if len(texts) < len(ids):  # a claim was deleted: the index cannot drop one
            app.refresh_all()
            return
        for claim_id, text in texts.items():
            index.update(claim_id, text)
    app.rows.invalidate()
    app._apply_filter(app.filter_input.value)
    ctx = app.ctx
    app.claim_list.reload(keep=ctx.claim.id if ctx else None)
    # Every answer, not only those naming a changed claim: a claim saved elsewhere may now
    # be an earlier check of any claim (a colleague wrote the same claim).
    app.answers.forget()
    if ctx is None or ctx.claim.id in ids or any(m[0] in ids for m in ctx.matches):
        app._show_current()
        return
    # The shown claim keeps its panel until its new answer comes from the worker, with its
    # neighbours'.
    app._search_around()
