"""Reading a photo that may be hostile: size limits, a short list of decoders, EXIF and GPS."""

from __future__ import annotations

import io
import struct
import warnings
from datetime import datetime
from typing import Any

from PIL import Image, ImageOps, TiffImagePlugin

from verify.errors import VerifyError
from verify.media import phash

MAX_PIXELS = 100_000_000
"""Largest picture decoded (width x height): a 100-megapixel photo; anything larger is
refused as a possible decompression bomb (a small file that expands to gigabytes)."""

FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")
"""Decoders tried. Pillow knows more (EPS even runs Ghostscript); a photo is one of these."""

WORK_SIDE = 1024
"""Pictures are hashed from a copy at most this wide or high: a 50-megapixel JPEG decodes
at 1/8 scale straight away, so memory stays small."""

_BASE_TAGS = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "datetime"}
_EXIF_TAGS = {
    0x9003: "datetime_original",
    0x9004: "datetime_digitized",
    0x9011: "offset_time_original",
    0xA434: "lens_model",
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_MAX_TEXT = 200

DAMAGE = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    OverflowError,
)
"""What Pillow raises on damaged or hostile bytes (truncated data, loops, bad offsets)."""


def open_image(raw: bytes, name: str) -> tuple[Image.Image, tuple[int, int]]:
    """(the decoded picture, perhaps reduced towards WORK_SIDE; its full width and height),
    or a VerifyError."""
    # Pillow's own check reads this (its default, 89 megapixels, would refuse a 95-megapixel
    # photo through the warning turned into an error below); it is the only way to set it.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that: refuse those as well.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw), formats=FORMATS)
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            size = img.size
            img.draft("RGB", (WORK_SIDE, WORK_SIDE))
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise VerifyError(
            f"{name}: refused, larger than {MAX_PIXELS // 1_000_000} megapixels "
            "(possible decompression bomb)"
        ) from None
    except Image.UnidentifiedImageError:
        raise VerifyError(f"{name}: not a picture verify can read ({', '.join(FORMATS)})") from None
    except DAMAGE as exc:
        raise VerifyError(f"{name}: damaged or truncated picture ({_why(exc)})") from None
    return img, size


def oriented_grey(img: Image.Image, name: str) -> Image.Image:
    """Greyscale, upright as the EXIF orientation says, at most WORK_SIDE on a side."""
    try:
        upright = ImageOps.exif_transpose(img) or img
        grey = upright.convert("L")
    except DAMAGE as exc:
        raise VerifyError(f"{name}: damaged picture ({_why(exc)})") from None
    grey.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    return grey


def hashes(img: Image.Image, name: str) -> list[int]:
    return phash.variants(oriented_grey(img, name))


def metadata(img: Image.Image) -> tuple[dict[str, str], dict[str, float] | None, bool]:
    """(EXIF fields as text, GPS in decimal degrees or None, whether the EXIF was malformed).

    Malformed EXIF costs the metadata, not the photo: the pixels are still evidence.
    """
    fields: dict[str, str] = {}
    gps = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # Pillow warns on corrupt EXIF; keep it off stderr
        try:
            exif = img.getexif()
            for tag, key in _BASE_TAGS.items():
                _put(fields, key, exif.get(tag))
            sub = exif.get_ifd(_EXIF_IFD)
            for tag, key in _EXIF_TAGS.items():
                _put(fields, key, sub.get(tag))
            gps = _gps(exif.get_ifd(_GPS_IFD))
        except DAMAGE:
            return fields, None, True
    present = bool(img.info.get("exif"))
    return fields, gps, bool(caught) or (present and not fields and gps is None)


def taken(fields: dict[str, str]) -> str | None:
    """When the photo says it was taken, as ISO 8601 (with its offset when it gives one)."""
    stamp = fields.get("datetime_original") or fields.get("datetime")
    if not stamp:
        return None
    try:
        when = datetime.strptime(stamp.strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # "0000:00:00 00:00:00" and other placeholders cameras write
    offset = fields.get("offset_time_original", "")
    if offset:
        try:
            return datetime.fromisoformat(when.isoformat() + offset.strip()).isoformat()
        except ValueError:
            pass
    return when.isoformat()


def _put(fields: dict[str, str], key: str, value: Any) -> None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        text = value.replace("\x00", "").strip()[:_MAX_TEXT]
        if text:
            fields[key] = text


def _gps(ifd: Any) -> dict[str, float] | None:
    lat = _degrees(ifd.get(2), ifd.get(1), "S")
    lon = _degrees(ifd.get(4), ifd.get(3), "W")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"lat": round(lat, 7), "lon": round(lon, 7)}


def _degrees(dms: Any, ref: Any, negative: str) -> float | None:
    """Degrees, minutes, seconds (EXIF rationals) as signed decimal degrees."""
    if not isinstance(dms, tuple) or len(dms) != 3:
        return None
    try:
        parts = [float(_rational(v)) for v in dms]
    except (ZeroDivisionError, TypeError, ValueError):
        return None  # 0/0 rationals: cameras without a fix write them
    if any(p != p or p < 0 for p in parts):  # NaN or negative: not a position
        return None
    value = parts[0] + parts[1] / 60 + parts[2] / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -value if isinstance(ref, str) and ref.strip().upper() == negative else value


def _rational(v: Any) -> float:
    if isinstance(v, TiffImagePlugin.IFDRational):
        if v.denominator == 0:
            raise ZeroDivisionError
        return float(v.numerator) / float(v.denominator)
    return float(v)


def _why(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
