"""Photo and video evidence of the selected claim: a preview, the metadata, and where the
casebook has seen the same picture before."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PIL import ImageOps
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static

from verify.errors import VerifyError
from verify.media import image, index
from verify.media.info import MediaInfo, Seen
from verify.models import Evidence
from verify.ui.media_preview import half_blocks
from verify.ui.safe import line, literal, plain

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp

PREVIEW = (40, 16)
"""Preview size in cells: 40 x 32 pixels of the picture, proportions kept."""

Item = tuple[Evidence, MediaInfo, list[Seen]]


def open_media(app: VerifyApp) -> None:
    """Show the selected claim's photos and videos, or say there are none."""
    ctx = app.ctx
    if ctx is None:
        app.notify("No claim selected", severity="warning")
        return
    items = index.for_claim(app.store.conn, ctx.claim)
    if not items:
        app.notify("This claim has no photo or video evidence", severity="warning")
        return
    previews = {
        item.id: _preview(app.store.document_raw(info.sha256), info) for item, info, _ in items
    }
    app.push_screen(MediaScreen(items, previews))


def _preview(raw: bytes, info: MediaInfo) -> Text:
    if not info.media_type.startswith("image/"):
        return Text("(no preview for video)", style="dim")
    try:
        img, _ = image.open_image(raw, "preview")
        with img:
            return half_blocks(ImageOps.exif_transpose(img) or img, *PREVIEW)
    except (VerifyError, *image.DAMAGE) as exc:
        # The casebook is untrusted too: a picture changed behind verify's back.
        return literal(f"no preview: {exc}", style="red")


def describe(evidence: Evidence, info: MediaInfo, hits: list[Seen]) -> Text:
    """The metadata and "seen before" hits as text (every value from the file is untrusted)."""
    text = Text()
    text.append_text(line(evidence.file_name or evidence.id, 60, style="bold"))
    text.append("\n")
    for label, value in index.facts(info, hits):
        text.append(f"{label}: ", style="bold")
        text.append_text(line(value, 200))
        text.append("\n")
    return text


class MediaScreen(ModalScreen[None]):
    """One photo or video at a time; the selector switches between the claim's items."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="dialog.close")]
    DEFAULT_CSS = """
    #media-body { height: 1fr; }
    #media-preview { width: 42; height: auto; padding-right: 2; }
    #media-meta-scroll { width: 1fr; }
    """

    def __init__(self, items: list[Item], previews: dict[str, Text]) -> None:
        super().__init__()
        self.items = {item.id: (item, info, hits) for item, info, hits in items}
        self.previews = previews
        self.first = items[0][0].id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="media-dialog"):
            yield Label("Photos and videos  (Esc closes)", classes="dialog-title")
            if len(self.items) > 1:
                yield Select(
                    [(line(e.file_name or e.id, 60), eid) for eid, (e, _, _) in self.items.items()],
                    value=self.first,
                    allow_blank=False,
                    id="media-select",
                )
            with Horizontal(id="media-body"):
                yield Static(id="media-preview")
                with VerticalScroll(id="media-meta-scroll"):
                    yield Static(id="media-meta")

    def on_mount(self) -> None:
        self._show(self.first)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show(event.value)

    def _show(self, evidence_id: str) -> None:
        item, info, hits = self.items[evidence_id]
        self.query_one("#media-preview", Static).update(self.previews[evidence_id])
        self.query_one("#media-meta", Static).update(describe(item, info, hits))
        self.query_one("#media-dialog").border_subtitle = plain(item.file_name, 40)
