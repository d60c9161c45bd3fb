"""Captures packaged as WACZ 1.1.1 (Webrecorder's Web Archive Collection Zipped): the WARC
records, a CDXJ index, a pages list and a datapackage.json carrying each file's sha256, so
ReplayWeb.page replays the pages and anyone can re-check every byte."""

from __future__ import annotations

import contextlib
import hashlib
import io
import ipaddress
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from warcio.warcwriter import WARCWriter

from verify.capture import records, table
from verify.capture.records import Capture
from verify.errors import VerifyError
from verify.store import Store

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"


def surt(url: str) -> str:
    """The Sort-friendly URI Reordering Transform key CDXJ indexes sort by."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        key = host
    except ValueError:
        labels = host.split(".")
        if labels and labels[0] == "www":
            labels = labels[1:]
        key = ",".join(reversed(labels))
    if parts.port and parts.port not in (80, 443):
        key += f":{parts.port}"
    path = parts.path or "/"
    return f"{key}){path.lower()}" + (f"?{parts.query}" if parts.query else "")


def _timestamp(date: str) -> str:
    return records.parse_date(date).strftime("%Y%m%d%H%M%S")


def _warcinfo(created: datetime, title: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    info = {"software": records.SOFTWARE, "format": "WARC File Format 1.1", "title": title}
    record = writer.create_warcinfo_record(WARC_NAME, info)
    record.rec_headers.replace_header("WARC-Date", records.warc_date(created))
    writer.write_record(record)
    return buf.getvalue()


def build(
    captures: Sequence[Capture], *, created: datetime, title: str, titles: dict[str, str]
) -> bytes:
    """The WACZ file for these captures (oldest first); `titles` maps a document id to the
    title its page list entry shows."""
    warc = bytearray(_warcinfo(created, title))
    index: list[str] = []
    pages: list[dict[str, str]] = []
    for capture in captures:
        start = len(warc)
        for rec in records.read(capture.warc):
            if rec.type not in ("response", "resource", "revisit"):
                continue
            entry = {
                "url": rec.uri,
                "digest": rec.payload_digest,
                "mime": rec.content_type.split(";")[0].strip() or "-",
                "status": rec.status or "200",
                "offset": str(start + rec.offset),
                "length": str(rec.length),
                "filename": WARC_NAME,
                "recordId": rec.record_id,
            }
            index.append(f"{surt(rec.uri)} {_timestamp(rec.date)} {json.dumps(entry)}")
        warc += capture.warc
        pages.append(
            {
                "id": capture.response_record.strip("<>").rsplit(":", 1)[-1],
                "url": capture.url,
                "ts": capture.captured.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "title": titles.get(capture.document_id, ""),
            }
        )
    header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    files = {
        f"archive/{WARC_NAME}": bytes(warc),
        "indexes/index.cdxj": "".join(line + "\n" for line in sorted(index)).encode(),
        "pages/pages.jsonl": "".join(
            json.dumps(p, ensure_ascii=False) + "\n" for p in [header, *pages]
        ).encode(),
    }
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "created": created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "software": records.SOFTWARE,
        "resources": [
            {
                "name": path.rsplit("/", 1)[-1].replace(".", "-"),
                "path": path,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for path, data in files.items()
        ],
    }
    if pages:
        package["mainPageURL"] = pages[0]["url"]
        package["mainPageDate"] = pages[0]["ts"]
    files["datapackage.json"] = json.dumps(package, indent=2, ensure_ascii=False).encode()
    digest = {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(files["datapackage.json"]).hexdigest(),
    }
    files["datapackage-digest.json"] = json.dumps(digest, indent=2).encode()
    out = io.BytesIO()
    stamp = created.astimezone(UTC).timetuple()[:6]
    # Stored, not deflated: replay reads WARC records straight out of the zip by offset.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for path, data in files.items():
            zf.writestr(zipfile.ZipInfo(path, date_time=stamp), data)
    return out.getvalue()


def export(store: Store, claim_id: str | None = None) -> bytes:
    """The WACZ of every capture in the casebook, or of those one claim cites."""
    if claim_id:
        claim = store.get_claim(claim_id)
        captures = table.for_documents(store.conn, table.cited_documents(claim))
        if not captures:
            raise VerifyError(f"claim {claim_id} cites no web capture")
        title = f"Web captures cited by claim {claim_id}"
    else:
        captures = table.all_captures(store.conn)
        if not captures:
            raise VerifyError("the casebook holds no web capture")
        title = f"Web captures of {store.settings().name}"
    titles = {}
    for capture in captures:
        with contextlib.suppress(VerifyError):
            titles[capture.document_id] = store.get_document(capture.document_id).title
    return build(captures, created=store.clock(), title=title, titles=titles)
