"""Plain-text rendering of a claim for `verify show`."""

from __future__ import annotations

from verify import grading
from verify.lang.labels import account_labels
from verify.models import Claim, Document, Settings, Source
from verify.textsafe import clean, one_line


def claim_text(
    claim: Claim, settings: Settings, sources: dict[str, Source], documents: dict[str, Document]
) -> str:
    lines = [
        f"{claim.id}  [{claim.verdict.label if claim.verdict else 'no verdict'}]  "
        f"{claim.status.value}  rev {claim.revision}"
    ]
    lines.append(one_line(claim.text))
    meta = []
    if claim.claimant:
        meta.append(f"claimant: {one_line(claim.claimant)}")
    if claim.date:
        meta.append(f"date: {claim.date}")
    if claim.ref:
        meta.append(f"ref: {one_line(claim.ref)}")
    if claim.tags:
        meta.append("tags: " + ", ".join(one_line(t) for t in claim.tags))
    if claim.assignee:
        meta.append(f"assigned: {one_line(claim.assignee)}")
    if meta:
        lines.append("  ".join(meta))
    if claim.origin is not None:
        doc = documents.get(claim.origin.document_id)
        where = one_line(doc.title or doc.address) if doc else claim.origin.document_id[:12]
        lines.append(f"origin: {where}: “{one_line(claim.origin.quote.exact, 120)}”")
    for key in ("title", "url"):
        value = claim.extra.get(key)
        if isinstance(value, str) and value:
            lines.append(f"{key}: {one_line(value)}")
    lines.append("")
    lines.append(f"Accounts ({len(claim.accounts)}):")
    languages = account_labels([acc.statement for acc in claim.accounts])
    for i, (acc, lang) in enumerate(zip(claim.accounts, languages, strict=True), 1):
        src = sources.get(acc.source_id or "")
        who = f"{one_line(src.name)} ({src.grade})" if src else "unattributed"
        said = f" in {lang}" if lang else ""  # named only when not every account is English
        lines.append(f"  {i}. {who} [{acc.assessment.value}]{said}  {acc.id}")
        lines.append(f"     {one_line(acc.statement)}")
    lines.append("")
    lines.append(f"Evidence ({len(claim.evidence)}):")
    index = {a.id: i for i, a in enumerate(claim.accounts, 1)}
    for ev in claim.evidence:
        src = sources.get(ev.source_id or "")
        code = grading.grade_code(src.grade if src else None, ev.credibility)
        marks = " ".join(
            f"#{index[aid]}{grading.STANCE_MARKS[st]}"
            for aid, st in ev.stances.items()
            if aid in index
        )
        lines.append(f"  - {ev.kind.value} {code} {marks}  {ev.id}")
        body = ev.summary or ev.note or ev.url or ev.file_name
        if ev.selector is not None:
            body = f"“{ev.selector.quote.exact}” ({ev.selector.status.value})"
        lines.append(f"    {one_line(body, 300)}")
    if claim.verdict:
        label = settings.label(claim.verdict.label)
        lines.append("")
        lines.append(
            f"Verdict: {claim.verdict.label}"
            + (f" ({label.description})" if label else "")
            + f" by {one_line(claim.verdict.reviewer) or 'unknown'} at "
            f"{claim.verdict.at.isoformat(timespec='minutes')}"
        )
        if claim.verdict.rationale:
            lines.append(clean(claim.verdict.rationale))
    return "\n".join(lines)
