"""The main screen's keys: each has an id (for the reviewer's keymap), a description, a tooltip."""

from __future__ import annotations

from textual.binding import Binding, BindingType

# Quit and help first: a narrow footer shows the first keys, and these must stay visible.
BINDINGS: list[BindingType] = [
    Binding("q", "quit", "Quit", id="quit"),
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding(
        "slash",
        "filter",
        "Filter",
        id="filter",
        key_display="/",
        tooltip="Type to rank claims; Enter applies, Esc clears",
    ),
    Binding("v", "verdict", "Verdict", id="verdict", tooltip="One key per label"),
    Binding("r", "rationale", "Rationale", id="rationale"),
    Binding("a", "add_account", "Account", id="account", tooltip="Add who says what"),
    Binding(
        "e",
        "evidence",
        "Evidence",
        id="evidence",
        tooltip="Passage, URL, file or note, with stances",
    ),
    Binding("g", "grade", "Grade", id="grade", tooltip="Grade sources A–F, assess each account"),
    Binding("n", "new_claim", "New", id="new_claim"),
    Binding(
        "x",
        "correct",
        "Edit",
        id="correct",
        tooltip="Edit or delete the claim, an account, evidence or a source; merge sources",
    ),
    Binding("d", "documents", "Docs", id="documents", tooltip="Archived documents"),
    Binding("f", "search", "Search", id="search", tooltip="Full text: documents, claims, notes"),
    Binding(
        "c",
        "checked",
        "Checked?",
        id="checked",
        show=False,
        tooltip="Jump to the claim this one looks like; offer to merge into it",
    ),
    Binding("m", "ach", "Matrix", id="ach", tooltip="Evidence × accounts (ACH)"),
    Binding("t", "triage", "Triage", id="triage", tooltip="Accept, drop or merge proposed"),
    Binding("p", "media", "Media", id="media", show=False, tooltip="Photos, videos, seen before"),
    Binding("u", "undo", "Undo", id="undo"),
    Binding("ctrl+r", "redo", "Redo", id="redo"),
    Binding("ctrl+t", "toggle_theme", "Theme", id="theme", show=False, tooltip="Dark or light"),
    Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False),
]

HINT_KEYS = ("verdict", "rationale", "account", "evidence", "checked", "undo")
"""Bindings the claim pane's hints name; they show the reviewer's own keys."""
