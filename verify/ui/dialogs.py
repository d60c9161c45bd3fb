"""Small dialogs: verdict, rationale, new claim, account, source grades, confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from verify.grading import SOURCE_GRADES
from verify.models import Account, Assessment, RatingLabel, Source
from verify.ui.safe import line, literal, plain

LABEL_COLOUR = {
    "true": "bold green", "mostly-true": "bold green", "mixed": "bold yellow",
    "misleading": "bold yellow", "mostly-false": "bold red", "false": "bold red",
    "unproven": "bold blue", "disputed": "bold magenta",
}  # fmt: skip
GRADE_OPTIONS = [(f"{g}  {d}", g) for g, d in SOURCE_GRADES.items()]


class VerdictDialog(ModalScreen[str | None]):
    """The scale's labels numbered 1–9: one key sets the verdict."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, scale: list[RatingLabel], current: str | None) -> None:
        super().__init__()
        self.scale = scale[:9]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="verdict-dialog"):
            yield Label("Set verdict: press its number (Esc cancels)", classes="dialog-title")
            for i, label in enumerate(self.scale, 1):
                text = Text(f" {i} ", style="bold")
                text.append(
                    f" {plain(label.label, 40):<13}", style=LABEL_COLOUR.get(label.label, "bold")
                )
                text.append(f" {plain(label.description, 200)}")
                if label.label == self.current:
                    text.append("  (current)", style="dim")
                yield Static(text, classes="verdict-option", id=f"verdict-{i}")

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(self.scale):
                event.stop()
                self.dismiss(self.scale[n - 1].label)

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        if widget is not None and widget.id and widget.id.startswith("verdict-"):
            self.dismiss(self.scale[int(widget.id.split("-")[1]) - 1].label)


class TextDialog(ModalScreen[str | None]):
    """Multi-line text (the rationale): Ctrl+S saves, Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        # The editor shows its text raw: control codes go before it sees them.
        self.initial = literal(text).plain

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="text-dialog"):
            yield Label(self.title_text + "  (Ctrl+S saves, Esc cancels)", classes="dialog-title")
            yield TextArea(self.initial, id="text-body", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one("#text-body", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#text-body", TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)


@dataclass
class NewClaim:
    text: str
    claimant: str
    date: str


class NewClaimDialog(ModalScreen[NewClaim | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="new-claim-dialog"):
            yield Label("New claim, in the desk's words", classes="dialog-title")
            yield Input(placeholder="The claim", id="claim-text")
            yield Input(placeholder="Claimant (who made it)", id="claim-claimant")
            yield Input(
                placeholder="Date made: YYYY-MM-DD",
                id="claim-date",
                restrict=r"[0-9-]*",
                max_length=10,
            )
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def _result(self) -> NewClaim:
        return NewClaim(
            text=self.query_one("#claim-text", Input).value,
            claimant=self.query_one("#claim-claimant", Input).value,
            date=self.query_one("#claim-date", Input).value,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves on to the next field; only the last one's Enter adds the claim.
        if event.input.id == "claim-date":
            self.dismiss(self._result())
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self._result() if event.button.id == "save" else None)


@dataclass
class NewAccount:
    statement: str
    source_id: str | None
    """An existing source, or None for a new one named `source_name`."""
    source_name: str
    grade: str


class AccountDialog(ModalScreen[NewAccount | None]):
    """Who says what: pick a known source or name a new one, grade it, give the statement."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, sources: list[Source]) -> None:
        super().__init__()
        self.sources = sources

    def compose(self) -> ComposeResult:
        # Text, not str: option prompts given as str would be parsed as markup.
        options = [(Text.assemble(line(s.name, 50), f"  ({s.grade})"), s.id) for s in self.sources]
        with Vertical(classes="dialog wide", id="account-dialog"):
            yield Label("Add account", classes="dialog-title")
            yield Select(options, prompt="Known source…", id="account-source", allow_blank=True)
            yield Input(placeholder="…or a new source's name", id="account-new-source")
            yield Select(GRADE_OPTIONS, value="F", id="account-grade", allow_blank=False)
            yield Input(placeholder="What this source says happened", id="account-statement")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def _result(self) -> NewAccount:
        picked = self.query_one("#account-source", Select).value
        grade = self.query_one("#account-grade", Select).value
        return NewAccount(
            statement=self.query_one("#account-statement", Input).value,
            source_id=picked if isinstance(picked, str) else None,
            source_name=self.query_one("#account-new-source", Input).value.strip(),
            grade=grade if isinstance(grade, str) else "F",
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "account-source" and isinstance(event.value, str):
            src = next((s for s in self.sources if s.id == event.value), None)
            if src is not None:
                self.query_one("#account-grade", Select).value = src.grade

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "account-statement":
            self.dismiss(self._result())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self._result() if event.button.id == "save" else None)


@dataclass
class Grading:
    grades: dict[str, str]
    """Source id -> new reliability grade, for the sources that changed."""
    assessments: dict[str, Assessment]
    """Account id -> new assessment, for the accounts that changed."""


ASSESSMENT_OPTIONS = [(a.value, a.value) for a in Assessment]


class GradeDialog(ModalScreen[Grading | None]):
    """Grade the sources behind a claim (A–F) and assess each of its accounts."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, sources: list[Source], accounts: list[Account]) -> None:
        super().__init__()
        self.sources = sources
        self.accounts = accounts

    def compose(self) -> ComposeResult:
        # The scroll container takes no focus: Tab goes from control to control.
        with VerticalScroll(classes="dialog wide", id="grade-dialog", can_focus=False):
            yield Label(
                "Source reliability (Admiralty A–F)  Ctrl+S saves, Esc cancels",
                classes="dialog-title",
            )
            if not self.sources:
                yield Static("This claim cites no sources yet.")
            for i, src in enumerate(self.sources):
                yield Label(line(src.name, 70))
                yield Select(GRADE_OPTIONS, value=src.grade, allow_blank=False, id=f"grade-{i}")
            if self.accounts:
                yield Label("Accounts: supported, refuted or unresolved", classes="dialog-title")
            for i, acc in enumerate(self.accounts):
                yield Label(line(f"{i + 1}. {acc.statement}", 70))
                yield Select(
                    ASSESSMENT_OPTIONS,
                    value=acc.assessment.value,
                    allow_blank=False,
                    id=f"assess-{i}",
                )
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query("Select, Button").first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        grades = {}
        for i, src in enumerate(self.sources):
            value = self.query_one(f"#grade-{i}", Select).value
            if isinstance(value, str) and value != src.grade:
                grades[src.id] = value
        assessments = {}
        for i, acc in enumerate(self.accounts):
            value = self.query_one(f"#assess-{i}", Select).value
            if isinstance(value, str) and value != acc.assessment.value:
                assessments[acc.id] = Assessment(value)
        self.dismiss(Grading(grades, assessments))


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="dialog.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(Text(self.question))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="warning", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
