"""The app's "correct anything" action: pick, edit, delete or merge, each one undoable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.markup import escape

from verify import editing
from verify.errors import VerifyError
from verify.grading import SOURCE_GRADES
from verify.models import Assessment, ClaimStatus, Stance
from verify.textsafe import one_line
from verify.ui.dialogs import ConfirmDialog
from verify.ui.edit_screens import EditPicker, FormDialog, FormField, FormResult, Target

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp

STANCE_CHOICES = (("— no stance", ""), *((f"{s.value}  {s.name}", s.value) for s in Stance))


def _short(text: str) -> str:
    return one_line(text, 40)


def targets(app: VerifyApp) -> list[Target]:
    ctx = app.ctx
    if ctx is None:
        return []
    claim = ctx.claim
    out = [Target("claim", claim.id, claim.text)]
    out += [
        Target("account", a.id, f"{i + 1}. {a.statement}") for i, a in enumerate(claim.accounts)
    ]
    for ev in claim.evidence:
        title = ev.selector.quote.exact if ev.selector else (ev.summary or ev.note or ev.url)
        out.append(Target("evidence", ev.id, title or ev.file_name or ev.kind.value))
    sources = sorted(ctx.sources.values(), key=lambda s: (s.name.lower(), s.id))  # stable order
    out += [Target("source", s.id, f"{s.name} ({s.grade})") for s in sources]
    return out


def start(app: VerifyApp, kind: str | None = None) -> None:
    """Open the picker (or, with `kind`, go straight to the claim's own form)."""
    found = targets(app)
    if not found:
        app.notify("No claim selected", severity="warning")
        return
    if kind == "claim":
        open_form(app, found[0])
        return

    def picked(target: Target | None) -> None:
        if target is not None:
            open_form(app, target)

    app.push_screen(EditPicker(found), picked)


def _source_choices(app: VerifyApp) -> tuple[tuple[str, str], ...]:
    known = ((f"{one_line(s.name, 50)} ({s.grade})", s.id) for s in app.store.sources())
    return (("— no source", ""), *known)


def open_form(app: VerifyApp, target: Target) -> None:
    ctx = app.ctx
    if ctx is None:
        return
    claim = ctx.claim
    fields: list[FormField]
    merge: list[tuple[str, str]] | None = None
    if target.kind == "claim":
        fields = [
            FormField("text", "Claim", claim.text),
            FormField("claimant", "Claimant", claim.claimant),
            FormField("date", "Date made (YYYY, YYYY-MM or YYYY-MM-DD)", claim.date),
            FormField("tags", "Tags, comma-separated", ", ".join(claim.tags)),
            FormField(
                "status",
                "Status",
                claim.status.value,
                tuple((s.value, s.value) for s in ClaimStatus),
            ),
        ]
    elif target.kind == "account":
        acc = claim.account(target.id)
        if acc is None:
            return
        fields = [
            FormField("statement", "What this side says", acc.statement),
            FormField("source", "Source", acc.source_id or "", _source_choices(app)),
            FormField(
                "assessment",
                "Own assessment",
                acc.assessment.value,
                tuple((a.value, a.value) for a in Assessment),
            ),
        ]
    elif target.kind == "evidence":
        ev = next(e for e in claim.evidence if e.id == target.id)
        fields = [
            FormField("summary", "Summary", ev.summary),
            FormField("note", "Note", ev.note),
            FormField(
                "credibility",
                "Credibility (1 confirmed … 6 cannot be judged)",
                str(ev.credibility),
                tuple((str(n), str(n)) for n in range(1, 7)),
            ),
            FormField("source", "Source", ev.source_id or "", _source_choices(app)),
        ]
        for i, acc in enumerate(claim.accounts):
            stance = ev.stances.get(acc.id)
            fields.append(
                FormField(
                    f"stance-{acc.id}",
                    f"Stance on account {i + 1}: {_short(acc.statement)}",
                    stance.value if stance else "",
                    STANCE_CHOICES,
                )
            )
    else:
        src = app.store.get_source(target.id)
        fields = [
            FormField("name", "Name", src.name),
            FormField(
                "grade",
                "Reliability",
                src.grade,
                tuple((f"{g}  {d}", g) for g, d in SOURCE_GRADES.items()),
            ),
        ]
        merge = [(f"{s.name} ({s.grade})", s.id) for s in app.store.sources() if s.id != target.id]

    def done(result: FormResult | None) -> None:
        if result is not None:
            apply(app, target, result)

    title = f"Edit {target.kind}: {_short(target.title)}"
    app.push_screen(
        FormDialog(title, fields, can_delete=target.kind != "source", merge_choices=merge), done
    )


def apply(app: VerifyApp, target: Target, result: FormResult) -> None:
    if result.action == "delete":

        def confirmed(yes: bool | None) -> None:
            if yes:
                _run(app, target, lambda: _delete(app, target), f"Deleted {target.kind}")

        app.push_screen(
            ConfirmDialog(
                f"Delete this {target.kind}? {app.key('undo')} undoes it.\n{_short(target.title)}"
            ),
            confirmed,
        )
        return
    if result.action == "merge" and result.merge_into:
        keep = result.merge_into
        _run(
            app,
            target,
            lambda: editing.merge_sources(app.store, keep, target.id),
            "Merged the source; its accounts and evidence follow",
        )
        return
    if not result.changes:
        app.notify("Nothing changed")
        return
    _run(app, target, lambda: _save(app, target, result.changes), f"Saved the {target.kind}")


def _delete(app: VerifyApp, target: Target) -> Any:
    if target.kind == "claim":
        return editing.delete_claim(app.store, target.id)
    if target.kind == "account":
        return editing.delete_account(app.store, target.id)
    return editing.delete_evidence(app.store, target.id)


def _save(app: VerifyApp, target: Target, changes: dict[str, str]) -> Any:
    store = app.store
    if target.kind == "claim":
        tags = editing.parse_tags(changes["tags"]) if "tags" in changes else None
        edit = editing.ClaimEdit(
            changes.get("text"),
            changes.get("claimant"),
            changes.get("date"),
            tags,
            changes.get("status"),
        )
        return editing.edit_claim(store, target.id, edit)
    if target.kind == "account":
        return editing.edit_account(
            store,
            target.id,
            statement=changes.get("statement"),
            source_id=changes.get("source"),
            assessment=changes.get("assessment"),
        )
    if target.kind == "evidence":
        stances = [
            (name.removeprefix("stance-"), Stance(v) if v else None)
            for name, v in changes.items()
            if name.startswith("stance-")
        ]
        credibility = changes.get("credibility")
        return editing.edit_evidence(
            store,
            target.id,
            summary=changes.get("summary"),
            note=changes.get("note"),
            credibility=int(credibility) if credibility else None,
            source_id=changes.get("source"),
            stances=stances,
        )
    return editing.edit_source(
        store, target.id, name=changes.get("name"), grade=changes.get("grade")
    )


def _run(app: VerifyApp, target: Target, work: Any, said: str) -> None:
    ctx = app.ctx
    keep = ctx.claim.id if ctx else None
    try:
        work()
    except VerifyError as exc:
        # The message may quote what the reviewer typed: escaped so it is not read as markup.
        app.notify(escape(str(exc)), title="Not saved", severity="error")
        return
    if target.kind == "claim" and _deleted(app, target.id):
        keep = None
    app.refresh_all(keep=keep)
    app.notify(escape(f"{said} ({app.key('undo')} undoes)"))


def _deleted(app: VerifyApp, claim_id: str) -> bool:
    try:
        app.store.get_claim(claim_id)
    except VerifyError:
        return True
    return False
