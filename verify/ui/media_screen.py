"""Photo and video evidence of the selected claim: a preview, the metadata, and where the
casebook has seen the same picture before."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import ImageOps
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static

from verify.errors import VerifyError
from verify.media import image, index
from verify.media.info import MediaInfo, Seen
from verify.models import Evidence
from verify.store import Store
from verify.ui.media_preview import half_blocks
from verify.ui.safe import line, literal, plain

if TYPE_CHECKING:
    from verify.ui.app import VerifyApp


class MediaItem:
    """One photo or video of the claim, with what the screen shows about it."""

    def __init__(
        self, evidence: Evidence, info: MediaInfo, hits: list[Seen] | None, raw: bytes
    ) -> None:
        self.evidence = evidence
        self.info = info
        self.hits = hits
        """None until the look-up (in a worker) has answered."""
        self.raw = raw


def open_media(app: VerifyApp) -> None:
    """Show the selected claim's photos and videos at once, or say there are none; where
    the casebook saw them before is looked up in a worker and filled in when known."""
    ctx = app.ctx
    if ctx is None:
        app.notify("No claim selected", severity="warning")
        return
    found = index.media_of(app.store.conn, ctx.claim)
    if not found:
        app.notify("This claim has no photo or video evidence", severity="warning")
        return
    items = [MediaItem(e, i, None, app.store.document_raw(i.sha256)) for e, i in found]

    def done(claim_id: str | None) -> None:
        if claim_id:
            app.jump_to(claim_id)

    screen = MediaScreen(items, {})
    app.push_screen(screen, done)
    screen.look_up(app.store.location)


def preview(raw: bytes, info: MediaInfo, columns: int, rows: int) -> Text:
    """The picture in half-blocks, or why there is none."""
    if not info.media_type.startswith("image/"):
        return Text("(no preview for a video)", style="dim")
    try:
        img, _ = image.open_image(raw, "the archived picture")
        with img:
            return half_blocks(ImageOps.exif_transpose(img) or img, columns, rows)
    except (VerifyError, *image.DAMAGE) as exc:
        # The casebook is untrusted too: a picture changed behind verify's back.
        return literal(f"no preview: {exc}", style="red")


def describe(item: MediaItem, claims: dict[str, str]) -> Text:
    """The metadata and "seen before" hits as text (every value from the file is untrusted)."""
    text = Text()
    text.append_text(line(item.evidence.file_name or item.evidence.id, 60, style="bold"))
    text.append("\n")
    for label, value in index.facts(item.info, item.hits or []):
        if item.hits is None and label == "seen before":
            value = "looking…"
        text.append(f"{label}: ", style="bold")
        text.append_text(line(value, 200))
        text.append("\n")
    for hit in item.hits or []:
        if hit.claim_id in claims:
            text.append(f"  {hit.claim_id}: ", style="dim")
            text.append_text(line(claims[hit.claim_id], 120, style="italic"))
            text.append("\n")
    if item.hits:
        text.append("\nj jumps to the nearest claim that has it", style="dim")
    return text


class MediaScreen(ModalScreen[str | None]):
    """One photo or video at a time; the selector switches between the claim's items.
    Dismissed with the id of a claim to jump to, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="dialog.close"),
        Binding("j", "jump", "Jump", id="media.jump", tooltip="To the claim that has it"),
    ]
    DEFAULT_CSS = """
    #media-body { height: 1fr; }
    #media-preview { width: auto; height: auto; padding-right: 2; }
    #media-meta-scroll { width: 1fr; }
    """

    def __init__(self, items: list[MediaItem], claims: dict[str, str]) -> None:
        super().__init__()
        self.items = {item.evidence.id: item for item in items}
        self.claims = claims
        self.shown = items[0].evidence.id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full", id="media-dialog"):
            yield Label("Photos and videos  (Esc closes)", classes="dialog-title")
            if len(self.items) > 1:
                yield Select(
                    [(line(i.evidence.file_name or eid, 60), eid) for eid, i in self.items.items()],
                    value=self.shown,
                    allow_blank=False,
                    id="media-select",
                )
            with Horizontal(id="media-body"):
                yield Static(id="media-preview")
                with VerticalScroll(id="media-meta-scroll"):
                    yield Static(id="media-meta")

    def on_mount(self) -> None:
        self._show(self.shown)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="media")
    def look_up(self, casebook: Path | str) -> None:
        # Comparing against every cited picture takes a while on a large casebook: this
        # thread has its own connection (SQLite connections belong to their thread).
        try:
            with Store.open(casebook) as store:
                hits = {
                    eid: index.seen_elsewhere(store.conn, item.evidence, item.info)
                    for eid, item in self.items.items()
                }
                ids = sorted({h.claim_id for found in hits.values() for h in found})
                claims = {cid: s.text for cid, s in store.summaries_for(ids).items()}
        except (VerifyError, sqlite3.Error) as exc:
            self.app.call_from_thread(
                self.app.notify, plain(str(exc), 200), severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._answered, hits, claims)

    def _answered(self, hits: dict[str, list[Seen]], claims: dict[str, str]) -> None:
        for eid, found in hits.items():
            self.items[eid].hits = found
        self.claims = claims
        if self.is_attached:
            self._show(self.shown)

    def action_jump(self) -> None:
        hits = self.items[self.shown].hits
        if hits:  # nothing to jump to until the look-up has answered
            self.dismiss(hits[0].claim_id)

    def _show(self, evidence_id: str) -> None:
        self.shown = evidence_id
        item = self.items[evidence_id]
        # Two fifths of the width for the picture, the rest for what is known about it.
        width, height = self.app.size
        columns, rows = max(16, min(80, width * 2 // 5)), max(6, height - 9)
        self.query_one("#media-preview", Static).update(preview(item.raw, item.info, columns, rows))
        self.query_one("#media-meta", Static).update(describe(item, self.claims))
        self.query_one("#media-dialog").border_subtitle = plain(item.evidence.file_name, 40)
