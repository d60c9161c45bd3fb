"""Photos made by the tests themselves: a few shapes on a gradient, with EXIF when asked."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational


def picture(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    rng = np.random.default_rng(seed)
    w, h = size
    ramp = np.linspace(0, 1, w)[None, :, None] * rng.random(3) + np.linspace(0, 1, h)[
        :, None, None
    ] * rng.random(3)
    img = Image.fromarray((np.clip(ramp / 2, 0, 1) * 255).astype("uint8"))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.05, 0.2) * w
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 255, 3))
        )
    return img


def jpeg(img: Image.Image, quality: int = 90, exif: Image.Exif | bytes | None = None) -> bytes:
    buf = io.BytesIO()
    if exif is None:
        img.convert("RGB").save(buf, "JPEG", quality=quality)
    else:
        img.convert("RGB").save(buf, "JPEG", quality=quality, exif=exif)
    return buf.getvalue()


def camera_exif(make: str = "Canon", model: str = "EOS 5D") -> Image.Exif:
    """Make, model, software, time taken and a position (48.8568 N, 2.2945 W)."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "Photo Editor 2.1"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:01:03 10:11:12"
    sub[0x9011] = "+03:00"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (IFDRational(48, 1), IFDRational(51, 1), IFDRational(2448, 100))
    gps[3] = "W"
    gps[4] = (IFDRational(2, 1), IFDRational(17, 1), IFDRational(4020, 100))
    return exif


def edited(img: Image.Image) -> bytes:
    """The recycled copy: half the size, a caption bar, recompressed hard."""
    half = img.resize((img.width // 2, img.height // 2))
    draw = ImageDraw.Draw(half)
    draw.rectangle((0, int(half.height * 0.87), half.width, half.height), fill="black")
    draw.text((5, int(half.height * 0.9)), "YESTERDAY'S STRIKE", fill="white")
    return jpeg(half, quality=30)
