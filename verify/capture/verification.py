"""Re-checking every stored capture: its row, its WARC bytes, each record's own digests, and
that the document made from it is still the response's content."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator

from verify import digests, rowscan
from verify.capture import records, table
from verify.errors import VerifyError
from verify.ingest import documents


def problems(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(where, what) for each capture that is not what verify stored; nothing when all hold."""
    if not table.has_table(conn):
        return
    yield from rowscan.checked_rows(
        conn,
        "captures",
        "id, document_id, url, captured, response_record, body, warc, digest",
        "capture",
        lambda where, row: _check(conn, where, row),
    )


def _check(
    conn: sqlite3.Connection, where: str, row: tuple[object, ...]
) -> Iterator[tuple[str, str]]:
    cid, document_id, url, captured, response_record, body, warc, digest = row
    if not isinstance(body, str) or digest != digests.record("captures", str(cid), body):
        yield where, "record does not match its digest (changed outside verify)"
        return
    meta = json.loads(body)
    if [document_id, url, captured, response_record] != [
        meta.get(k) for k in ("document_id", "url", "captured", "response_record")
    ]:
        yield where, "summary columns disagree with the record"
    yield from warc_problems(where, str(cid), warc, str(response_record), meta)
    if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone():
        yield where, f"document {str(document_id)[:12]} is missing"


def warc_problems(
    where: str, cid: str, warc: object, response_record: str, meta: dict[str, object]
) -> Iterator[tuple[str, str]]:
    """What is wrong with one capture's WARC: its sha256 id, each record's own digests, the
    response record, its payload and that its content is the document's bytes."""
    if not isinstance(warc, bytes) or hashlib.sha256(warc).hexdigest() != cid:
        yield where, "WARC bytes do not match their sha256"
        if not isinstance(warc, bytes):
            return
    try:
        found = list(records.read(warc))
    except VerifyError as exc:
        yield where, f"WARC cannot be read: {exc}"
        return
    for rec in found:
        for problem in rec.problems:
            yield f"{where} record {rec.record_id}", f"{problem} (changed outside verify)"
    response = next((r for r in found if r.record_id == response_record), None)
    if response is None:
        yield where, f"response record {response_record} is missing from the WARC"
        return
    if response.payload_sha256 != meta.get("payload_sha256"):
        yield f"{where} record {response_record}", "payload does not match its sha256"
    document_id = str(meta.get("document_id"))
    content = _content(warc, response_record)
    if content is None or hashlib.sha256(content).hexdigest() != document_id:
        yield (
            f"{where} record {response_record}",
            f"response content is not the bytes of document {document_id[:12]}",
        )


def _content(warc: bytes, record_id: str) -> bytes | None:
    """The response's content as the document was made from it (transfer and content
    codings undone), bounded like any page."""
    for rec in ArchiveIterator(io.BytesIO(warc)):
        if rec.rec_headers.get_header("WARC-Record-ID") == record_id:
            data: bytes = rec.content_stream().read(documents.MAX_BYTES + 1)
            return data
    return None
