"""Reviewer actions on the shown claim: verdict, rationale, accounts, grades, evidence, new."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.markup import escape

from verify import actions, grading
from verify import evidence as evidence_core
from verify.errors import StaleWriteError, VerifyError
from verify.evidence import EvidenceDraft
from verify.ids import new_id
from verify.models import Claim, Evidence, EvidenceKind, Source
from verify.store import Store
from verify.ui.dialogs import (
    AccountDialog,
    ConfirmDialog,
    GradeDialog,
    Grading,
    NewAccount,
    NewClaim,
    NewClaimDialog,
    TextDialog,
    VerdictDialog,
)
from verify.ui.evidence_screen import EvidenceScreen

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp


def require_claim(app: VerifyApp) -> Claim | None:
    if app.ctx is None:
        app.notify("No claim selected", severity="warning")
        return None
    return app.ctx.claim


def edit(
    app: VerifyApp,
    change: Callable[[Claim], Claim],
    action: str,
    sources: Iterable[Source] = (),
) -> Claim | None:
    """Apply one reviewer action to the shown claim and save it at once."""
    claim = require_claim(app)
    if claim is None:
        return None
    try:
        changed = change(claim)
        new = app.store.save_claim_with_sources(changed, list(sources), action)
    except StaleWriteError as exc:
        # Someone else saved first: show theirs, keep nothing of ours silently.
        app.notify(escape(str(exc)), title="Not saved", severity="error", timeout=8)
        app.refresh_all(keep=claim.id)
        return None
    except (VerifyError, sqlite3.DatabaseError) as exc:
        app.notify(escape(str(exc)), severity="error")
        return None
    app.refresh_all(keep=new.id, changed=new)
    return new


def verdict(app: VerifyApp) -> None:
    claim = require_claim(app)
    if claim is None:
        return
    current = claim.verdict.label if claim.verdict else None

    def chosen(label: str | None) -> None:
        if label is None:
            return
        ctx = app.ctx
        if ctx is None:
            return
        if grading.needs_confirmation(ctx.claim, label, ctx.sources):
            n = grading.independent_sources(ctx.claim, ctx.sources)

            def confirmed(yes: bool | None) -> None:
                if yes:
                    _set_verdict(app, label, thin=True)

            app.push_screen(
                ConfirmDialog(
                    f"The evidence rests on {n} independent source(s); two are expected "
                    f"before a verdict of {label!r}. Set it anyway? This is recorded."
                ),
                confirmed,
            )
        else:
            _set_verdict(app, label, thin=False)

    app.push_screen(VerdictDialog(app.store.settings().scale, current), chosen)


def _set_verdict(app: VerifyApp, label: str, thin: bool) -> None:
    settings = app.store.settings()
    new = edit(
        app,
        lambda c: actions.set_verdict(
            c,
            settings,
            label,
            reviewer=app.store.actor,
            at=app.store.clock(),
            thin_confirmed=thin,
        ),
        "claim.verdict",
    )
    if new is not None:
        app.notify(f"Verdict: {label}")


def rationale(app: VerifyApp) -> None:
    claim = require_claim(app)
    if claim is None:
        return
    if claim.verdict is None:
        app.notify(f"Set a verdict first ({app.key('verdict')})", severity="warning")
        return

    def done(text: str | None) -> None:
        if text is not None:
            edit(
                app,
                lambda c: actions.set_rationale(
                    c, text, reviewer=app.store.actor, at=app.store.clock()
                ),
                "claim.rationale",
            )

    app.push_screen(TextDialog("Rationale", claim.verdict.rationale), done)


def add_account(app: VerifyApp) -> None:
    if require_claim(app) is None:
        return

    def done(result: NewAccount | None) -> None:
        if result is None:
            return
        sources: list[Source] = []
        source_id = result.source_id
        if source_id is None and result.source_name:
            source = Source(id=new_id("s"), name=result.source_name, grade=result.grade)  # type: ignore[arg-type]
            sources.append(source)
            source_id = source.id
        elif source_id is not None:
            known = app.store.get_source(source_id)
            if known.grade != result.grade:
                sources.append(known.model_copy(update={"grade": result.grade}))
        edit(
            app,
            lambda c: actions.add_account(c, result.statement, source_id),
            "account.add",
            sources,
        )

    app.push_screen(AccountDialog(app.store.sources()), done)


def grade(app: VerifyApp) -> None:
    ctx = app.ctx
    if ctx is None:
        app.notify("No claim selected", severity="warning")
        return
    ids = [a.source_id for a in ctx.claim.accounts] + [e.source_id for e in ctx.claim.evidence]
    seen: list[Source] = []
    for sid in ids:
        if sid and sid in ctx.sources and ctx.sources[sid] not in seen:
            seen.append(ctx.sources[sid])

    def done(result: Grading | None) -> None:
        if result is None or not (result.grades or result.assessments):
            return
        regraded = [
            ctx.sources[sid].model_copy(update={"grade": g}) for sid, g in result.grades.items()
        ]

        def assess(claim: Claim) -> Claim:
            for account_id, assessment in result.assessments.items():
                claim = actions.set_assessment(claim, account_id, assessment)
            return claim

        # Grades and assessments land together, as one action.
        if edit(app, assess, "claim.grade", regraded) is not None:
            app.notify(f"Saved {len(regraded)} grade(s), {len(result.assessments)} assessment(s)")

    app.push_screen(GradeDialog(seen, list(ctx.claim.accounts)), done)


def evidence(app: VerifyApp) -> None:
    claim = require_claim(app)
    if claim is None:
        return

    def done(draft: EvidenceDraft | None) -> None:
        if draft is not None:
            _attach(app, draft)

    app.push_screen(EvidenceScreen(claim, app.store.documents(), app.store.sources()), done)


def _attach(app: VerifyApp, draft: EvidenceDraft) -> None:
    new_sources: list[Source] = []
    if draft.new_source_name:
        # The new source is saved with the item, in the same action.
        new_sources = [Source(id=new_id("s"), name=draft.new_source_name)]
        draft.source_id = new_sources[0].id
    if draft.kind in (EvidenceKind.url, EvidenceKind.file):
        # Fetching a page or reading a large file must not freeze the screen.
        app.notify("Archiving the evidence…")
        app.run_worker(
            lambda: _archive(app, draft, new_sources),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="evidence",
        )
        return
    try:
        item = evidence_core.from_draft(app.store, draft)
    except VerifyError as exc:
        app.notify(escape(str(exc)), severity="error")
        return
    _save(app, item, draft.kind.value, new_sources)


def _archive(app: VerifyApp, draft: EvidenceDraft, new_sources: list[Source]) -> None:
    # In a worker thread. SQLite connections belong to their thread: this one opens its own.
    try:
        with Store.open(app.store.location, actor=app.store.actor, clock=app.store.clock) as store:
            item = evidence_core.from_draft(store, draft)
    except VerifyError as exc:
        app.call_from_thread(app.notify, escape(str(exc)), severity="error")
        return
    app.call_from_thread(_save, app, item, draft.kind.value, new_sources)


def _save(app: VerifyApp, item: Evidence, kind: str, sources: list[Source]) -> None:
    new = edit(app, lambda c: actions.add_evidence(c, item), "evidence.add", sources)
    if new is not None:
        app.notify(f"Attached {kind} evidence")


def new_claim(app: VerifyApp) -> None:
    def done(result: NewClaim | None) -> None:
        if result is None:
            return
        try:
            claim = actions.new_claim(
                result.text, at=app.store.clock(), claimant=result.claimant, date=result.date
            )
            app.store.add_claim(claim)
        except (VerifyError, ValueError) as exc:
            app.notify(escape(str(exc).splitlines()[0]), severity="error")
            return
        app.refresh_all(keep=claim.id)

    app.push_screen(NewClaimDialog(), done)
