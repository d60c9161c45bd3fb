"""Markdown reports for editors: one claim, or the whole casebook with a summary and contents.

Every piece of untrusted text goes through `inline()`, which neutralises markdown and HTML so a
claim cannot change the report's structure (tables, headings, links) or inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC

from verify import grading, history
from verify.ids import ID_PATTERN
from verify.lang.labels import account_labels
from verify.models import Claim, Document, Evidence, Settings, Source
from verify.store import Store
from verify.textsafe import clean

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
# Scheme separators and "www." are what GitHub turns into live links; "[:]" and "[.]" (the
# defanged form analysts already read) keep an address legible but inert.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9+.-])://|\bwww\.")
_NEWLINES = re.compile(r"\r\n?|[\u2028\x85]")


def _defang(text: str) -> str:
    return _AUTOLINK.sub(lambda m: "[:]//" if m.group(0) == "://" else m.group(0)[:3] + "[.]", text)


def _guard_start(m: re.Match[str]) -> str:
    # Escape the marker's punctuation, not a digit: CommonMark reads "\1." as text "\1.".
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def inline(text: str) -> str:
    """Untrusted text as literal markdown on one line.

    HTML becomes entities; the characters that open emphasis, code, links, images, tables and
    strikethrough are backslash-escaped. That is enough inside a line; `block()` also guards
    the start of a paragraph.
    """
    flat = _defang(" ".join(clean(text).split()))
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def block(text: str) -> str:
    """Untrusted multi-line text as literal markdown paragraphs."""
    # Carriage returns and Unicode line separators are line breaks, not controls to drop:
    # dropped, they would run two paragraphs into one.
    paras = [
        p
        for p in re.split(r"\n\s*\n", clean(_NEWLINES.sub("\n", text).replace("\u2029", "\n\n")))
        if p.strip()
    ]
    return "\n\n".join(_LINE_START.sub(_guard_start, inline(p), count=1) for p in paras)


def _bold(text: str) -> str:
    """Bold untrusted text; text cleaned to nothing would print a bare `****`."""
    shown = inline(text)
    return f"**{shown}**" if shown else "**(unnamed)**"


def code(text: str) -> str:
    """Short machine text (ids, hashes) in a code span."""
    safe = re.sub(r"[^A-Za-z0-9._:/-]", "", text)
    return f"`{safe}`"


class _Context:
    def __init__(self, store: Store) -> None:
        self.settings: Settings = store.settings()
        self.sources: dict[str, Source] = {s.id: s for s in store.sources()}
        self.documents: dict[str, Document] = {d.id: d for d in store.documents()}
        self.store = store


def _badge(claim: Claim, settings: Settings) -> str:
    if claim.verdict is None:
        return "**NO VERDICT**"
    label = settings.label(claim.verdict.label)
    name = label.alternate_name if label else claim.verdict.label
    return _bold(name.upper())


def _source_name(ctx: _Context, source_id: str | None) -> str:
    src = ctx.sources.get(source_id or "")
    if src is None:
        return "unattributed"
    return f"{inline(src.name)} ({src.grade}: {grading.SOURCE_GRADES[src.grade]})"


def _citation(ctx: _Context, ev: Evidence) -> str:
    parts: list[str] = []
    if ev.selector is not None:
        doc = ctx.documents.get(ev.selector.document_id)
        if doc is not None:
            if doc.publisher:
                parts.append(inline(doc.publisher))
            if doc.title:
                parts.append(f"*{inline(doc.title)}*")
            if doc.address:
                parts.append(inline(doc.address))
            parts.append(f"retrieved {doc.retrieved.date().isoformat()}")
        parts.append(f"sha256 {code(ev.selector.document_id[:12])}")
        status = ev.selector.status.value
        if status == "fuzzy":
            status += f" {ev.selector.score:.0f}%"
        parts.append(f"quote {status}")
    if ev.url:
        parts.append(inline(ev.url))
    if ev.file_name and ev.document_id:
        parts.append(f"sha256 {code(ev.document_id[:12])}")
    return ", ".join(parts)


def _file_named(ctx: _Context, ev: Evidence) -> str:
    doc = ctx.documents.get(ev.document_id or "")
    kind = f" ({inline(doc.media_type)})" if doc else ""
    return f"{inline(ev.file_name)}{kind}"


def _evidence_counts(claim: Claim, account_id: str) -> tuple[int, int]:
    support = contra = 0
    for ev in claim.evidence:
        stance = ev.stances.get(account_id)
        if stance is None:
            continue
        if stance.value in ("CC", "C"):
            support += 1
        elif stance.value in ("I", "II"):
            contra += 1
    return support, contra


def _claim_section(ctx: _Context, claim: Claim, level: int) -> list[str]:
    h = "#" * level
    out = [f'<a name="{claim.id}"></a>', "", f"{h} {inline(claim.text)}", ""]
    label = ctx.settings.label(claim.verdict.label) if claim.verdict else None
    verdict_line = _badge(claim, ctx.settings)
    if label is not None:
        verdict_line += f": {inline(label.description)}"
    out += [verdict_line, ""]
    facts = [f"- Claim {code(claim.id)}, status {claim.status.value}, revision {claim.revision}"]
    if claim.claimant:
        facts.append(f"- Claimant: {inline(claim.claimant)}")
    if claim.date:
        facts.append(f"- Date: {claim.date}")
    if claim.origin is not None:
        doc = ctx.documents.get(claim.origin.document_id)
        where = inline(doc.title or doc.address) if doc else code(claim.origin.document_id[:12])
        facts.append(f"- Origin: {where}: “{inline(claim.origin.quote.exact)}”")
    if claim.ref:
        facts.append(f"- Reference: {inline(claim.ref)}")
    if claim.tags:
        facts.append("- Tags: " + ", ".join(inline(t) for t in claim.tags))
    merged_into = claim.extra.get("merged_into")
    if isinstance(merged_into, str):
        # `extra` can come from an import: only a well-formed id becomes a link target.
        if re.fullmatch(ID_PATTERN, merged_into):
            facts.append(f"- Merged into [{merged_into}](#{merged_into})")
        else:
            facts.append(f"- Merged into {code(merged_into)}")
    out += [*facts, ""]

    if claim.accounts:
        out += [f"{h}# Accounts", ""]
        names = [f"Account {i}" for i in range(1, len(claim.accounts) + 1)]
        out.append("| | " + " | ".join(names) + " |")
        out.append("|---|" + "---|" * len(names))
        rows = {
            "Source": [_source_name(ctx, a.source_id) for a in claim.accounts],
            "Statement": [inline(a.statement) for a in claim.accounts],
            "Language": [
                label or "" for label in account_labels([a.statement for a in claim.accounts])
            ],
            "Assessment": [a.assessment.value for a in claim.accounts],
            "Evidence for / against": [
                "{} / {}".format(*_evidence_counts(claim, a.id)) for a in claim.accounts
            ],
        }
        for name, cells in rows.items():
            if any(cells) or name != "Language":  # no language row for English alone
                out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")

    if claim.evidence:
        out += [f"{h}# Evidence", ""]
        index = {a.id: i for i, a in enumerate(claim.accounts, 1)}
        for i, ev in enumerate(claim.evidence, 1):
            src = ctx.sources.get(ev.source_id or "")
            grade = grading.grade_code(src.grade if src else None, ev.credibility)
            body = ev.summary or ev.note
            if ev.selector is not None:
                body = f"“{ev.selector.quote.exact}”"
            line = f"{i}. **{grade}** {ev.kind.value}"
            if ev.file_name:
                # The file is what the item is: its name and type lead, its hash follows.
                line += f" {_file_named(ctx, ev)}"
            if src is not None:
                line += f" from {inline(src.name)}"
            line += f": {inline(body)}" if body else ""
            cite = _citation(ctx, ev)
            if cite:
                line += f" ({cite})"
            stances = [
                f"Account {index[aid]} {grading.STANCE_MARKS[st]}"
                for aid, st in sorted(ev.stances.items(), key=lambda kv: index.get(kv[0], 0))
                if aid in index
            ]
            if stances:
                ended = line.endswith((".", "!", "?", "…", ".”", "!”", "?”"))
                line += (" " if ended else ". ") + "Bears on: " + ", ".join(stances)
            out.append(line)
        out.append("")

    out += _captures(ctx, claim, h)

    if len(claim.accounts) > 1 and claim.evidence:
        result = grading.ach(claim, ctx.sources)
        out += [f"{h}# Competing accounts weighed", ""]
        out.append("| Account | Weighted inconsistency (evidence against; 0 = none) |")
        out.append("|---|---|")
        for i, acc in enumerate(claim.accounts, 1):
            src = ctx.sources.get(acc.source_id or "")
            who = f" ({inline(src.name)})" if src else ""
            out.append(f"| Account {i}{who} | {result.against(acc.id):.2f} |")
        out.append("")
        undiagnostic = sum(1 for r in result.rows if not r.diagnostic)
        out.append(grading.ach_summary(result))
        if undiagnostic:
            out += [
                "",
                f"{undiagnostic} evidence item(s) rate every account alike "
                "and do not help choose between them.",
            ]
        out += ["", grading.weights_explained(), ""]

    if claim.verdict is not None:
        out += [f"{h}# Rationale", ""]
        out.append(block(claim.verdict.rationale) if claim.verdict.rationale else "_None given._")
        note = (
            f"Set by {inline(claim.verdict.reviewer) or 'unknown'} on "
            f"{claim.verdict.at.strftime('%Y-%m-%d %H:%M')} UTC."
        )
        if claim.verdict.thin_evidence_confirmed:
            note += " Confirmed despite fewer than two independent sources."
        out += ["", note, ""]

    events = ctx.store.events(target=f"claim:{claim.id}")
    if events:
        out += [f"{h}# History", "", "| When (UTC) | Who | What |", "|---|---|---|"]
        for event in events:
            what = history.WHAT.get(event.action, event.action) + (
                " (undone)" if event.undone else ""
            )
            when = event.at.strftime("%Y-%m-%d %H:%M")
            out.append(f"| {when} | {inline(event.actor)} | {inline(what)} |")
        out.append("")
    return out


def _captures(ctx: _Context, claim: Claim, h: str) -> list[str]:
    """The web captures the claim cites, with what a reader needs to re-check each one."""
    from verify.capture import table

    found = table.for_documents(ctx.store.conn, table.cited_documents(claim))
    if not found:
        return []
    out = [f"{h}# Sources as captured", ""]
    out += ["| Address | Captured (UTC) | WARC record | Payload sha256 |", "|---|---|---|---|"]
    for c in found:
        when = c.captured.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        out.append(
            f"| {inline(c.url)} | {when} | {code(c.response_record)} | {code(c.payload_sha256)} |"
        )
    return [*out, "", REPLICATE.format(claim.id), ""]


REPLICATE = (
    "To re-check: `verify export --format wacz --claim {} -o claim.wacz`, find each record by "
    "its id in `archive/data.warc.gz` and take the sha256 of its payload."
)


def claim_report(store: Store, claim: Claim) -> str:
    ctx = _Context(store)
    return "\n".join(_claim_section(ctx, claim, 1)).rstrip() + "\n"


def casebook_report(store: Store) -> str:
    return "".join(casebook_chunks(store))


def casebook_chunks(store: Store) -> Iterator[str]:
    """The casebook report in pieces, so a large casebook streams instead of piling up."""
    ctx = _Context(store)
    rows = store.summaries()
    decided = sum(1 for r in rows if r.verdict)
    head = [f"# {inline(ctx.settings.name)}", ""]
    head.append(
        f"{len(rows)} claims, {decided} with a verdict, "
        f"{len(ctx.documents)} archived documents, {len(ctx.sources)} sources."
    )
    head += [
        "",
        "## Summary",
        "",
        "| Claim | Verdict | Accounts | Evidence | Updated |",
        "|---|---|---|---|---|",
    ]
    labels = {label.label: label for label in ctx.settings.scale}
    for r in rows:
        text = inline(r.text if len(r.text) <= 90 else r.text[:89] + "…")
        label = labels.get(r.verdict or "")
        badge = _bold((label.alternate_name if label else r.verdict or "no verdict").upper())
        head.append(
            f"| [{text}](#{r.id}) | {badge} | {r.accounts} | {r.evidence} | {r.updated[:10]} |"
        )
    head += ["", "## Contents", ""]
    for i, r in enumerate(rows, 1):
        text = inline(r.text if len(r.text) <= 90 else r.text[:89] + "…")
        head.append(f"{i}. [{text}](#{r.id})")
    head.append("")
    yield "\n".join(head) + "\n"
    last = ""
    for c in store.iter_claims():
        if last:
            yield last + "\n\n"
        last = "\n".join(["---", "", *_claim_section(ctx, c, 2)]).rstrip()
    yield last + "\n" if last else ""
