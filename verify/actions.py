"""Edits a reviewer makes to a claim, as pure functions: the CLI and the TUI share them.

Each returns a new Claim; the caller saves it with `Store.save_claim`, which checks the
revision so an edit based on a stale copy is refused.
"""

from __future__ import annotations

from datetime import datetime

from verify.errors import VerifyError
from verify.ids import new_id
from verify.models import (
    Account,
    Assessment,
    Claim,
    ClaimStatus,
    Document,
    Evidence,
    EvidenceKind,
    Settings,
    Stance,
    Verdict,
)


def set_verdict(
    claim: Claim,
    settings: Settings,
    label: str,
    *,
    reviewer: str,
    at: datetime,
    rationale: str | None = None,
    thin_confirmed: bool = False,
) -> Claim:
    if settings.label(label) is None:
        known = ", ".join(r.label for r in settings.scale)
        raise VerifyError(f"unknown verdict label {label!r} (known: {known})")
    if rationale is None:
        rationale = claim.verdict.rationale if claim.verdict else ""
    verdict = Verdict(
        label=label,
        rationale=rationale,
        reviewer=reviewer,
        at=at,
        thin_evidence_confirmed=thin_confirmed,
    )
    return claim.model_copy(update={"verdict": verdict, "status": ClaimStatus.decided})


def set_rationale(claim: Claim, rationale: str, *, reviewer: str, at: datetime) -> Claim:
    if claim.verdict is None:
        raise VerifyError("set a verdict before writing its rationale")
    verdict = claim.verdict.model_copy(
        update={"rationale": rationale, "reviewer": reviewer, "at": at}
    )
    return claim.model_copy(update={"verdict": verdict})


def add_account(claim: Claim, statement: str, source_id: str | None) -> Claim:
    statement = statement.strip()
    if not statement:
        raise VerifyError("an account needs a statement")
    account = Account(id=new_id("a"), source_id=source_id, statement=statement)
    return claim.model_copy(update={"accounts": [*claim.accounts, account]})


def edit_account(claim: Claim, account_id: str, **changes: object) -> Claim:
    if claim.account(account_id) is None:
        raise VerifyError(f"no account {account_id} on claim {claim.id}")
    accounts = [a.model_copy(update=changes) if a.id == account_id else a for a in claim.accounts]
    return claim.model_copy(update={"accounts": accounts})


def set_assessment(claim: Claim, account_id: str, assessment: Assessment) -> Claim:
    return edit_account(claim, account_id, assessment=assessment)


def passage_evidence(
    document: Document,
    start: int,
    end: int,
    *,
    at: datetime,
    source_id: str | None = None,
    credibility: int = 6,
    stances: dict[str, Stance] | None = None,
    summary: str = "",
) -> Evidence:
    """Evidence anchored to document.text[start:end]."""
    from verify import anchor  # its fuzzy matching is not needed by a verdict or a note

    if not 0 <= start < end <= len(document.text):
        raise VerifyError("select a passage of the document first")
    if not document.text[start:end].strip():
        raise VerifyError("the selected passage is blank")
    return Evidence(
        id=new_id("e"),
        kind=EvidenceKind.passage,
        selector=anchor.selector_for(document.id, document.text, start, end),
        source_id=source_id,
        credibility=credibility,
        stances=stances or {},
        summary=summary,
        added=at,
    )


def other_evidence(
    kind: EvidenceKind,
    *,
    at: datetime,
    url: str = "",
    note: str = "",
    file_name: str = "",
    source_id: str | None = None,
    credibility: int = 6,
    stances: dict[str, Stance] | None = None,
    summary: str = "",
) -> Evidence:
    if kind is EvidenceKind.url and not url.startswith(("http://", "https://")):
        raise VerifyError("a URL must start with http:// or https://")
    if kind is EvidenceKind.note and not note.strip():
        raise VerifyError("a note needs some text")
    return Evidence(
        id=new_id("e"),
        kind=kind,
        url=url,
        note=note,
        file_name=file_name,
        summary=summary,
        source_id=source_id,
        credibility=credibility,
        stances=stances or {},
        added=at,
    )


def add_evidence(claim: Claim, evidence: Evidence) -> Claim:
    unknown = [aid for aid in evidence.stances if claim.account(aid) is None]
    if unknown:
        raise VerifyError(f"stance for an account not on this claim: {unknown[0]}")
    return claim.model_copy(update={"evidence": [*claim.evidence, evidence]})


def new_claim(
    text: str,
    *,
    at: datetime,
    claimant: str = "",
    date: str = "",
    status: ClaimStatus = ClaimStatus.open,
) -> Claim:
    text = text.strip()
    if not text:
        raise VerifyError("a claim needs its text")
    return Claim(
        id=new_id("c"),
        text=text,
        claimant=claimant.strip(),
        date=date,
        status=status,
        created=at,
        updated=at,
    )


def set_status(claim: Claim, status: ClaimStatus) -> Claim:
    return claim.model_copy(update={"status": status})


def merge(target: Claim, proposed: Claim) -> tuple[Claim, Claim]:
    """Fold a proposed claim into another: its accounts join the target, it is dropped."""
    if target.id == proposed.id:
        raise VerifyError("a claim cannot be merged into itself")
    have = {a.statement.strip().lower() for a in target.accounts}
    fresh = [a for a in proposed.accounts if a.statement.strip().lower() not in have]
    merged = target.model_copy(update={"accounts": [*target.accounts, *fresh]})
    extra = {**proposed.extra, "merged_into": target.id}
    dropped = proposed.model_copy(update={"status": ClaimStatus.dropped, "extra": extra})
    return merged, dropped
