"""Full-text search across archived documents, claims, accounts and notes (FTS5)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from verify import search
from verify.errors import VerifyError
from verify.store import Store
from verify.ui.safe import line


class SearchScreen(ModalScreen[search.Hit | None]):
    """Type words, Enter searches; pick a hit to open its claim or its document there."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="dialog.close")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.hits: list[search.Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="search-dialog"):
            yield Label(
                "Search everything: documents, claims, accounts, notes  (Enter searches, "
                "↓ to the results, Enter opens, Esc closes)",
                classes="dialog-title",
            )
            yield Input(placeholder="words to find", id="search-query")
            yield OptionList(id="search-hits")

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        hits_list = self.query_one("#search-hits", OptionList)
        hits_list.clear_options()
        try:
            self.hits = search.search(self.store.conn, event.value)
        except VerifyError as exc:
            self.notify(line(str(exc)).plain, severity="warning")
            return
        if not self.hits:
            self.notify("Nothing found", severity="warning")
            return
        for i, hit in enumerate(self.hits):
            prompt = Text(f"{hit.kind:<9}", style="bold")
            prompt.append_text(line(hit.snippet, 200))
            hits_list.add_option(Option(prompt, id=str(i)))
        hits_list.highlighted = 0
        hits_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(event.option.id or 0)])
