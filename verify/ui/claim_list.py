"""The claim list: a line-API view that renders only the visible rows of any number of claims."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
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

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index of the highlighted row."""

    class Highlighted(Message):
        def __init__(self, claim_id: str | None) -> None:
            self.claim_id = claim_id
            super().__init__()

    def __init__(self, rows: ClaimRows, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows = rows
        self._laid_out = Size(-1, -1)
        self._styles: tuple[Style, Style, Style] | None = None
        self.on_highlight: Callable[[str | None], None] | None = None
        """Called with the highlighted claim's id instead of posting `Highlighted`, once set."""
        """The list's size in rows when the screen was last laid out (see `_size_updated`)."""

    def on_mount(self) -> None:
        self.reload()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual hands a line-API view its viewport as its virtual size, which never equals
        # the list's length, so every layout of the screen (the claim pane's, on each move)
        # looked like a new length and redrew the scrollbar in a frame of its own. The
        # scrollbar is redone when the length really changed since the last layout.
        rows = self.virtual_size
        changed, self._laid_out = rows != self._laid_out, rows
        return super()._size_updated(
            size, virtual_size if changed else rows, container_size, layout
        )

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
        claim_id = row.id if row else None
        if self.on_highlight is not None:
            # Told at once, not by a message that climbs the DOM: the claim pane is then
            # updated in the same frame as the cursor, instead of a frame (1/60 s) later.
            self.on_highlight(claim_id)
        else:
            self.post_message(self.Highlighted(claim_id))
        # Only the two rows whose highlight changed are drawn again, and only up to the
        # scrollbar: a row across it would redraw the whole scrollbar. A scroll that follows
        # (scroll_to_cursor) redraws the whole list by itself.
        top, width = int(self.scroll_offset.y), self.scrollable_content_region.width
        self.refresh(Region(0, old - top, width, 1), Region(0, new - top, width, 1))

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

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = None  # the theme or focus may have changed since the last drawing
        return super().render_lines(crop)

    def _row_styles(self) -> tuple[Style, Style, Style]:
        # Looked up once per drawing, not once per row: the widget's style walks the DOM,
        # and a scroll of the list draws every row.
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("claim-list--cursor"),
                self.get_component_rich_style("claim-list--dim"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = int(self.scroll_offset.y) + y
        row = self.rows.get(index)
        style, cursor_style, dim_style = self._row_styles()
        if row is None:
            return Strip.blank(width, style)
        base = style
        if index == self.cursor:
            base = base + cursor_style
        dim = base + dim_style
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
