"""One entry point: bytes in, MediaInfo out (or one clear VerifyError)."""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile

from verify.errors import VerifyError
from verify.media import image, phash, sniff, video
from verify.media.info import Gps, MediaInfo

HEIF = "HEIF/HEIC photo: metadata and hashes not read (export it as JPEG to compare it)"


POLYGLOT = "the file is also a zip archive: other data follows the picture"


def probe(raw: bytes, name: str) -> MediaInfo | None:
    """Metadata and hashes of a photo or video; None for other files (a PDF, a text).

    A file whose name claims a picture or video but whose bytes are not one is refused, as
    is a picture that is damaged, malformed or too large to decode safely.
    """
    kind = sniff.media_type(raw)
    if kind is None or sniff.camera_raw(name):
        claimed = sniff.claimed_type(name)
        if claimed:
            raise VerifyError(
                f"{name}: named like {claimed} but its content is not a photo or video"
            )
        return None
    sha = hashlib.sha256(raw).hexdigest()
    if kind.startswith("video/"):
        return _video(raw, name, sha, kind)
    if kind == "image/heif":
        # Kept as evidence by its sha256; Pillow has no HEIF decoder of its own.
        return MediaInfo(sha256=sha, media_type=kind, notes=[HEIF])
    with warnings.catch_warnings():
        # Pillow warns about corrupt metadata on stderr; metadata() reports it as a note.
        warnings.simplefilter("ignore", UserWarning)
        img, (width, height) = image.open_image(raw, name)
        try:
            fields, gps, malformed = image.metadata(img)
            hashes = image.hashes(img, name)
        finally:
            img.close()
    hexes = [phash.to_hex(h) for h in hashes]
    if malformed:
        notes = ["EXIF metadata present but malformed: what could not be read is left out"]
    elif not fields:
        notes = ["no EXIF metadata (often stripped when a photo is re-posted)"]
    else:
        notes = []
    if zipfile.is_zipfile(io.BytesIO(raw)):
        # A polyglot: what a zip reader sees in this file is not the picture shown.
        notes.append(POLYGLOT)
    return MediaInfo(
        sha256=sha,
        media_type=kind,
        width=width,
        height=height,
        phash=hexes[0],
        hashes=hexes,
        exif=fields,
        gps=Gps(**gps) if gps else None,
        taken=image.taken(fields),
        notes=notes,
    )


def _video(raw: bytes, name: str, sha: str, kind: str) -> MediaInfo:
    try:
        container, hashes, (width, height) = video.probe(raw, name)
    except LookupError as missing:
        return MediaInfo(sha256=sha, media_type=kind, notes=[str(missing)])
    hexes = [phash.to_hex(h) for h in hashes]
    return MediaInfo(
        sha256=sha,
        media_type=kind,
        width=width,
        height=height,
        phash=hexes[0],
        hashes=hexes,
        video=container,
    )
