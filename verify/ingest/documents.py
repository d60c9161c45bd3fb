"""Archiving a source: raw bytes kept as they came, text extracted, sha256 as identity."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from verify.errors import VerifyError
from verify.inputs import read_input
from verify.models import Document

MAX_BYTES = 20 * 1024 * 1024
"""Larger inputs are refused: no news text is that long, and it keeps memory bounded."""


@dataclass
class Archived:
    document: Document
    raw: bytes
    warnings: list[str] = field(default_factory=list)
    capture: object | None = None
    """The WARC records the bytes came in (verify.capture), kept with the document."""


def read_source(
    src: str, *, max_bytes: int = MAX_BYTES, timeout: float | None = None
) -> tuple[bytes, str, str]:
    """(raw bytes, address, media type guess) for a file path, '-' or an http(s) URL.

    A server's declared charset travels as a media type parameter ("text/html; charset=...")."""
    if src.startswith(("http://", "https://")):
        from verify.ingest.fetch import TIMEOUT_S, fetch

        got = fetch(src, max_bytes=max_bytes, timeout=timeout or TIMEOUT_S)
        media = got.media_type + (f"; charset={got.charset}" if got.charset else "")
        return got.raw, got.url, media
    raw, _ = read_input(src, max_bytes)
    address = "stdin" if src == "-" else Path(src).name
    suffix = Path(address).suffix.lower()
    media = {".html": "text/html", ".htm": "text/html", ".md": "text/markdown"}.get(
        suffix, "text/plain"
    )
    return raw, address, media


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I
)


def _split_media(media_type: str) -> tuple[str, str | None]:
    """("text/html", "windows-1251") from "text/html; charset=windows-1251"."""
    base, _, params = media_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return base.strip().lower(), charset


def _encoding(raw: bytes, declared: str | None, html: bool) -> str | None:
    """The encoding to read these bytes with: a BOM first, then what the server declared,
    then an HTML page's own <meta charset>; None means UTF-8 with a warning if it is not."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    candidates: list[str | None] = [declared]
    if html:
        meta = _META_CHARSET.search(raw[:4096])
        candidates.append(meta.group(1).decode("ascii") if meta else None)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return None


def _looks_html(raw: bytes, media_type: str) -> bool:
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    head = raw[:2048].lstrip().lower().replace(b"\x00", b"")
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _decode(
    raw: bytes, name: str, warnings: list[str], charset: str | None = None, html: bool = False
) -> str:
    encoding = _encoding(raw, charset, html)
    if encoding is None and b"\x00" in raw:
        raise VerifyError(f"{name} contains NUL bytes: a binary file, not text")
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode(encoding or "utf-8", errors="replace")
        warnings.append(
            f"{name} is not valid {encoding or 'UTF-8'} (first bad byte at {exc.start}); "
            "undecodable bytes were replaced with U+FFFD"
        )
    if "\x00" in text:
        raise VerifyError(f"{name} contains NUL characters: a binary file, not text")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise VerifyError(f"{name} looks like a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def archive(
    raw: bytes, address: str, media_type: str, *, retrieved: datetime, require_text: bool = True
) -> Archived:
    """A Document for these bytes, with its text extracted (HTML through trafilatura)."""
    name = address or "input"
    warnings: list[str] = []
    media_type, charset = _split_media(media_type)
    if not raw.strip():
        raise VerifyError(f"{name} is empty")
    title = publisher = ""
    published = None
    if _looks_html(raw, media_type):
        text, title, publisher, published = _from_html(raw, name, warnings, charset)
        media_type = "text/html"
    elif media_type.startswith("text/") or media_type in ("application/json",):
        text = _decode(raw, name, warnings, charset)
    elif require_text:
        raise VerifyError(f"{name} is {media_type}, not text or HTML")
    else:
        text = ""
    if require_text and not text.strip():
        raise VerifyError(f"{name} has no text to work with")
    doc = Document(
        id=hashlib.sha256(raw).hexdigest(),
        address=address,
        title=title,
        publisher=publisher,
        published=published,
        retrieved=retrieved,
        media_type=media_type,
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    return Archived(doc, raw, warnings)


def _from_html(
    raw: bytes, name: str, warnings: list[str], charset: str | None = None
) -> tuple[str, str, str, datetime | None]:
    import trafilatura

    html = _decode(raw, name, warnings, charset, html=True)
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_precision=True
    )
    if extracted is None:
        raise VerifyError(f"{name}: no article text found in the HTML")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = (data.get("text") or "").strip()
    if not text:
        raise VerifyError(f"{name}: no article text found in the HTML")
    published = None
    if data.get("date"):
        try:
            published = datetime.fromisoformat(str(data["date"])).astimezone()
        except ValueError:
            published = None
    return text + "\n", str(data.get("title") or ""), str(data.get("sitename") or ""), published
