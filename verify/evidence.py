"""Building evidence items: passages of archived documents, URLs and files archived on attach."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from verify import actions, anchor
from verify.errors import VerifyError
from verify.ingest import documents
from verify.media import index as media_index
from verify.media import probe as media_probe
from verify.models import Claim, Evidence, EvidenceKind, Stance, TextQuote
from verify.store import Store


@dataclass
class EvidenceDraft:
    """What a reviewer has filled in for a new evidence item, before it is built."""

    kind: EvidenceKind
    document_id: str = ""
    start: int = 0
    end: int = 0
    """For passages: [start, end) character offsets into the document's text."""
    quote: str = ""
    """For passages given by their words instead of offsets (the CLI): found in the text."""
    url: str = ""
    path: str = ""
    note: str = ""
    summary: str = ""
    source_id: str | None = None
    new_source_name: str = ""
    """A source to create with the item (named in the dialog), instead of `source_id`."""
    credibility: int = 6
    stances: dict[str, Stance] = field(default_factory=dict)


def check_draft(store: Store, claim: Claim, draft: EvidenceDraft) -> None:
    """Refuse what cannot be attached before anything slow (a fetch) or stored happens."""
    for account_id in draft.stances:
        if claim.account(account_id) is None:
            raise VerifyError(f"account {account_id} is not an account of claim {claim.id}")
    if draft.source_id:
        store.get_source(draft.source_id)
    if not 1 <= draft.credibility <= 6:
        raise VerifyError("credibility is 1 (confirmed) to 6 (cannot be judged)")
    if draft.kind is EvidenceKind.passage and draft.document_id:
        store.get_document(draft.document_id)


def attach(store: Store, claim_id: str, draft: EvidenceDraft) -> tuple[Claim, Evidence]:
    """Build the item (archiving a URL or file first) and add it to the claim as one action."""
    check_draft(store, store.get_claim(claim_id), draft)
    item = from_draft(store, draft)
    new = store.update_claim(claim_id, lambda c: actions.add_evidence(c, item), "evidence.add")
    return new, item


def from_draft(store: Store, draft: EvidenceDraft) -> Evidence:
    """An Evidence item; URLs are fetched and files read, and both archived in the casebook."""
    at = store.clock()
    kind, source_id, credibility = draft.kind, draft.source_id, draft.credibility
    stances = dict(draft.stances)
    document_id, start, end = draft.document_id, draft.start, draft.end
    url, path, note = draft.url, draft.path, draft.note
    summary = draft.summary.strip()
    if kind is EvidenceKind.passage:
        if not document_id:
            raise VerifyError("choose a document first")
        doc = store.get_document(document_id)
        if draft.quote:
            found = anchor.locate(doc.text, TextQuote(exact=draft.quote))
            if not found.exact:
                raise VerifyError("the quote is not in the document, word for word")
            start, end = found.start, found.end
        return actions.passage_evidence(
            doc,
            start,
            end,
            at=at,
            source_id=source_id,
            credibility=credibility,
            stances=stances,
            summary=summary,
        )
    if kind is EvidenceKind.note:
        return actions.other_evidence(
            kind,
            at=at,
            note=note,
            source_id=source_id,
            credibility=credibility,
            stances=stances,
            summary=summary,
        )
    if kind is EvidenceKind.url:
        if not url.startswith(("http://", "https://")):
            raise VerifyError("a URL must start with http:// or https://")
        from verify.capture import reading, table

        archived = reading.read_url(url, at, require_text=False)
        table.store_archived(store, archived)  # the document and its WARC records, at once
        item = actions.other_evidence(
            kind,
            at=at,
            url=url,
            summary=summary or archived.document.title,
            source_id=source_id,
            credibility=credibility,
            stances=stances,
        )
        return item.model_copy(update={"document_id": archived.document.id})
    if kind is EvidenceKind.file:
        if not path:
            raise VerifyError("give the path of the file to attach")
        raw, address, media = documents.read_source(path)
        # Before anything is stored: a damaged or hostile photo is refused here.
        info = media_probe.probe(raw, Path(path).name)
        guessed = info.media_type if info else mimetypes.guess_type(address)[0] or media
        archived = documents.archive(raw, address, guessed, retrieved=at, require_text=False)
        with store.transaction():
            store.tx_insert_document(archived.document, archived.raw)
            if info is not None and media_index.has_table(store.conn):
                media_index.tx_put(store.conn, info)
        item = actions.other_evidence(
            kind,
            at=at,
            file_name=Path(path).name,
            summary=summary,
            source_id=source_id,
            credibility=credibility,
            stances=stances,
        )
        return item.model_copy(update={"document_id": archived.document.id})
    raise VerifyError(f"unknown evidence kind {kind}")


def attachment(store: Store, evidence_id: str) -> tuple[bytes, Evidence]:
    """The bytes an evidence item archived (a file, or the page a URL gave), as they came."""
    claim_id = store.claim_holding(evidence_id)
    if claim_id is None:
        raise VerifyError(f"no evidence item with id {evidence_id!r}")
    item = next(e for e in store.get_claim(claim_id).evidence if e.id == evidence_id)
    if not item.document_id:
        raise VerifyError(f"evidence {evidence_id} is a {item.kind.value} with no attached file")
    return store.document_raw(item.document_id), item
