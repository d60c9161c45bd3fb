"""Triage of proposed claims: accept, drop, or merge into another claim."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from verify import actions
from verify.errors import VerifyError
from verify.models import ClaimStatus
from verify.store import Store
from verify.textsafe import one_line
from verify.ui.safe import plain


def _prompt(text: str, meta: str) -> Text:
    # Text, not str: prompts given as str would be parsed as markup.
    return Text.assemble((f"{meta} ", "dim"), one_line(text, 200))


class MergePicker(ModalScreen[str | None]):
    """Choose the claim a proposed claim belongs to; likely ones first."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, store: Store, claim_id: str) -> None:
        super().__init__()
        self.store = store
        self.claim_id = claim_id

    def compose(self) -> ComposeResult:
        from verify.merging import candidates

        options = [
            Option(_prompt(c.text, f"{c.score:3.0f}%"), id=c.claim_id)
            for c in candidates(self.store, self.claim_id)
        ]
        with Vertical(classes="dialog wide", id="merge-dialog"):
            yield Label(
                "Merge into which claim?  (Enter chooses, Esc cancels)", classes="dialog-title"
            )
            yield OptionList(*options, id="merge-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TriageScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("enter,a", "accept", "Accept", id="triage.accept"),
        Binding("x", "drop", "Drop", id="triage.drop"),
        Binding("m", "merge", "Merge", id="triage.merge"),
        Binding("escape,q", "dismiss(None)", "Close", id="dialog.close"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="triage-dialog"):
            yield Label(
                "Proposed claims: Enter/a accepts, x drops, m merges into another "
                "claim, Esc closes",
                classes="dialog-title",
            )
            yield OptionList(id="triage-options")
            yield Static(id="triage-detail")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#triage-options", OptionList).focus()

    def reload(self, keep_index: int = 0) -> None:
        options = self.query_one("#triage-options", OptionList)
        options.clear_options()
        rows = self.store.summaries(status="proposed")
        for row in rows:
            options.add_option(Option(_prompt(row.text, f"{row.accounts}a"), id=row.id))
        if rows:
            options.highlighted = min(keep_index, len(rows) - 1)
        self.query_one("#triage-detail", Static).update(
            Text(f"{len(rows)} proposed claim(s) left.", style="dim")
        )

    def _current(self) -> str | None:
        options = self.query_one("#triage-options", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is None:
            return
        claim = self.store.get_claim(event.option.id)
        detail = Text()
        for acc in claim.accounts:
            src = self.store.get_source(acc.source_id) if acc.source_id else None
            detail.append(f"{plain(src.name, 80) if src else 'unattributed'}: ", style="bold")
            detail.append(one_line(acc.statement, 300) + "\n")
        if claim.checkworthiness is not None:
            detail.append(f"check-worthiness {claim.checkworthiness:.2f}", style="dim")
        self.query_one("#triage-detail", Static).update(detail)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on the list accepts, like `a`
        self.action_accept()

    def _set(self, status: ClaimStatus, verb: str) -> None:
        claim_id = self._current()
        if claim_id is None:
            return
        index = self.query_one("#triage-options", OptionList).highlighted or 0
        try:
            claim = self.store.get_claim(claim_id)
            self.store.save_claim(actions.set_status(claim, status), f"triage.{verb}")
        except VerifyError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload(index)

    def action_accept(self) -> None:
        self._set(ClaimStatus.open, "accept")

    def action_drop(self) -> None:
        self._set(ClaimStatus.dropped, "drop")

    def action_merge(self) -> None:
        claim_id = self._current()
        if claim_id is None:
            return
        index = self.query_one("#triage-options", OptionList).highlighted or 0

        def chosen(target_id: str | None) -> None:
            if target_id is None:
                return
            try:
                merged, dropped = actions.merge(
                    self.store.get_claim(target_id), self.store.get_claim(claim_id)
                )
                self.store.save_claims([(merged, "triage.merge"), (dropped, "triage.merge")])
            except VerifyError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.reload(index)

        self.app.push_screen(MergePicker(self.store, claim_id), chosen)
