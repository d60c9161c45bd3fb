"""The selected claim: header, accounts side by side with their evidence, verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from verify import grading
from verify.models import Claim, Document, Evidence, Settings, Source
from verify.ui.claim_list import VERDICT_STYLE
from verify.ui.safe import line, literal, plain


@dataclass
class ClaimContext:
    """Everything the view shows about one claim, read once per change."""

    claim: Claim
    settings: Settings
    sources: dict[str, Source]
    documents: dict[str, Document]
    matches: list[tuple[str, float, str, str | None]] = field(default_factory=list)
    """Earlier checks that look like this claim: (claim id, score, text, verdict)."""


def _evidence_line(ev: Evidence, ctx: ClaimContext, account_id: str) -> Text:
    stance = ev.stances.get(account_id)
    mark = grading.STANCE_MARKS[stance] if stance else "·"
    src = ctx.sources.get(ev.source_id or "")
    code = grading.grade_code(src.grade if src else None, ev.credibility)
    text = Text()
    style = {"++": "bold green", "+": "green", "−": "red", "−−": "bold red"}.get(mark, "dim")
    text.append(f"{mark:>2} ", style=style)
    text.append(f"{code} ", style="bold")
    if ev.selector is not None:
        body = f"“{ev.selector.quote.exact}”"
        status = ev.selector.status.value
        if status == "fuzzy":
            status = f"fuzzy {ev.selector.score:.0f}%"
        text.append_text(line(body, 90))
        text.append(f" [{status}]", style="dim" if status == "exact" else "yellow")
    else:
        body = ev.summary or ev.note or ev.url or ev.file_name
        text.append(f"{ev.kind.value}: ", style="dim")
        text.append_text(line(body, 90))
    return text


class AccountColumn(Vertical):
    """One account: its source and grade on the header row, the statement, the evidence."""

    def __init__(self, ctx: ClaimContext, index: int) -> None:
        super().__init__(classes="account-column")
        self.ctx = ctx
        self.index = index

    def compose(self) -> ComposeResult:
        acc = self.ctx.claim.accounts[self.index]
        src = self.ctx.sources.get(acc.source_id or "")
        head = Text(f"{self.index + 1}. ", style="bold")
        if src is not None:
            # The grade first: it stays on the header's first line however the name wraps.
            head.append(f" {src.grade} ", style="bold reverse")
            head.append(" ")
            head.append_text(line(src.name, 60, style="bold"))
        else:
            head.append("unattributed", style="italic")
        yield Static(head, classes="account-head")
        yield Static(literal(acc.statement), classes="account-statement")
        yield Static(Text(acc.assessment.value, style="italic dim"), classes="account-assessment")
        evidence = Text()
        for i, ev in enumerate(self.ctx.claim.evidence):
            if i:
                evidence.append("\n")
            evidence.append_text(_evidence_line(ev, self.ctx, acc.id))
        yield Static(evidence or Text("no evidence yet", style="dim"), classes="account-evidence")


class ClaimView(VerticalScroll):
    """Right-hand pane; rebuilt whenever the claim or anything it shows changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ctx: ClaimContext | None = None

    def show(self, ctx: ClaimContext | None) -> None:
        self.ctx = ctx
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        if ctx is None:
            yield Static(
                Text(
                    "No claim selected. Press n to add one, or import a file with `verify import`.",
                    style="dim",
                ),
                id="claim-empty",
            )
            return
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
        yield Static(header, id="claim-header")
        if ctx.matches:
            found = Text("Already checked? ", style="bold yellow")
            for cid, score, text, verdict in ctx.matches[:3]:
                found.append(f"\n  {score:>3.0f}% ", style="yellow")
                found.append(f"[{plain(verdict or 'no verdict', 40)}] ", style="bold")
                found.append_text(line(text, 100))
                found.append(f"  {cid}", style="dim")
            yield Static(found, id="claim-matches")
        if claim.accounts:
            with Horizontal(id="accounts"):
                for i in range(len(claim.accounts)):
                    yield AccountColumn(ctx, i)
        else:
            yield Static(
                Text("No accounts yet: press a to add who says what.", style="dim"),
                id="accounts-empty",
            )
        yield Static(self._verdict_text(ctx), id="verdict")

    @staticmethod
    def _verdict_text(ctx: ClaimContext) -> Text:
        claim = ctx.claim
        text = Text()
        if claim.verdict is None:
            text.append("No verdict", style="bold dim")
            text.append("  press v to set one", style="dim")
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
            text.append("No rationale yet: press r to write one.", style="dim")
        return text
