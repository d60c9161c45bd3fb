"""Reading a source with its capture: a URL is fetched and kept as WARC records, a WARC or
WACZ file becomes one document per HTML page in it, anything else is read as before."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from verify.capture import records
from verify.ingest import documents
from verify.ingest.documents import Archived

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")


def is_archive(src: str) -> bool:
    return not src.startswith(("http://", "https://")) and src.lower().endswith(ARCHIVE_SUFFIXES)


def read_url(
    url: str, retrieved: datetime, *, timeout: float | None = None, require_text: bool = True
) -> Archived:
    """Fetch `url`; the document comes with the WARC records of the fetch, dated `retrieved`."""
    from verify.ingest.fetch import TIMEOUT_S, fetch

    got = fetch(url, max_bytes=documents.MAX_BYTES, timeout=timeout or TIMEOUT_S)
    media = got.media_type + (f"; charset={got.charset}" if got.charset else "")
    archived = documents.archive(
        got.raw, got.url, media, retrieved=retrieved, require_text=require_text
    )
    archived.capture = records.from_fetch(got, retrieved, archived.document.id)
    return archived


def read_sources(src: str, retrieved: datetime, timeout: float | None = None) -> list[Archived]:
    """The documents one source on the command line gives (several for a web archive)."""
    if src.startswith(("http://", "https://")):
        return [read_url(src, retrieved, timeout=timeout)]
    if is_archive(src):
        from verify.capture import archives

        return archives.read(Path(src))
    raw, address, media = documents.read_source(src, timeout=timeout)
    return [documents.archive(raw, address, media, retrieved=retrieved)]
