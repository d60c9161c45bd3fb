"""The portable JSON interchange format: a whole casebook as one diffable document.

Export then import then export gives the same document apart from `exported` and the import
itself, logged as one more event at the end of the history: claims keep their ids and
revisions, documents their bytes, and the history its events.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from verify import importlog, match
from verify.errors import VerifyError
from verify.models import (
    FORMAT_VERSION,
    Claim,
    Document,
    Event,
    Settings,
    Source,
)
from verify.store import Store, dump_json
from verify.textsafe import one_line

FORMAT_NAME = "verify-casebook"


def export_casebook(store: Store, exported: datetime | None = None) -> dict[str, Any]:
    documents = []
    for doc in store.documents():
        record = doc.model_dump(mode="json")
        raw = store.document_raw(doc.id)
        # Most documents are their own UTF-8 text; only keep raw bytes when they differ.
        if raw != doc.text.encode("utf-8"):
            record["raw_base64"] = base64.b64encode(raw).decode("ascii")
        documents.append(record)
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": (exported or store.clock()).isoformat(),
        "settings": store.settings().model_dump(mode="json"),
        "sources": [s.model_dump(mode="json") for s in store.sources()],
        "documents": documents,
        "claims": [c.model_dump(mode="json") for c in store.iter_claims()],
        "events": [e.model_dump(mode="json", exclude={"seq"}) for e in store.events()],
    }
    return _export_captures(store, document)


def _export_captures(store: Store, document: dict[str, Any]) -> dict[str, Any]:
    """Web captures (WARC bytes in base64), when the casebook has any: a file without them
    reads as it did before captures existed."""
    from verify.capture import interchange

    captures = interchange.export_records(store)
    if captures:
        document["captures"] = captures
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def is_portable(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def _validate(model: type[Any], record: Any, where: str) -> Any:
    try:
        parsed = model.model_validate_json(json.dumps(record))
        # What is stored must read back: the same round trip every update goes through.
        return model.model_validate_json(dump_json(parsed))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise VerifyError(f"{where}: {loc + ': ' if loc else ''}{err['msg']}") from None
    except (ValueError, RecursionError):
        raise VerifyError(f"{where}: nested too deeply") from None


def _cited_documents(claim: Claim) -> set[str]:
    selectors = [claim.origin] + [a.origin for a in claim.accounts]
    selectors += [e.selector for e in claim.evidence]
    ids = {s.document_id for s in selectors if s is not None}
    return ids | {e.document_id for e in claim.evidence if e.document_id}


def _read_documents(records: Any) -> list[tuple[Document, bytes]]:
    docs: list[tuple[Document, bytes]] = []
    for i, record in enumerate(records):
        where = f"documents[{i}]"
        if not isinstance(record, dict):
            raise VerifyError(f"{where}: not an object")
        record = dict(record)
        raw_b64 = record.pop("raw_base64", None)
        doc = _validate(Document, record, where)
        try:
            raw = base64.b64decode(raw_b64, validate=True) if raw_b64 else doc.text.encode()
        except (ValueError, TypeError):
            raise VerifyError(f"{where}: raw_base64 is not valid base64") from None
        if hashlib.sha256(raw).hexdigest() != doc.id:
            raise VerifyError(f"{where}: its content does not match its sha256 id {doc.id}")
        text = doc.text.encode("utf-8", "surrogatepass")
        if hashlib.sha256(text).hexdigest() != doc.text_sha256:
            raise VerifyError(f"{where}: its text does not match its text_sha256")
        docs.append((doc, raw))
    return docs


def _read_evidence_files(
    store: Store, data: dict[str, Any], docs: list[tuple[Document, bytes]]
) -> tuple[list[Any], list[Any]]:
    """The file's web captures, checked, and the media records of its photos and videos,
    read from their bytes (the file's word is not taken for either); before the
    transaction, since decoding pictures is slow."""
    from verify.capture import interchange
    from verify.media import index as media_index

    in_file = {doc.id for doc, _ in docs}
    captures = interchange.read_records(
        data.get("captures"), lambda d: d in in_file or store.has_document(d)
    )
    return captures, media_index.read_all(raw for _, raw in docs)


def _tx_keep_evidence_files(store: Store, captures: list[Any], media: list[Any]) -> int:
    from verify.capture import interchange
    from verify.media import index as media_index

    if media_index.has_table(store.conn):
        for info in media:
            media_index.tx_put(store.conn, info)
    return interchange.tx_insert(store, captures)


def import_casebook(
    store: Store,
    data: dict[str, Any],
    progress: Callable[[int, int], None] | None = None,
    source: str = "portable casebook",
) -> dict[str, int]:
    """Load a portable document into `store` as one transaction; returns what was added.

    The file's history is kept as history, and the import itself is logged as one event, so
    `verify undo` takes back everything it added.
    """
    if data.get("version") != FORMAT_VERSION:
        raise VerifyError(
            f"portable casebook version {data.get('version')!r} is not supported "
            f"(this verify reads version {FORMAT_VERSION})"
        )
    for key in ("settings", "sources", "documents", "claims", "events"):
        if key not in data:
            raise VerifyError(f"portable casebook has no {key!r}")
        if key != "settings" and not isinstance(data[key], list):
            raise VerifyError(f"portable casebook: {key!r} is not a list")
    settings: Settings = _validate(Settings, data["settings"], "settings")
    sources = [_validate(Source, s, f"sources[{i}]") for i, s in enumerate(data["sources"])]
    docs = _read_documents(data["documents"])
    captures, media = _read_evidence_files(store, data, docs)
    claims = [_validate(Claim, c, f"claims[{i}]") for i, c in enumerate(data["claims"])]
    events = [_validate(Event, e, f"events[{i}]") for i, e in enumerate(data["events"])]
    empty = store.count_claims() == 0 and not store.sources()
    scale = {label.label for label in (settings if empty else store.settings()).scale}
    in_file = {doc.id for doc, _ in docs}
    seen: set[str] = set()
    for i, claim in enumerate(claims):
        if claim.id in seen:
            raise VerifyError(f"claim id {claim.id} appears twice in the file")
        seen.add(claim.id)
        if claim.verdict is not None and claim.verdict.label not in scale:
            raise VerifyError(
                f"claims[{i}] ({claim.id}): verdict {one_line(claim.verdict.label, 40)!r} is "
                "not on the casebook's rating scale"
            )
        for doc_id in sorted(_cited_documents(claim) - in_file):
            if not store.has_document(doc_id):
                raise VerifyError(
                    f"claims[{i}] ({claim.id}): cites document {doc_id[:12]}, which is neither "
                    "in the file nor in the casebook"
                )

    added = {"claims": 0, "sources": 0, "documents": 0, "skipped": 0}
    new_claims: list[Claim] = []
    new_sources: list[str] = []
    new_documents: list[str] = []
    texts = [c.text for c in store.unstored(claims)]  # re-imports encode nothing
    with match.prepared(texts, progress), store.transaction() as conn:
        if empty and store.count_claims() == 0 and not store.sources():
            store.tx_replace_settings(settings)
        for src in sources:
            row = conn.execute("SELECT body FROM sources WHERE id = ?", (src.id,)).fetchone()
            if row is None:
                store.tx_write_source_row(src)
                new_sources.append(src.id)
        for doc, raw in docs:
            if store.tx_insert_document(doc, raw, log=False):
                new_documents.append(doc.id)
        added["captures"] = _tx_keep_evidence_files(store, captures, media)
        for claim in claims:
            row = conn.execute("SELECT body FROM claims WHERE id = ?", (claim.id,)).fetchone()
            if row is not None:
                if Claim.model_validate_json(row[0]) == claim:
                    added["skipped"] += 1
                    continue
                raise VerifyError(
                    f"claim {claim.id} is already in the casebook with different content"
                )
            store.tx_write_claim_row(claim)
            new_claims.append(claim)
        if new_claims or new_sources or new_documents:
            for event in events:
                store.tx_log(
                    event.action,
                    event.target,
                    event.before,
                    event.after,
                    at=event.at,
                    actor=event.actor,
                    undone=event.undone,
                )
        if new_claims or new_sources or new_documents:
            importlog.tx_log(
                store,
                importlog.new_target(),
                source,
                claims=new_claims,
                sources=new_sources,
                documents=new_documents,
            )
    added.update(claims=len(new_claims), sources=len(new_sources), documents=len(new_documents))
    return added
