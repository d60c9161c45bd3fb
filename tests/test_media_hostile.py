"""Whatever bytes arrive as a photo: metadata and hashes, or one VerifyError; never a crash."""

from __future__ import annotations

import contextlib
import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.media_kit import camera_exif, jpeg, picture
from verify.errors import VerifyError
from verify.media import image, probe

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""

MAGIC = [b"\xff\xd8\xff\xe1", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM"]


def _survives(raw: bytes) -> None:
    with contextlib.suppress(VerifyError):
        probe.probe(raw, "x.jpg")


@settings(deadline=None)  # decoding speed varies; speed lives in bench/
@given(st.sampled_from(MAGIC), st.binary(max_size=600))
def test_random_bytes_behind_a_picture_header(magic: bytes, rest: bytes) -> None:
    _survives(magic + rest)


_REAL = [jpeg(picture(1), exif=camera_exif())]


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=12))
def test_a_real_photo_with_bytes_flipped(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(_REAL[0])
    for at, value in flips:
        raw[at % len(raw)] = value
    _survives(bytes(raw))


def _tiff_header(width: int, height: int) -> bytes:
    # A TIFF that declares a huge picture in a few dozen bytes.
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (262, 3, 1, 1),
               (273, 4, 1, 8), (277, 3, 1, 1), (279, 4, 1, 1)]  # fmt: skip
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00\x00\x00\x00"


@pytest.mark.parametrize("size", [(200_000, 200_000), (60_000, 2_000)])
def test_declared_giants_are_refused_before_decoding(size: tuple[int, int]) -> None:
    with pytest.raises(VerifyError, match="megapixels"):
        probe.probe(_tiff_header(*size), "giant.tif")


def test_limit_sits_just_above_a_100_megapixel_photo() -> None:
    buf = io.BytesIO()
    Image.new("L", (10_001, 10_000)).save(buf, "PNG")
    with pytest.raises(VerifyError, match="decompression bomb"):
        probe.probe(buf.getvalue(), "big.png")
    assert image.MAX_PIXELS == 100_000_000


def test_formats_that_run_other_programs_are_not_decoded() -> None:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
    with pytest.raises(VerifyError):
        probe.probe(eps, "photo.jpg")
    assert probe.probe(eps, "drawing.eps") is None  # not a picture verify reads; kept as a file


@pytest.mark.parametrize(
    "lat, lon",
    [
        ((200, 1), (2, 1)),  # beyond the pole
        ((0, 0), (2, 1)),  # 0/0: NaN
        ((48, 1), (10**9, 1)),  # beyond the antimeridian many times over
    ],
)
def test_impossible_gps_is_left_out(lat: tuple[int, int], lon: tuple[int, int]) -> None:
    from PIL.TiffImagePlugin import IFDRational

    exif = camera_exif()
    gps = exif.get_ifd(0x8825)
    gps[2] = (IFDRational(*lat), IFDRational(0, 1), IFDRational(0, 1))
    gps[4] = (IFDRational(*lon), IFDRational(0, 1), IFDRational(0, 1))
    info = probe.probe(jpeg(picture(4), exif=exif), "x.jpg")
    assert info is not None and info.gps is None
    assert info.exif["make"] == "Canon"  # the rest of the metadata is kept


def test_exif_escapes_and_markup_print_as_plain_text(cli, casebook_path, tmp_path) -> None:
    exif = camera_exif(make="\x1b]52;c;ZXZpbA==\x07Canon\x1b[2J [red]RED[/red]", model="</x>")
    path = tmp_path / "x.jpg"
    path.write_bytes(jpeg(picture(4), exif=exif))
    from verify import actions
    from verify.models import utcnow
    from verify.store import Store

    with Store.open(casebook_path) as s:
        s.add_claim(actions.new_claim("A claim", at=utcnow()))
    r = cli("--casebook", str(casebook_path), "media", str(path))
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x07" not in r.out
    assert "exif make: Canon [red]RED[/red]" in r.out and "exif model: </x>" in r.out
