"""Attach evidence: a passage picked in an archived document, a URL, a file, or a note."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from verify.evidence import EvidenceDraft
from verify.grading import INFO_GRADES
from verify.models import AnchorStatus, Claim, Document, EvidenceKind, Source, Stance
from verify.ui.document_area import DocumentArea
from verify.ui.safe import line

STANCE_OPTIONS = [
    ("++ strongly consistent", Stance.strongly_consistent.value),
    ("+  consistent", Stance.consistent.value),
    ("0  neutral", Stance.neutral.value),
    ("−  inconsistent", Stance.inconsistent.value),
    ("−− strongly inconsistent", Stance.strongly_inconsistent.value),
]
STANCE_KEYS = {
    "+": Stance.consistent,
    "-": Stance.inconsistent,
    "0": Stance.neutral,
}
CREDIBILITY_OPTIONS = [(f"{n}  {d}", n) for n, d in INFO_GRADES.items()]


def anchors_for(claim: Claim, document_id: str) -> list[tuple[int, int, AnchorStatus]]:
    """Every anchored passage of this claim that lies in the given document."""
    found: list[tuple[int, int, AnchorStatus]] = []
    selectors = [claim.origin] + [a.origin for a in claim.accounts]
    selectors += [e.selector for e in claim.evidence]
    for sel in selectors:
        if sel is not None and sel.document_id == document_id and sel.position is not None:
            found.append((sel.position.start, sel.position.end, sel.status))
    return found


class EvidenceScreen(ModalScreen[EvidenceDraft | None]):
    BINDINGS = [
        Binding("ctrl+s", "attach", "Attach", id="evidence.attach"),
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+f", "focus_find", "Find", id="evidence.find"),
    ]

    def __init__(self, claim: Claim, documents: list[Document], sources: list[Source]) -> None:
        super().__init__()
        self._stance_account: int | None = None
        """The account the next + - 0 key rates (chosen by its number)."""
        self.claim = claim
        self.documents = documents
        self.sources = sources

    def compose(self) -> ComposeResult:
        docs = [(line(d.title or d.address or d.id[:12], 60), d.id) for d in self.documents]
        with Vertical(classes="dialog full", id="evidence-dialog"):
            yield Label("Attach evidence  (Ctrl+S attaches, Esc cancels)", classes="dialog-title")
            with RadioSet(id="evidence-kind"):
                yield RadioButton("Passage", value=bool(self.documents), id="kind-passage")
                yield RadioButton("URL", id="kind-url")
                yield RadioButton("File", id="kind-file")
                yield RadioButton("Note", value=not self.documents, id="kind-note")
            with Vertical(id="passage-pane"):
                with Horizontal(classes="row"):
                    yield Select(
                        docs,
                        id="evidence-document",
                        allow_blank=not docs,
                        value=docs[0][1] if docs else Select.BLANK,
                        prompt="Document",
                    )
                    yield Input(placeholder="find in document (Enter: next)", id="evidence-find")
                yield DocumentArea(
                    self.documents[0] if self.documents else None, id="evidence-text"
                )
                yield Static("", id="evidence-selection")
            yield Input(placeholder="https://…", id="evidence-url")
            yield Input(
                placeholder="path of a local file to copy into the casebook", id="evidence-path"
            )
            yield Input(placeholder="note", id="evidence-note")
            # No focus on the scroll container itself: Tab goes from control to control, and
            # no invisible stop can swallow the keys meant for the next one.
            with VerticalScroll(id="evidence-ratings", can_focus=False):
                yield Static(
                    Text(
                        "Stances by keyboard: account number, then + (twice: ++), - (twice: −−) "
                        "or 0",
                        style="dim",
                    ),
                    id="stance-hint",
                )
                with Horizontal(classes="row"):
                    yield Select(
                        [
                            (Text.assemble(line(s.name, 40), f" ({s.grade})"), s.id)
                            for s in self.sources
                        ],
                        prompt="Source (who provides it)",
                        id="evidence-source",
                    )
                    yield Input(placeholder="…or a new source's name", id="evidence-new-source")
                    yield Select(
                        CREDIBILITY_OPTIONS, value=6, allow_blank=False, id="evidence-credibility"
                    )
                for i, acc in enumerate(self.claim.accounts):
                    with Horizontal(classes="row"):
                        yield Label(line(f"{i + 1}. {acc.statement}", 38), classes="stance-label")
                        yield Select(STANCE_OPTIONS, value="N", allow_blank=False, id=f"stance-{i}")
            with Horizontal(classes="buttons"):
                yield Button("Attach", variant="primary", id="attach")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Compact controls: on an 80x24 terminal the document keeps most of the dialog.
        for widget in self.query("Select, Input, Button, RadioSet"):
            widget.compact = True  # type: ignore[attr-defined]
        self._show_kind()
        if self.documents:
            self._load_document(self.documents[0].id)

    @property
    def kind(self) -> EvidenceKind:
        pressed = self.query_one("#evidence-kind", RadioSet).pressed_button
        name = pressed.id.removeprefix("kind-") if pressed and pressed.id else "note"
        return EvidenceKind(name)

    def _show_kind(self) -> None:
        kind = self.kind
        self.query_one("#passage-pane").display = kind is EvidenceKind.passage
        self.query_one("#evidence-url").display = kind is EvidenceKind.url
        self.query_one("#evidence-path").display = kind is EvidenceKind.file
        self.query_one("#evidence-note").display = kind is EvidenceKind.note

    def on_radio_set_changed(self) -> None:
        self._show_kind()

    def _load_document(self, doc_id: str) -> None:
        doc = next((d for d in self.documents if d.id == doc_id), None)
        if doc is None:
            return
        area = self.query_one("#evidence-text", DocumentArea)
        area.show(doc, anchors_for(self.claim, doc.id))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "evidence-document" and isinstance(event.value, str):
            self._load_document(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "evidence-find":
            area = self.query_one("#evidence-text", DocumentArea)
            if not area.find(event.value):
                self.notify("not found in this document", severity="warning")

    def on_text_area_selection_changed(self) -> None:
        area = self.query_one("#evidence-text", DocumentArea)
        start, end = area.selected_span
        info = self.query_one("#evidence-selection", Static)
        if end > start:
            info.update(
                Text.assemble(
                    ("selected: ", "dim"),
                    line(f"“{area.text[start:end]}”", 200),
                    (f"  [{start}–{end}]", "dim"),
                )
            )
        else:
            info.update(Text("select a passage: find it, or shift+arrows / drag", style="dim"))

    def on_key(self, event: events.Key) -> None:
        # Keys that would type into a field are the field's; elsewhere they set stances.
        if isinstance(self.focused, Input):
            return
        char = event.character or ""
        if char.isdigit() and 1 <= int(char) <= len(self.claim.accounts):
            self._stance_account = int(char) - 1
            event.stop()
            self.notify(f"Account {char}: + consistent, - inconsistent, 0 neutral")
            return
        if self._stance_account is None or char not in STANCE_KEYS:
            return
        event.stop()
        select = self.query_one(f"#stance-{self._stance_account}", Select)
        current = select.value
        stance = STANCE_KEYS[char]
        # The same key again strengthens: + then + is "strongly consistent".
        if char == "+" and current == Stance.consistent.value:
            stance = Stance.strongly_consistent
        elif char == "-" and current == Stance.inconsistent.value:
            stance = Stance.strongly_inconsistent
        select.value = stance.value

    def action_focus_find(self) -> None:
        self.query_one("#evidence-find", Input).focus()

    def draft(self) -> EvidenceDraft:
        kind = self.kind
        source = self.query_one("#evidence-source", Select).value
        cred = self.query_one("#evidence-credibility", Select).value
        stances = {}
        for i, acc in enumerate(self.claim.accounts):
            value = self.query_one(f"#stance-{i}", Select).value
            if isinstance(value, str):
                stances[acc.id] = Stance(value)
        draft = EvidenceDraft(
            kind=kind,
            source_id=source if isinstance(source, str) else None,
            credibility=cred if isinstance(cred, int) else 6,
            stances=stances,
        )
        if kind is EvidenceKind.passage:
            doc = self.query_one("#evidence-document", Select).value
            draft.document_id = doc if isinstance(doc, str) else ""
            draft.start, draft.end = self.query_one("#evidence-text", DocumentArea).selected_span
        draft.url = self.query_one("#evidence-url", Input).value.strip()
        draft.path = self.query_one("#evidence-path", Input).value.strip()
        draft.note = self.query_one("#evidence-note", Input).value
        new_source = " ".join(self.query_one("#evidence-new-source", Input).value.split())
        if new_source:
            draft.new_source_name = new_source
            draft.source_id = None
        return draft

    def action_attach(self) -> None:
        draft = self.draft()
        if draft.kind is EvidenceKind.passage and draft.end <= draft.start:
            self.notify("select a passage first", severity="warning")
            return
        self.dismiss(draft)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "attach":
            self.action_attach()
        else:
            self.dismiss(None)
