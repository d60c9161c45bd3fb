"""Building evidence items: passages of archived documents, URLs and files archived on attach."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from verify import actions
from verify.errors import VerifyError
from verify.ingest import documents
from verify.models import Evidence, EvidenceKind, Stance
from verify.store import Store


@dataclass
class EvidenceDraft:
    """What a reviewer has filled in for a new evidence item, before it is built."""

    kind: EvidenceKind
    document_id: str = ""
    start: int = 0
    end: int = 0
    """For passages: [start, end) character offsets into the document's text."""
    url: str = ""
    path: str = ""
    note: str = ""
    source_id: str | None = None
    credibility: int = 6
    stances: dict[str, Stance] = field(default_factory=dict)


def from_draft(store: Store, draft: EvidenceDraft) -> Evidence:
    """An Evidence item; URLs are fetched and files read, and both archived in the casebook."""
    at = store.clock()
    kind, source_id, credibility = draft.kind, draft.source_id, draft.credibility
    stances = dict(draft.stances)
    document_id, start, end = draft.document_id, draft.start, draft.end
    url, path, note = draft.url, draft.path, draft.note
    if kind is EvidenceKind.passage:
        if not document_id:
            raise VerifyError("choose a document first")
        doc = store.get_document(document_id)
        return actions.passage_evidence(
            doc, start, end, at=at, source_id=source_id, credibility=credibility, stances=stances
        )
    if kind is EvidenceKind.note:
        return actions.other_evidence(
            kind, at=at, note=note, source_id=source_id, credibility=credibility, stances=stances
        )
    if kind is EvidenceKind.url:
        if not url.startswith(("http://", "https://")):
            raise VerifyError("a URL must start with http:// or https://")
        raw, address, media = documents.read_source(url)
        archived = documents.archive(raw, address, media, retrieved=at, require_text=False)
        store.add_document(archived.document, archived.raw)
        item = actions.other_evidence(
            kind,
            at=at,
            url=url,
            summary=archived.document.title,
            source_id=source_id,
            credibility=credibility,
            stances=stances,
        )
        return item.model_copy(update={"document_id": archived.document.id})
    if kind is EvidenceKind.file:
        if not path:
            raise VerifyError("give the path of the file to attach")
        raw, address, media = documents.read_source(path)
        guessed = mimetypes.guess_type(address)[0] or media
        archived = documents.archive(raw, address, guessed, retrieved=at, require_text=False)
        store.add_document(archived.document, archived.raw)
        item = actions.other_evidence(
            kind,
            at=at,
            file_name=Path(path).name,
            file_sha256=archived.document.id[:12],
            source_id=source_id,
            credibility=credibility,
            stances=stances,
        )
        return item.model_copy(update={"document_id": archived.document.id})
    raise VerifyError(f"unknown evidence kind {kind}")
