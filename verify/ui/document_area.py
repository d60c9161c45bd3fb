"""A read-only document view that highlights anchored passages and lets the reviewer select one."""

from __future__ import annotations

from rich.style import Style
from textual.document._document import Document as TextDocument
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from verify.models import AnchorStatus, Document

ANCHOR_THEME = TextAreaTheme(
    name="verify-anchors",
    syntax_styles={
        "anchor-exact": Style(bgcolor="#2d5a3d", bold=True),
        "anchor-fuzzy": Style(bgcolor="#6b5a1e", bold=True),
        "find": Style(bgcolor="#1e4b6b", underline=True),
    },
)


class DocumentArea(TextArea):
    """TextArea that also paints anchors: exact in green, fuzzy in amber."""

    def __init__(self, document: Document | None = None, **kwargs: object) -> None:
        super().__init__(
            document.text if document else "",
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            **kwargs,  # type: ignore[arg-type]
        )
        self.anchors: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.register_theme(ANCHOR_THEME)
        self.theme = "verify-anchors"

    def show(self, document: Document, anchors: list[tuple[int, int, AnchorStatus]]) -> None:
        self.anchors = [
            (s, e, "anchor-exact" if st is AnchorStatus.exact else "anchor-fuzzy")
            for s, e, st in anchors
            if st is not AnchorStatus.not_found
        ]
        self.load_text(document.text)
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        for start, end, name in getattr(self, "anchors", []):
            self._paint(start, end, name)

    def _paint(self, start: int, end: int, name: str) -> None:
        doc = self.text_document
        total = len(self.text)
        start, end = max(0, min(start, total)), max(0, min(end, total))
        if start >= end:
            return
        (r0, c0) = doc.get_location_from_index(start)
        (r1, c1) = doc.get_location_from_index(end)
        for row in range(r0, r1 + 1):
            text = doc.get_line(row)
            a = c0 if row == r0 else 0
            b = c1 if row == r1 else len(text)
            # Highlights are in UTF-8 byte columns, as the syntax highlighter produces them.
            self._highlights[row].append((len(text[:a].encode()), len(text[:b].encode()), name))

    @property
    def text_document(self) -> TextDocument:
        # Read-only plain text always gets the plain Document, which maps offsets both ways.
        assert isinstance(self.document, TextDocument)
        return self.document

    @property
    def selected_span(self) -> tuple[int, int]:
        """The selection as [start, end) character offsets into the document text."""
        sel = self.selection
        a = self.text_document.get_index_from_location(sel.start)
        b = self.text_document.get_index_from_location(sel.end)
        return (a, b) if a <= b else (b, a)

    def select_span(self, start: int, end: int) -> None:
        doc = self.text_document
        self.selection = Selection(
            doc.get_location_from_index(start), doc.get_location_from_index(end)
        )
        self.scroll_cursor_visible(center=True)

    def find(self, needle: str) -> bool:
        """Select the next occurrence of `needle` (case-insensitive) after the cursor."""
        if not needle:
            return False
        text = self.text.lower()
        needle = needle.lower()
        _, after = self.selected_span
        at = text.find(needle, after)
        if at == -1:
            at = text.find(needle)
        if at == -1:
            return False
        self.select_span(at, at + len(needle))
        return True
