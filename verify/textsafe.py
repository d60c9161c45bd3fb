"""Untrusted text made safe to show: no terminal control codes, no bidi overrides."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a one-byte CSI), and the
# bidirectional overrides and isolates that can make text read differently than it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text without escape sequences and control characters (newlines and tabs are kept)."""
    return _UNSAFE.sub("", _ANSI.sub("", text))


def inert(text: str) -> str:
    """Text for a terminal that must keep every character (JSON, reports on stdout): control
    and bidi characters shown as visible \\uXXXX escapes instead of acting on the terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def one_line(text: str, width: int | None = None) -> str:
    """Cleaned text on one line, cut to `width` characters with an ellipsis."""
    flat = _SPACE.sub(" ", clean(text)).strip()
    if width is not None and len(flat) > width:
        return flat[: max(0, width - 1)] + "…"
    return flat


def json_line(obj: Any) -> str:
    """One JSON object on one line; control and bidi characters escaped so a terminal is safe."""
    return inert(json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")))
