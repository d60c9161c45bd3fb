"""Archiving a source: raw bytes kept as they came, text extracted, sha256 as identity."""

from __future__ import annotations

import hashlib
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


def read_source(src: str, *, max_bytes: int = MAX_BYTES) -> tuple[bytes, str, str]:
    """(raw bytes, address, media type guess) for a file path, '-' or an http(s) URL."""
    if src.startswith(("http://", "https://")):
        from verify.ingest.fetch import fetch

        got = fetch(src, max_bytes=max_bytes)
        return got.raw, got.url, got.media_type
    raw, _ = read_input(src, max_bytes)
    address = "stdin" if src == "-" else Path(src).name
    suffix = Path(address).suffix.lower()
    media = {".html": "text/html", ".htm": "text/html", ".md": "text/markdown"}.get(
        suffix, "text/plain"
    )
    return raw, address, media


def _looks_html(raw: bytes, media_type: str) -> bool:
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    head = raw[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _decode(raw: bytes, name: str, warnings: list[str]) -> str:
    if b"\x00" in raw:
        raise VerifyError(f"{name} contains NUL bytes: a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        warnings.append(
            f"{name} is not valid UTF-8 (first bad byte at {exc.start}); "
            "undecodable bytes were replaced with U+FFFD"
        )
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
    if not raw.strip():
        raise VerifyError(f"{name} is empty")
    title = publisher = ""
    published = None
    if _looks_html(raw, media_type):
        text, title, publisher, published = _from_html(raw, name, warnings)
        media_type = "text/html"
    elif media_type.startswith("text/") or media_type in ("application/json",):
        text = _decode(raw, name, warnings)
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


def _from_html(raw: bytes, name: str, warnings: list[str]) -> tuple[str, str, str, datetime | None]:
    import trafilatura

    html = _decode(raw, name, warnings)
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
