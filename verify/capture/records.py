"""The WARC records of one capture: written with warcio for a fetch, read back for checks."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from verify.errors import VerifyError
from verify.ingest.fetch import Exchange, Fetched

SOFTWARE = "verify/0.1"


@dataclass(frozen=True)
class Capture:
    """One capture as the casebook keeps it: its WARC bytes and what a reader looks up."""

    id: str
    """sha256 of `warc`: the capture's identity."""
    url: str
    captured: datetime
    """WARC-Date of the response record: when the capture began."""
    response_record: str
    """WARC-Record-ID of the response whose payload the document was made from."""
    payload_digest: str
    """WARC-Payload-Digest as the record states it (`algorithm:base32`)."""
    payload_sha256: str
    """sha256 (hex) of the response payload as transferred, for anyone re-checking by hand."""
    document_id: str
    """The document whose raw bytes are the response's content."""
    origin: str
    """`fetched` by verify, or the archive file it was imported from."""
    warc: bytes
    """Gzipped WARC, one gzip member per record."""

    def meta(self) -> dict[str, Any]:
        """Everything but the WARC bytes, as stored in the record's JSON body."""
        return {
            "id": self.id,
            "url": self.url,
            "captured": self.captured.isoformat(),
            "response_record": self.response_record,
            "payload_digest": self.payload_digest,
            "payload_sha256": self.payload_sha256,
            "document_id": self.document_id,
            "origin": self.origin,
        }


class _Writer(WARCWriter):
    """warcio's writer, with sha256 digests instead of its default sha1."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def web_address(uri: str) -> bool:
    """Whether a WARC-Target-URI is a page a reader may be sent to: http or https, a host,
    and no control characters or spaces (a `javascript:` or `data:` "page" would run in the
    replaying browser)."""
    if any(ord(c) < 33 or 127 <= ord(c) < 160 for c in uri):
        return False
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def warc_date(at: datetime) -> str:
    return str(datetime_to_iso_date(at.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def parse_date(value: str) -> datetime:
    parsed: datetime = iso_date_to_datetime(value)
    return parsed.replace(tzinfo=UTC)


def _response_headers(ex: Exchange) -> list[tuple[str, str]]:
    """The response headers as received, except those the stored body no longer matches:
    urllib has undone the chunked transfer coding, so the body's length is what it is now.
    The originals stay, renamed the way web archives rename them."""
    out: list[tuple[str, str]] = []
    length = str(len(ex.body))
    for name, value in ex.headers:
        lower = name.lower()
        if lower == "transfer-encoding" or (lower == "content-length" and value != length):
            out.append((f"X-Archive-Orig-{name}", value))
        elif lower != "content-length":
            out.append((name, value))
    out.append(("Content-Length", length))
    return out


def _request_line(url: str) -> str:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"GET {target} HTTP/1.1"


def from_fetch(got: Fetched, at: datetime, document_id: str) -> Capture:
    """The records of a fetch: per hop a response and its request, then a metadata record
    saying when and by what the page was retrieved."""
    buf = io.BytesIO()
    writer = _Writer(buf, gzip=True, warc_version="1.1")
    date = warc_date(at)
    final = None
    for ex in got.exchanges or []:
        status = StatusAndHeaders(
            f"{ex.status} {ex.reason}".strip(), _response_headers(ex), protocol="HTTP/1.1"
        )
        response = writer.create_warc_record(
            ex.url,
            "response",
            payload=io.BytesIO(ex.body),
            length=len(ex.body),
            http_headers=status,
            warc_headers_dict={"WARC-Date": date},
        )
        rid = response.rec_headers.get_header("WARC-Record-ID")
        request = writer.create_warc_record(
            ex.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                _request_line(ex.url), ex.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": rid},
        )
        writer.write_record(response)
        writer.write_record(request)
        final = response
    if final is None:
        raise VerifyError(f"{got.url[:200]}: nothing was fetched to keep")
    rid = final.rec_headers.get_header("WARC-Record-ID")
    hops = [ex.url for ex in got.exchanges[:-1]]
    fields = f"software: {SOFTWARE}\r\nretrieved: {date}\r\n" + "".join(
        f"via: {url}\r\n" for url in hops
    )
    metadata = writer.create_warc_record(
        got.url,
        "metadata",
        payload=io.BytesIO(fields.encode("utf-8")),
        length=len(fields.encode("utf-8")),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": rid},
    )
    writer.write_record(metadata)
    warc = buf.getvalue()
    return Capture(
        id=hashlib.sha256(warc).hexdigest(),
        url=got.url,
        captured=parse_date(date),
        response_record=rid,
        payload_digest=final.rec_headers.get_header("WARC-Payload-Digest"),
        payload_sha256=hashlib.sha256(got.raw).hexdigest(),
        document_id=document_id,
        origin="fetched",
        warc=warc,
    )


def from_records(
    records: list[bytes], response_record: str, document_id: str, origin: str
) -> Capture:
    """A capture of records read from an archive made elsewhere, kept byte for byte
    (each gzipped on its own, so their digests and ids stay the originals)."""
    warc = b"".join(gzip.compress(r, mtime=0) for r in records)
    found = next((r for r in read(warc) if r.record_id == response_record), None)
    if found is None:
        raise VerifyError(f"record {response_record} is not among the records kept")
    return Capture(
        id=hashlib.sha256(warc).hexdigest(),
        url=found.uri,
        captured=parse_date(found.date),
        response_record=response_record,
        payload_digest=found.payload_digest,
        payload_sha256=found.payload_sha256,
        document_id=document_id,
        origin=origin,
        warc=warc,
    )


@dataclass(frozen=True)
class Record:
    """One WARC record, read back and re-hashed."""

    record_id: str
    type: str
    uri: str
    date: str
    payload_digest: str
    payload_sha256: str
    """sha256 of the payload as stored (after the HTTP headers)."""
    problems: tuple[str, ...]
    """Digests the record states that do not match its content."""
    status: str
    content_type: str
    offset: int
    length: int


def read(warc: bytes) -> Iterator[Record]:
    """Every record of a (gzipped or plain) WARC, with its stated digests re-checked."""
    stream = io.BytesIO(warc)
    try:
        it = ArchiveIterator(stream, check_digests=True)
        for rec in it:
            h = hashlib.sha256()
            payload = rec.raw_stream
            while chunk := payload.read(64 * 1024):
                h.update(chunk)
            rec_headers = rec.rec_headers
            offset = it.get_record_offset()
            it.read_to_end(rec)
            http = rec.http_headers
            problems = tuple(str(p) for p in (rec.digest_checker.problems or ()))
            yield Record(
                record_id=rec_headers.get_header("WARC-Record-ID") or "",
                type=rec.rec_type or "",
                uri=rec_headers.get_header("WARC-Target-URI") or "",
                date=rec_headers.get_header("WARC-Date") or "",
                payload_digest=rec_headers.get_header("WARC-Payload-Digest") or "",
                payload_sha256=h.hexdigest(),
                problems=problems,
                status=(http.get_statuscode() or "") if http is not None else "",
                content_type=(http.get_header("Content-Type") or "") if http is not None else "",
                offset=offset,
                length=it.get_record_length(),
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise VerifyError(f"not a readable WARC ({' '.join(str(exc).split())[:200]})") from None
    except Exception as exc:  # warcio's parsers raise their own kinds on hostile bytes
        raise VerifyError(f"not a readable WARC ({type(exc).__name__})") from None
