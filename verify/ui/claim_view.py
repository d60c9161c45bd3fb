"""The selected claim: header, accounts side by side with their evidence, verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from verify import grading
from verify.lang.labels import account_labels
from verify.models import Claim, Document, Evidence, Settings, Source
from verify.ui.claim_list import VERDICT_STYLE
from verify.ui.safe import line, literal, plain

STACK_BELOW = 70
"""Pane width (cells) under which accounts stack instead of standing side by side."""


@dataclass
class ClaimContext:
    """Everything the view shows about one claim, read once per change."""

    claim: Claim
    settings: Settings
    sources: dict[str, Source]
    documents: dict[str, Document]
    matches: list[tuple[str, float, str, str | None]] = field(default_factory=list)
    """Earlier checks that look like this claim: (claim id, score, text, verdict)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> the key bound to it now, for hints that follow a remapped keymap."""

    def key(self, binding_id: str, default: str) -> str:
        return self.keys.get(binding_id, default)


GRADE_STYLE = {
    "A": "bold $text-success on $success-muted",
    "B": "bold $text-success on $success-muted",
    "C": "bold $text-warning on $warning-muted",
    "D": "bold $text-warning on $warning-muted",
    "E": "bold $text-error on $error-muted",
    "F": "bold $text-secondary on $secondary-muted",
}
"""Source grade badges in the theme's own colours, reliable to unreliable; F cannot be judged."""

STANCE_STYLE = {"++": "bold green", "+": "green", "−": "red", "−−": "bold red"}


def evidence_title(ev: Evidence, documents: Mapping[str, Document]) -> Text:
    """What an item is, in words: the quote, or the file's name and type, the URL, the note."""
    text = Text()
    if ev.selector is not None:
        text.append_text(line(f"“{ev.selector.quote.exact}”", 160))
        status = ev.selector.status.value
        if status == "fuzzy":
            status = f"fuzzy {ev.selector.score:.0f}%"
        text.append(f" [{status}]", style="dim" if status == "exact" else "yellow")
        return text
    doc = documents.get(ev.document_id or "")
    if ev.kind.value == "file":
        kind = doc.media_type if doc else "file"
        text.append("file ", style="dim")
        text.append_text(line(ev.file_name or "unnamed", 60, style="bold"))
        text.append(f" ({kind})", style="dim")
    elif ev.kind.value == "url":
        text.append("url ", style="dim")
        text.append_text(line(ev.url, 80))
    else:
        text.append("note ", style="dim")
        text.append_text(line(ev.note, 160))
    if ev.summary:
        text.append(" — ", style="dim")
        text.append_text(line(ev.summary, 120))
    return text


def evidence_table(ctx: ClaimContext) -> Table:
    """Evidence as rows, accounts as columns: each item once, its stance under each account."""
    claim = ctx.claim
    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1), show_edge=False)
    for i in range(len(claim.accounts)):
        table.add_column(str(i + 1), justify="center", no_wrap=True, width=2)
    table.add_column("grade", no_wrap=True, width=5)
    table.add_column("evidence", ratio=1, overflow="fold")
    for ev in claim.evidence:
        cells: list[Text] = []
        for acc in claim.accounts:
            stance = ev.stances.get(acc.id)
            mark = grading.STANCE_MARKS[stance] if stance else "·"
            cells.append(Text(mark, style=STANCE_STYLE.get(mark, "dim")))
        src = ctx.sources.get(ev.source_id or "")
        cells.append(Text(grading.grade_code(src.grade if src else None, ev.credibility)))
        cells.append(evidence_title(ev, ctx.documents))
        table.add_row(*cells)
    return table


class DrawnOnce:
    """A Rich renderable drawn once per width and height however often it is asked for.

    Textual draws a Static's Rich content once to measure its height for the layout and again
    to paint it; an evidence table is the costliest part of the pane to draw.
    """

    def __init__(self, renderable: Table) -> None:
        self.renderable = renderable
        self._lines: dict[tuple[int, int | None], list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (options.max_width, options.height)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = console.render_lines(self.renderable, options, pad=False)
        new_line = Segment.line()
        for segments in lines:
            yield from segments
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


# Why the pane's widgets redeclare `virtual_size`: after a layout, Textual stores each widget's
# new size through this reactive, which asks for a second layout of the whole screen (and a
# frame) whenever the size changed, even when nothing else is left to lay out. The first
# layout already placed every widget of the pane at its final size; a scroll container shows
# or hides its scrollbar through its own reactive, which still lays out again when it must.


class PaneStatic(Static):
    """A Static of the claim pane: its new size after a layout asks for no second layout."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    def show(self, content: Text | Content | DrawnOnce) -> None:
        # Same words, same styles: nothing to redraw or lay out (a claim without a verdict,
        # an empty panel, and so on).
        if same(content, self.content):
            return
        self.update(content)


def same(new: object, old: object) -> bool:
    """Whether two texts draw the same: Rich's and Textual's own == compare less than that."""
    fields: tuple[str, ...]
    if isinstance(new, Text) and isinstance(old, Text):
        fields = ("plain", "spans", "style", "justify", "overflow", "no_wrap", "end")
    elif isinstance(new, Content) and isinstance(old, Content):
        fields = ("plain", "spans")
    else:
        return False
    return all(getattr(new, f) == getattr(old, f) for f in fields)


class PaneScroll(VerticalScroll):
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class PaneHorizontal(Horizontal):
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class AccountColumn(Vertical):
    """One account: its number, source and grade, the statement, its own assessment."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    def __init__(self, ctx: ClaimContext, index: int) -> None:
        super().__init__(classes="account-column")
        self.ctx = ctx
        self.index = index
        head, body = self.contents()
        self.head = PaneStatic(head, classes="account-head")
        self.statement = PaneStatic(body, classes="account-statement")

    def compose(self) -> ComposeResult:
        yield self.head
        yield self.statement

    def contents(self) -> tuple[Content, Text]:
        acc = self.ctx.claim.accounts[self.index]
        src = self.ctx.sources.get(acc.source_id or "")
        number = (f"{self.index + 1}. ", "bold")
        if src is not None:
            # The grade first: it stays on the header's first line however the name wraps.
            # Theme colours, not reverse video: reverse turns the light theme's cell black.
            head = Content.assemble(
                number,
                (f" {src.grade} ", GRADE_STYLE.get(src.grade, GRADE_STYLE["F"])),
                " ",
                (plain(src.name, 60), "bold"),  # Content from a str is plain text, not markup
            )
        else:
            head = Content.assemble(number, ("unattributed", "italic"))
        label = account_labels([a.statement for a in self.ctx.claim.accounts])[self.index]
        if label:
            head = Content.assemble(head, (f"  {label}", "italic dim"))
        body = literal(acc.statement)
        body.append(f"  {acc.assessment.value}", style="italic dim")
        return head, body

    def show(self, ctx: ClaimContext) -> None:
        self.ctx = ctx
        head, body = self.contents()
        self.head.show(head)
        self.statement.show(body)


class ClaimView(Vertical):
    """Right-hand pane: the claim scrolls, its verdict and rationale stay in view below it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ctx: ClaimContext | None = None

    def show(self, ctx: ClaimContext | None) -> None:
        old, self.ctx = self.ctx, ctx
        # The same claim again (saved here or by a colleague) stays where it was scrolled to.
        same = old is not None and ctx is not None and old.claim.id == ctx.claim.id
        # Moving from claim to claim updates the widgets that are there: rebuilding the pane
        # costs a mount of every widget and a second layout for every move.
        if old is not None and ctx is not None and self._update(ctx, keep_scroll=same):
            return
        body = self.query("#claim-body")
        y = body.first(VerticalScroll).scroll_y if same and body else 0
        self.refresh(recompose=True)
        if y:
            self.call_after_refresh(self._scroll_back, y)

    def _scroll_back(self, y: float) -> None:
        for body in self.query("#claim-body").results(VerticalScroll):
            body.scroll_to(y=y, animate=False, immediate=True)

    def _update(self, ctx: ClaimContext, keep_scroll: bool = False) -> bool:
        body = self.query("#claim-body")
        focused = self.app.focused
        if not body or (focused is not None and self in focused.ancestors_with_self):
            return False  # not composed yet, or the reviewer is inside the pane: rebuild
        scroll = body.first(VerticalScroll)
        self.query_one("#claim-header", PaneStatic).show(self._header(ctx))
        self._show_matches(ctx)
        accounts = self.query_one("#accounts", Horizontal)
        count = len(ctx.claim.accounts)
        accounts.display = count > 0
        self.query_one("#accounts-empty", Static).display = count == 0
        # Columns beyond this claim's accounts are hidden, not removed: a removal and a later
        # mount each cost a layout of their own, a frame after the one that shows the claim.
        columns = list(accounts.query_children(AccountColumn))
        for column in columns[:count]:
            column.show(ctx)
            column.display = True
        for column in columns[count:]:
            column.display = False
        if count > len(columns):
            accounts.mount_all(AccountColumn(ctx, i) for i in range(len(columns), count))
        evidence = DrawnOnce(evidence_table(ctx)) if ctx.claim.evidence else self._no_evidence(ctx)
        self.query_one("#evidence", PaneStatic).show(evidence)
        self.query_one("#verdict", PaneStatic).show(self._verdict_text(ctx))
        if not keep_scroll:
            scroll.scroll_to(0, 0, animate=False, immediate=True)  # a new claim starts at its top
        return True

    def show_matches(self, ctx: ClaimContext) -> None:
        """The shown claim's "already checked?" answers came (from a worker): that panel only."""
        if ctx is self.ctx and self.query("#claim-matches"):
            self._show_matches(ctx)
        # Otherwise the pane is being built from `ctx`, answers included.

    def _show_matches(self, ctx: ClaimContext) -> None:
        matches = self.query_one("#claim-matches", PaneStatic)
        matches.display = bool(ctx.matches)
        if ctx.matches:
            matches.show(self._matches(ctx))

    def on_resize(self) -> None:
        # Narrow panes stack the accounts instead of squeezing words into thin columns.
        self.set_class(self.size.width < STACK_BELOW, "narrow")

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        if ctx is None:
            yield PaneStatic(
                Text(
                    "No claim selected. Press n to add one, or import a file with `verify import`.",
                    style="dim",
                ),
                id="claim-empty",
            )
            return
        with PaneScroll(id="claim-body"):
            yield from self._body(ctx)
        yield PaneStatic(self._verdict_text(ctx), id="verdict")

    def _body(self, ctx: ClaimContext) -> ComposeResult:
        claim = ctx.claim
        yield PaneStatic(self._header(ctx), id="claim-header")
        # Every part is there for every claim, hidden when empty, so moving to the next
        # claim updates them in place (see `_update`).
        matches = PaneStatic(self._matches(ctx) if ctx.matches else "", id="claim-matches")
        matches.display = bool(ctx.matches)
        yield matches
        with PaneHorizontal(id="accounts") as accounts:
            accounts.display = bool(claim.accounts)
            for i in range(len(claim.accounts)):
                yield AccountColumn(ctx, i)
        empty = PaneStatic(
            Text(
                f"No accounts yet: press {ctx.key('account', 'a')} to add who says what.",
                style="dim",
            ),
            id="accounts-empty",
        )
        empty.display = not claim.accounts
        yield empty
        if claim.evidence:
            yield PaneStatic(DrawnOnce(evidence_table(ctx)), id="evidence")
        else:
            yield PaneStatic(self._no_evidence(ctx), id="evidence")

    @staticmethod
    def _no_evidence(ctx: ClaimContext) -> Text:
        return Text(
            f"No evidence yet: press {ctx.key('evidence', 'e')} to attach some.", style="dim"
        )

    @staticmethod
    def _header(ctx: ClaimContext) -> Text:
        claim = ctx.claim
        header = Text()
        header.append_text(literal(claim.text, style="bold"))
        meta = []
        if claim.claimant:
            meta.append(("claimant ", claim.claimant))
        if claim.date:
            meta.append(("date ", claim.date))
        if claim.ref:
            meta.append(("ref ", claim.ref))
        if claim.tags:
            meta.append(("tags ", ", ".join(claim.tags)))
        if claim.assignee:
            meta.append(("assigned ", claim.assignee))
        merged_into = claim.extra.get("merged_into")
        if isinstance(merged_into, str):
            meta.append(("merged into ", merged_into))
        if meta:
            header.append("\n")
            for i, (k, v) in enumerate(meta):
                header.append(("  " if i else "") + k, style="dim")
                header.append_text(line(v, 60))
        if claim.origin is not None:
            doc = ctx.documents.get(claim.origin.document_id)
            header.append("\norigin ", style="dim")
            header.append_text(line((doc.title or doc.address) if doc else "missing document", 50))
            header.append(": ", style="dim")
            header.append_text(line(f"“{claim.origin.quote.exact}”", 140))
        return header

    @staticmethod
    def _matches(ctx: ClaimContext) -> Text:
        found = Text("Already checked? ", style="bold yellow")
        found.append(f"({ctx.key('checked', 'c')} jumps to the best match)", style="dim")
        for cid, score, text, verdict in ctx.matches[:3]:
            found.append(f"\n  {score:>3.0f}% ", style="yellow")
            found.append(f"[{plain(verdict or 'no verdict', 40)}] ", style="bold")
            found.append_text(line(text, 100))
            found.append(f"  {cid}", style="dim")
        return found

    @staticmethod
    def _verdict_text(ctx: ClaimContext) -> Text:
        claim = ctx.claim
        text = Text()
        if claim.verdict is None:
            text.append("No verdict", style="bold dim")
            text.append(f"  press {ctx.key('verdict', 'v')} to set one", style="dim")
            return text
        label = ctx.settings.label(claim.verdict.label)
        text.append(
            f" {plain(claim.verdict.label, 40).upper()} ",
            style=VERDICT_STYLE.get(claim.verdict.label, "reverse"),
        )
        if label is not None:
            text.append(f"  {plain(label.description, 200)}", style="italic")
        text.append(
            f"\nby {plain(claim.verdict.reviewer or 'unknown', 80)}, "
            f"{claim.verdict.at.strftime('%Y-%m-%d %H:%M')} UTC",
            style="dim",
        )
        if claim.verdict.thin_evidence_confirmed:
            text.append("  confirmed on fewer than two independent sources", style="yellow")
        text.append("\n")
        if claim.verdict.rationale:
            text.append_text(literal(claim.verdict.rationale))
        else:
            text.append(
                f"No rationale yet: press {ctx.key('rationale', 'r')} to write one.", style="dim"
            )
        return text
