"""Full screens: the document viewer, the ACH matrix, and help."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Static

from verify import grading
from verify.models import Claim, Document, Source
from verify.ui.claim_view import evidence_title
from verify.ui.document_area import DocumentArea
from verify.ui.evidence_screen import anchors_for
from verify.ui.safe import line, plain


class DocumentScreen(ModalScreen[None]):
    """Read an archived document with this claim's anchored passages highlighted."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="dialog.close"),
        Binding("ctrl+f", "find", "Find", id="document.find"),
    ]

    def __init__(
        self,
        claim: Claim | None,
        documents: list[Document],
        first: str | None,
        at: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.claim = claim
        self.documents = documents
        self.first = first or (documents[0].id if documents else None)
        self.at = at
        """Where to open the first document: the claim's passage, or a search hit."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="document-dialog"):
            yield Label(
                "Archived documents  (Esc closes; green: exact anchor, amber: fuzzy)",
                classes="dialog-title",
            )
            if not self.documents:
                yield Static(
                    "No archived documents in this casebook yet: `verify ingest FILE` archives one."
                )
                return
            yield Select(
                [(line(d.title or d.address or d.id[:12], 70), d.id) for d in self.documents],
                value=self.first,
                allow_blank=False,
                id="document-select",
            )
            yield Static(id="document-meta")
            yield Input(
                placeholder="Ctrl+F find in this document (Enter: next)", id="document-find"
            )
            yield DocumentArea(id="document-text")

    def on_mount(self) -> None:
        if self.first:
            self._load(self.first)
            area = self.query_one("#document-text", DocumentArea)
            area.focus()
            # After the first refresh: the text area lays its text out only then.
            self.call_after_refresh(self._open_at)

    def _open_at(self) -> None:
        area = self.query_one("#document-text", DocumentArea)
        if self.at is not None and self.at[0] < self.at[1] <= len(area.text):
            area.select_span(*self.at)

    def action_find(self) -> None:
        self.query_one("#document-find", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        area = self.query_one("#document-text", DocumentArea)
        if not area.find(event.value):
            self.notify("Not found in this document", severity="warning")

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._load(event.value)

    def _load(self, doc_id: str) -> None:
        doc = next(d for d in self.documents if d.id == doc_id)
        meta = Text()
        for label, value in (
            ("publisher ", doc.publisher),
            ("address ", doc.address),
            ("retrieved ", doc.retrieved.strftime("%Y-%m-%d %H:%M UTC")),
            ("sha256 ", doc.id[:16]),
        ):
            if value:
                meta.append(label, style="dim")
                meta.append_text(line(value, 80))
                meta.append("  ")
        self.query_one("#document-meta", Static).update(meta)
        anchors = anchors_for(self.claim, doc.id) if self.claim else []
        self.query_one("#document-text", DocumentArea).show(doc, anchors)


class AchScreen(ModalScreen[None]):
    """Evidence × accounts, the weighted evidence against each account, and diagnosticity."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="dialog.close")]

    def __init__(
        self,
        claim: Claim,
        sources: dict[str, Source],
        documents: dict[str, Document],
        evidence_key: str = "e",
    ) -> None:
        super().__init__()
        self.claim = claim
        self.sources = sources
        self.documents = documents
        self.evidence_key = evidence_key
        """The key that attaches evidence now, after the reviewer's keymap."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="ach-dialog"):
            yield Label("Competing accounts weighed (ACH)  Esc closes", classes="dialog-title")
            yield Static(line(self.claim.text, 200, style="bold"))
            yield DataTable(id="ach-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="ach-summary")

    def on_mount(self) -> None:
        claim = self.claim
        result = grading.ach(claim, self.sources)
        table = self.query_one("#ach-table", DataTable)
        # Every account's column in view at 80 columns: names shorten before the table
        # scrolls sideways, and the evidence column takes what is left.
        inner = self.app.size.width - 6  # the border, padding and a scrollbar
        name_width = 18 if inner - 12 * len(claim.accounts) >= 60 else 9
        columns = 2 + len(claim.accounts)
        evidence_width = inner - 2 * (columns + 1) - 5 - 10 - name_width * len(claim.accounts)
        evidence_width = max(16, min(60, evidence_width))
        # Cells are Text: DataTable would parse plain strings as markup.
        table.add_column(Text("Evidence"), key="evidence", width=evidence_width)
        table.add_column(Text("Grade"), key="grade")
        for i, acc in enumerate(claim.accounts, 1):
            src = self.sources.get(acc.source_id or "")
            name = plain(f"{i}. {src.name if src else 'unattributed'}", name_width)
            table.add_column(Text(name), key=acc.id, width=name_width)
        table.add_column(Text("Diagnostic"), key="diag")
        by_id = {e.id: e for e in claim.evidence}
        for row in result.rows:
            ev = by_id[row.evidence_id]
            title = evidence_title(ev, self.documents)
            title.truncate(evidence_width, overflow="ellipsis")
            src = self.sources.get(ev.source_id or "")
            cells: list[Text] = [
                title,
                Text(grading.grade_code(src.grade if src else None, ev.credibility)),
            ]
            for aid in result.accounts:
                stance = row.ratings[aid]
                cells.append(
                    Text(
                        f"{stance.value:>2} {grading.STANCE_MARKS[stance]}",
                        style="red"
                        if stance.value in ("I", "II")
                        else "green"
                        if stance.value in ("C", "CC")
                        else "dim",
                    )
                )
            cells.append(
                Text("yes" if row.diagnostic else "no", style="" if row.diagnostic else "dim")
            )
            table.add_row(*cells, key=row.evidence_id)
        score_cells: list[Text] = [
            Text(
                "Evidence against (0 = none; least is favoured)"
                if evidence_width >= 46
                else "Against (0 = none)",
                style="bold",
            ),
            Text(""),
        ]
        for a in result.accounts:
            style = "bold green" if a in result.least else "bold"
            score_cells.append(Text(f"{result.against(a):.2f}", style=style))
        score_cells.append(Text(""))
        table.add_row(*score_cells, key="scores")
        summary = Text()
        if not claim.evidence:
            summary.append(
                f"No evidence yet: press {self.evidence_key} on the main screen to attach some."
            )
        else:
            summary.append(grading.ach_summary(result), style="bold" if result.least else "")
        undiagnostic = sum(1 for r in result.rows if not r.diagnostic)
        if undiagnostic:
            summary.append(
                f"\n{undiagnostic} item(s) rate every account alike: they do not help choose.",
                style="dim",
            )
        summary.append("\n" + grading.weights_explained(), style="dim")
        self.query_one("#ach-summary", Static).update(summary)


HELP_TEXT = """\
Grades (Admiralty): sources A completely reliable, B usually reliable, C fairly reliable,
D not usually reliable, E unreliable, F cannot be judged; information 1 confirmed,
2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged. B2 = a
usually reliable source giving probably true information.

Stances of evidence towards an account: ++ strongly consistent, + consistent, 0 neutral,
− inconsistent, −− strongly inconsistent. Anchors: exact, fuzzy (the passage changed
a little), not-found.

Every change is saved at once; u undoes it, even after a restart. If another program
changed a claim meanwhile, you are told and the view reloads: nothing is overwritten.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close", id="dialog.close")]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.keys = keys
        """(key, description, tooltip) as currently bound, after any remapping."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog full", id="help-dialog"):
            yield Label("verify: keys  (Esc closes)", classes="dialog-title")
            keys = Text()
            for key, description, tooltip in self.keys:
                keys.append(f"{plain(key, 10):>10}  ", style="bold")
                keys.append(f"{plain(description, 30):<11}")
                if tooltip:
                    keys.append(f"  {plain(tooltip, 80)}", style="dim")
                keys.append("\n")
            yield Static(keys, id="help-keys")
            yield Static(Text(HELP_TEXT), id="help-text")
