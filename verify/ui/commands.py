"""The command palette's own commands, and the exports it offers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.markup import escape

from verify.errors import VerifyError

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp


def export(app: VerifyApp, fmt: str) -> None:
    """Write the markdown report or ClaimReview JSON-LD beside the casebook."""
    from verify.cli import write_output
    from verify.report import claimreview, markdown

    stem = app.casebook_path.stem
    try:
        if fmt == "md":
            dest = app.casebook_path.with_name(f"{stem}-report.md")
            text = markdown.casebook_report(app.store)
        else:
            dest = app.casebook_path.with_name(f"{stem}-claimreview.json")
            claims = list(app.store.iter_claims())
            docs = {d.id: d for d in app.store.documents()}
            text = claimreview.export_text(
                claims,
                app.store.settings(),
                docs,
                lambda m: app.notify(m, severity="warning", markup=False),
            )
        write_output(text, str(dest))
    except VerifyError as exc:
        app.notify(escape(str(exc)), severity="error")
        return
    app.notify(escape(f"Wrote {dest}"), title="Exported", timeout=10)


def palette(app: VerifyApp) -> Iterable[SystemCommand]:
    """verify's commands in the palette, each reporting its failure like a key's action."""
    commands = [
        SystemCommand(
            "Export markdown report", "The whole casebook, for editors", lambda: export(app, "md")
        ),
        SystemCommand(
            "Export ClaimReview JSON-LD",
            "Every decided claim, for publishing",
            lambda: export(app, "claimreview"),
        ),
        SystemCommand("Set verdict", "Choose a label for the selected claim", app.action_verdict),
        SystemCommand("Attach evidence", "Passage, URL, file or note", app.action_evidence),
        SystemCommand("Add account", "Who says what", app.action_add_account),
        SystemCommand("Grade sources", "Admiralty reliability A–F", app.action_grade),
        SystemCommand("Competing accounts matrix", "Evidence × accounts (ACH)", app.action_ach),
        SystemCommand(
            "Archived documents", "Read sources with anchors highlighted", app.action_documents
        ),
        SystemCommand(
            "Triage proposed claims", "Accept, drop or merge what ingest found", app.action_triage
        ),
        SystemCommand(
            "Assign to me", "Take the selected claim (verify assign)", app.action_assign_me
        ),
        SystemCommand("Unassign", "Give the selected claim back to the desk", app.action_unassign),
        SystemCommand(
            "Mine: claims assigned to me", "Filter the list with assigned:me", app.action_mine
        ),
        SystemCommand("Undo", "Undo the last change", app.action_undo),
        SystemCommand("Redo", "Redo the last undone change", app.action_redo),
        SystemCommand("Toggle dark/light theme", "Switch theme", app.action_toggle_theme),
    ]
    for command in commands:
        yield command._replace(callback=app.guarded(command.callback))
