"""The claim list: a line-API view that renders only the visible rows of any number of claims."""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from verify.models import ClaimSummary
from verify.store import Store
from verify.textsafe import one_line
from verify.ui.safe import plain

PAGE = 200
NARROW = 48
"""Below this many columns the list drops its status column and shortens verdict badges."""

VERDICT_STYLE = {
    "true": "bold black on green",
    "mostly-true": "bold black on green",
    "mixed": "bold black on yellow",
    "misleading": "bold black on yellow",
    "mostly-false": "bold white on red",
    "false": "bold white on red",
    "unproven": "bold white on blue",
    "disputed": "bold white on magenta",
}
STATUS_MARK = {"proposed": "new", "open": "open", "decided": "done", "dropped": "drop"}


class ClaimRows:
    """Rows of the list, fetched a page at a time from summary columns and cached."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: list[str] | None = None
        """Claim ids when a filter is applied; None lists every claim in casebook order."""
        self._count = store.count_claims()
        self._pages: OrderedDict[int, list[ClaimSummary]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids) if self.ids is not None else self._count

    def invalidate(self) -> None:
        self._count = self.store.count_claims()
        self._pages.clear()

    def set_filter(self, ids: list[str] | None) -> None:
        self.ids = ids
        self._pages.clear()

    def get(self, index: int) -> ClaimSummary | None:
        if not 0 <= index < len(self):
            return None
        page_no = index // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load(page_no)
            self._pages[page_no] = page
            if len(self._pages) > 32:  # keep memory flat however far the list scrolls
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index - page_no * PAGE
        return page[offset] if offset < len(page) else None

    def _load(self, page_no: int) -> list[ClaimSummary]:
        if self.ids is None:
            return self.store.summaries(offset=page_no * PAGE, limit=PAGE)
        wanted = self.ids[page_no * PAGE : (page_no + 1) * PAGE]
        found = self.store.summaries_for(wanted)
        return [found[i] for i in wanted if i in found]

    def index_of(self, claim_id: str) -> int | None:
        if self.ids is not None:
            try:
                return self.ids.index(claim_id)
            except ValueError:
                return None
        return self.store.position_of(claim_id)


class ClaimList(ScrollView, can_focus=True):
    """Claims, one per line: verdict badge, status, counts, text."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
    ]
    COMPONENT_CLASSES = {"claim-list--cursor", "claim-list--dim"}
    DEFAULT_CSS = """
    ClaimList > .claim-list--cursor { background: $accent 40%; text-style: bold; }
    ClaimList:focus > .claim-list--cursor { background: $accent; }
    ClaimList > .claim-list--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row."""

    class Highlighted(Message):
        def __init__(self, claim_id: str | None) -> None:
            self.claim_id = claim_id
            super().__init__()

    def __init__(self, rows: ClaimRows, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows = rows

    def on_mount(self) -> None:
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Re-read sizes (after edits or a new filter), keeping `keep` highlighted if present."""
        self.virtual_size = Size(self.size.width, len(self.rows))
        if keep is not None:
            index = self.rows.index_of(keep)
            if index is not None:
                self.cursor = index
                self.scroll_to_cursor()
                self.refresh()
                return
        self.cursor = min(self.cursor, max(0, len(self.rows) - 1))
        self.refresh()

    @property
    def current(self) -> ClaimSummary | None:
        return self.rows.get(self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        row = self.rows.get(new)
        self.post_message(self.Highlighted(row.id if row else None))
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        if len(self.rows):
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))
            self.scroll_to_cursor()

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if len(self.rows):
            self.cursor = 0 if where == 0 else len(self.rows) - 1
            self.scroll_to_cursor()

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", None)
        if y is not None:
            index = int(self.scroll_offset.y) + int(y)
            if 0 <= index < len(self.rows):
                self.cursor = index

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = int(self.scroll_offset.y) + y
        row = self.rows.get(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("claim-list--cursor")
        dim = base + self.get_component_rich_style("claim-list--dim")
        # A narrow list keeps room for the claim's words: short badge, no status column.
        narrow = width < NARROW
        badge_width = 4 if narrow else 10
        badge_text = plain(row.verdict or "—")[:badge_width].upper().center(badge_width)
        # On the row's own style, so an undecided badge takes the theme's background instead
        # of the terminal's (black cells in the light theme).
        badge_style = base + Style.parse(VERDICT_STYLE.get(row.verdict or "", "dim"))
        counts = f"{row.accounts}a {row.evidence}e"
        if row.assignee:  # whose it is on the desk, before the counts
            counts = f"@{plain(row.assignee, 6 if narrow else 12)} {counts}"
        status = "" if narrow else STATUS_MARK.get(row.status, row.status)[:4].ljust(4) + " "
        fixed = badge_width + 1 + len(status) + len(counts) + 1
        text = one_line(row.text, max(1, width - fixed - 1))
        segments = [
            Segment(badge_text, badge_style),
            Segment(" ", base),
            Segment(status, dim),
            Segment(text, base),
        ]
        used = sum(s.cell_length for s in segments)
        pad = max(1, width - used - len(counts))
        segments += [Segment(" " * pad, base), Segment(counts, dim)]
        return Strip(segments).adjust_cell_length(width, base)
