"""A DCT perceptual hash (pHash) in NumPy, with crop-tolerant variants.

The hash keeps the signs of the lowest 8x8 frequencies of a 32x32 grey thumbnail against
their median: resizing, recompression and small overlays move few of them. A crop shifts
everything, so each picture also gets hashes of windows over 90% of it (its centre and its
four corners): a copy cropped by up to about 10% lands near one of them, whichever of the
two pictures is the cropped one. A caption bar covers a strip at the top or bottom, so two
more windows leave out the top or bottom fifth, compared window to window.
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image

SIZE = 32
"""Side of the grey thumbnail the transform runs on."""
LOW = 8
"""Side of the block of low frequencies kept: 64 bits."""
WINDOW = 0.9
"""Fraction of the width and height each window keeps."""
PLACES = ((0.5, 0.5), (0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
"""Where the windows sit (0 left/top, 1 right/bottom): centre, then the four corners."""
STRIP = 0.8
"""Height kept by the two full-width windows that leave out a caption bar."""


@functools.cache
def _dct_matrix(n: int) -> np.ndarray:
    # Orthonormal DCT-II as a matrix: the 2-D transform is then two small products.
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    m[0] /= np.sqrt(2.0)
    return m


def phash(grey: Image.Image) -> int:
    """The 64-bit pHash of a greyscale ("L") image."""
    small = grey.resize((SIZE, SIZE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    pixels = np.asarray(small, dtype=np.float64)
    d = _dct_matrix(SIZE)
    low = (d @ pixels @ d.T)[:LOW, :LOW].ravel()
    bits = low > np.median(low)
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def variants(grey: Image.Image) -> list[int]:
    """The hash of the whole picture first, then of its windows (see PLACES)."""
    w, h = grey.size
    cw, ch = max(1, round(w * WINDOW)), max(1, round(h * WINDOW))
    out = [phash(grey)]
    for px, py in PLACES:
        left, top = round((w - cw) * px), round((h - ch) * py)
        out.append(phash(grey.crop((left, top, left + cw, top + ch))))
    sh = max(1, round(h * STRIP))
    out.append(phash(grey.crop((0, 0, w, sh))))
    out.append(phash(grey.crop((0, h - sh, w, h))))
    return out


def to_hex(value: int) -> str:
    return f"{value:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)


def distance(a: int, b: int) -> int:
    """Bits that differ (Hamming distance), 0..64."""
    return (a ^ b).bit_count()


def closest(a: list[int], b: list[int]) -> int:
    """Distance between two pictures, each given as [whole, *windows]: either may be a crop
    of the other, so one's whole picture is compared with every hash of the other; or one may
    carry an overlay, so each window is compared with the same window of the other."""
    if not a or not b:
        return 64
    crop = min(min(distance(a[0], y) for y in b), min(distance(x, b[0]) for x in a))
    overlay = min((distance(x, y) for x, y in zip(a[1:], b[1:], strict=False)), default=64)
    return min(crop, overlay)


def compare(a: list[int], a_video: bool, b: list[int], b_video: bool) -> int:
    """Distance between two photos or videos. A video's hashes are its keyframes: each is
    compared with the other's keyframes, or with the whole of a photo (a still taken from
    a clip); two photos go through `closest`."""
    if not a_video and not b_video:
        return closest(a, b)
    frames_a, frames_b = (a if a_video else a[:1]), (b if b_video else b[:1])
    return min((distance(x, y) for x in frames_a for y in frames_b), default=64)
