"""A picture as text: each cell a "▀" whose foreground is one pixel and background the pixel
under it, so any terminal with colour shows a preview (two pixels a cell).

Drawn here rather than with textual-image (which also speaks Kitty and Sixel graphics): that
package asks the terminal for its cell size and graphics support when it is imported, before
the app starts, which does not fit an app built by a factory and tested headless, and would
make the screen depend on the terminal it was first imported in."""

from __future__ import annotations

import numpy as np
from PIL import Image
from rich.color import Color
from rich.style import Style
from rich.text import Text


def half_blocks(img: Image.Image, columns: int, rows: int) -> Text:
    """The picture fitted into columns x rows cells, keeping its proportions (a cell is about
    twice as high as it is wide, hence two pixels a cell, one above the other)."""
    thumb = img.convert("RGB")
    thumb.thumbnail((max(1, columns), max(2, rows * 2)), Image.Resampling.LANCZOS)
    px = np.asarray(thumb)
    h, w = px.shape[:2]
    text = Text(no_wrap=True, overflow="crop")
    for y in range(0, h - 1, 2):
        for x in range(w):
            top, bottom = px[y, x], px[y + 1, x]
            colour = Color.from_rgb(int(top[0]), int(top[1]), int(top[2]))
            under = Color.from_rgb(int(bottom[0]), int(bottom[1]), int(bottom[2]))
            text.append("▀", Style(color=colour, bgcolor=under))
        if y + 2 < h - 1:
            text.append("\n")
    return text
