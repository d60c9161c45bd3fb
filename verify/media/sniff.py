"""What a file is, from its first bytes: a name's extension is whatever its sender chose."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

_IMAGES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)

_FTYP_VIDEO = {
    b"qt  ": "video/quicktime",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3g2a": "video/3gpp2",
}
_FTYP_IMAGE = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}


def media_type(raw: bytes) -> str | None:
    """The image or video type the bytes are, or None when they are neither."""
    head = raw[:64]
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        # Matroska and WebM share the EBML header; its doctype says which.
        return "video/webm" if b"webm" in raw[:64] else "video/x-matroska"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_IMAGE:
            return "image/heif"
        return _FTYP_VIDEO.get(brand, "video/mp4")
    return None


_READ = {
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp",
    ".heic", ".heif", ".avif", ".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".3gp",
}  # fmt: skip
"""Extensions of the kinds verify reads: a file named so must be one (an SVG or a PDF need not)."""

_CAMERA_RAW = {".cr2", ".cr3", ".nef", ".nrw", ".arw", ".dng", ".orf", ".rw2", ".raf", ".pef"}
"""Camera raw files start like a TIFF but are not pictures Pillow decodes: kept as files."""


def claimed_type(name: str) -> str | None:
    """The photo or video type a file name claims by its extension, if verify reads that kind."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in _READ:
        return None
    return mimetypes.guess_type(name)[0] or suffix[1:]


def camera_raw(name: str) -> bool:
    return PurePath(name).suffix.lower() in _CAMERA_RAW


def is_media(raw: bytes) -> bool:
    return media_type(raw) is not None
