"""Correcting anything: pick the claim, an account, an evidence item or a source, then edit it.

The dialogs only collect what the reviewer typed; `verify.editing` checks and saves it, the
same path the `verify edit` command takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from verify.ui.safe import line


@dataclass(frozen=True)
class Target:
    """One thing on the shown claim that can be corrected."""

    kind: str
    """claim, account, evidence or source."""
    id: str
    title: str


class EditPicker(ModalScreen[Target | None]):
    """Everything on the claim, one per line: Enter (or its number) edits it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, targets: list[Target]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        options = []
        for i, t in enumerate(self.targets):
            prompt = Text(f"{i + 1:>2} " if i < 9 else "   ", style="bold")
            prompt.append(f"{t.kind:<9}", style="dim")
            prompt.append_text(line(t.title, 90))
            options.append(Option(prompt, id=str(i)))
        with VerticalScroll(classes="dialog wide", id="edit-picker"):
            yield Label("Correct or delete: pick one (Enter), Esc cancels", classes="dialog-title")
            yield OptionList(*options, id="edit-targets")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if char and char.isdigit() and 1 <= int(char) <= min(9, len(self.targets)):
            event.stop()
            self.dismiss(self.targets[int(char) - 1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.targets[int(event.option.id or 0)])


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str
    choices: tuple[tuple[str, str], ...] = ()
    """(shown, value) pairs: a Select instead of an Input."""


@dataclass
class FormResult:
    action: str
    """save, delete or merge."""
    changes: dict[str, str] = field(default_factory=dict)
    """Only the fields whose value the reviewer changed."""
    merge_into: str | None = None


class FormDialog(ModalScreen[FormResult | None]):
    """Fields of one record; Enter moves to the next field, Ctrl+S (or the last Enter) saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        *,
        can_delete: bool = False,
        merge_choices: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.can_delete = can_delete
        self.merge_choices = merge_choices or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="form-dialog", can_focus=False):
            yield Label(
                Text.assemble(line(self.title_text, 70), "  Ctrl+S saves, Esc cancels"),
                classes="dialog-title",
            )
            for f in self.fields:
                yield Label(f.label)
                if f.choices:
                    options = [(Text(shown), value) for shown, value in f.choices]
                    yield Select(options, value=f.value, allow_blank=False, id=f"field-{f.name}")
                else:
                    yield Input(f.value, id=f"field-{f.name}")
            if self.merge_choices:
                yield Label("Merge this source into another (its accounts and evidence follow)")
                options = [(line(shown, 60), value) for shown, value in self.merge_choices]
                yield Select(options, prompt="Keep which source…", id="merge-into")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                if self.merge_choices:
                    yield Button("Merge", variant="warning", id="merge")
                if self.can_delete:
                    yield Button("Delete", variant="error", id="delete")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Focus starts on a control, never on the container.
        first = self.query("Input, Select").first()
        first.focus()

    def _changes(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            value = widget.value if isinstance(widget, (Input, Select)) else None
            if isinstance(value, str) and value != f.value:
                out[f.name] = value
        return out

    def action_save(self) -> None:
        self.dismiss(FormResult("save", self._changes()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "delete":
            self.dismiss(FormResult("delete"))
        elif event.button.id == "merge":
            keep = self.query_one("#merge-into", Select).value
            if isinstance(keep, str):
                self.dismiss(FormResult("merge", merge_into=keep))
            else:
                self.notify("Choose the source to keep first", severity="warning")
        else:
            self.dismiss(None)
