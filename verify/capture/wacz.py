"""Captures packaged as WACZ 1.1.1 (Webrecorder's Web Archive Collection Zipped): the WARC
records, a CDXJ index, a pages list and a datapackage.json carrying each file's sha256, so
ReplayWeb.page replays the pages and anyone can re-check every byte."""

from __future__ import annotations

import contextlib
import hashlib
import io
import ipaddress
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO
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


CHUNK = 1 << 20
"""Bytes copied at a time: what the export holds in memory, however many captures."""


def build(
    captures: Iterable[Capture],
    out: IO[bytes],
    *,
    created: datetime,
    title: str,
    titles: dict[str, str],
) -> None:
    """Write the WACZ file for these captures (oldest first) to `out`; `titles` maps a
    document id to the title its page list entry shows. One capture's WARC is in memory at
    a time: the WARC is gathered in a temporary file, then copied into the zip."""
    index: list[str] = []
    pages: list[dict[str, str]] = []
    with tempfile.TemporaryFile() as warc:
        warc_hash = hashlib.sha256()

        def add(data: bytes) -> None:
            warc.write(data)
            warc_hash.update(data)

        add(_warcinfo(created, title))
        for capture in captures:
            start = warc.tell()
            for rec in records.read(capture.warc):
                if rec.type not in ("response", "resource", "revisit"):
                    continue
                if not records.web_address(rec.uri):
                    continue  # kept in the WARC, never offered to a replaying browser
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
            add(capture.warc)
            if not records.web_address(capture.url):
                continue
            pages.append(
                {
                    "id": capture.response_record.strip("<>").rsplit(":", 1)[-1],
                    "url": capture.url,
                    "ts": capture.captured.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                    "title": titles.get(capture.document_id, ""),
                }
            )
        warc_size = warc.tell()
        header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
        files = {
            "indexes/index.cdxj": "".join(line + "\n" for line in sorted(index)).encode(),
            "pages/pages.jsonl": "".join(
                json.dumps(p, ensure_ascii=False) + "\n" for p in [header, *pages]
            ).encode(),
        }
        resources = [
            {
                "name": WARC_NAME.replace(".", "-"),
                "path": f"archive/{WARC_NAME}",
                "hash": "sha256:" + warc_hash.hexdigest(),
                "bytes": warc_size,
            }
        ]
        resources += [
            {
                "name": path.rsplit("/", 1)[-1].replace(".", "-"),
                "path": path,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for path, data in files.items()
        ]
        package: dict[str, object] = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "created": created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "software": records.SOFTWARE,
            "resources": resources,
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
        stamp = created.astimezone(UTC).timetuple()[:6]
        # Stored, not deflated: replay reads WARC records straight out of the zip by offset.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
            info = zipfile.ZipInfo(f"archive/{WARC_NAME}", date_time=stamp)
            with zf.open(info, "w", force_zip64=warc_size >= zipfile.ZIP64_LIMIT) as member:
                warc.seek(0)
                while chunk := warc.read(CHUNK):
                    member.write(chunk)
            for path, data in files.items():
                zf.writestr(zipfile.ZipInfo(path, date_time=stamp), data)


def export(store: Store, claim_id: str | None = None) -> Iterator[bytes]:
    """The WACZ of every capture in the casebook, or of those one claim cites, as chunks
    read back from a temporary file (built before the first chunk, so a failure writes
    nothing)."""
    conn = store.conn
    if claim_id:
        claim = store.get_claim(claim_id)
        ids = table.ids_for_documents(conn, table.cited_documents(claim))
        if not ids:
            raise VerifyError(f"claim {claim_id} cites no web capture")
        title = f"Web captures cited by claim {claim_id}"
    else:
        ids = table.all_ids(conn)
        if not ids:
            raise VerifyError("the casebook holds no web capture")
        title = f"Web captures of {store.settings().name}"
    titles = {}
    for doc_id in dict.fromkeys(d for _, d in ids):
        with contextlib.suppress(VerifyError):
            titles[doc_id] = store.get_document(doc_id).title
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the chunks it is read as
    try:
        captures = (table.load(conn, cid) for cid, _ in ids)
        build(captures, out, created=store.clock(), title=title, titles=titles)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return _chunks(out)


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk
