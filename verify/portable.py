"""The portable JSON interchange format: a whole casebook as one diffable document.

Export then import then export gives the same document apart from `exported`: claims keep
their ids and revisions, documents their bytes, and the history its events.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from verify import match
from verify.errors import VerifyError
from verify.models import (
    FORMAT_VERSION,
    Claim,
    Document,
    Event,
    Settings,
    Source,
)
from verify.store import Store

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
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": (exported or store.clock()).isoformat(),
        "settings": store.settings().model_dump(mode="json"),
        "sources": [s.model_dump(mode="json") for s in store.sources()],
        "documents": documents,
        "claims": [c.model_dump(mode="json") for c in store.iter_claims()],
        "events": [e.model_dump(mode="json", exclude={"seq"}) for e in store.events()],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def is_portable(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def _validate(model: type[Any], record: Any, where: str) -> Any:
    try:
        return model.model_validate_json(json.dumps(record))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise VerifyError(f"{where}: {loc + ': ' if loc else ''}{err['msg']}") from None


def import_casebook(
    store: Store, data: dict[str, Any], progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Load a portable document into `store` as one transaction; returns what was added."""
    if data.get("version") != FORMAT_VERSION:
        raise VerifyError(
            f"portable casebook version {data.get('version')!r} is not supported "
            f"(this verify reads version {FORMAT_VERSION})"
        )
    for key in ("settings", "sources", "documents", "claims", "events"):
        if key not in data:
            raise VerifyError(f"portable casebook has no {key!r}")
    settings: Settings = _validate(Settings, data["settings"], "settings")
    sources = [_validate(Source, s, f"sources[{i}]") for i, s in enumerate(data["sources"])]
    docs: list[tuple[Document, bytes]] = []
    for i, record in enumerate(data["documents"]):
        if not isinstance(record, dict):
            raise VerifyError(f"documents[{i}]: not an object")
        record = dict(record)
        raw_b64 = record.pop("raw_base64", None)
        doc = _validate(Document, record, f"documents[{i}]")
        try:
            raw = base64.b64decode(raw_b64, validate=True) if raw_b64 else doc.text.encode()
        except (ValueError, TypeError):
            raise VerifyError(f"documents[{i}]: raw_base64 is not valid base64") from None
        docs.append((doc, raw))
    claims = [_validate(Claim, c, f"claims[{i}]") for i, c in enumerate(data["claims"])]
    events = [_validate(Event, e, f"events[{i}]") for i, e in enumerate(data["events"])]
    seen: set[str] = set()
    for claim in claims:
        if claim.id in seen:
            raise VerifyError(f"claim id {claim.id} appears twice in the file")
        seen.add(claim.id)

    added = {"claims": 0, "sources": 0, "documents": 0, "skipped": 0}
    texts = [c.text for c in store.unstored(claims)]  # re-imports encode nothing
    with match.prepared(texts, progress), store.transaction() as conn:
        empty = store.count_claims() == 0 and not store.sources()
        if empty:
            store.tx_replace_settings(settings)
        for source in sources:
            row = conn.execute("SELECT body FROM sources WHERE id = ?", (source.id,)).fetchone()
            if row is None:
                store.tx_write_source_row(source)
                added["sources"] += 1
        for doc, raw in docs:
            if store.tx_insert_document(doc, raw, log=False):
                added["documents"] += 1
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
            added["claims"] += 1
        if added["claims"] or added["sources"] or added["documents"]:
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
    return added
