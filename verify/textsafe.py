"""Untrusted text made safe to show: no terminal control codes, no bidi overrides.

Text is cleaned twice: once when it enters (the `Text`, `Line` and `Data` field types of
verify.models validate with `entering_text`, `entering_line` and `clean_data`, so every route
in, whether an import, an ingest, a setting or an edit, goes through the same validator), and
again at every output, for casebooks written before.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a one-byte CSI), and the
# bidirectional overrides and isolates that can make text read differently than it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Whole sequences go, not just their introducer, so "ESC]0;title BEL" leaves no "0;title"
# behind; an 8-bit OSC (U+009D ... U+009C) only when terminated, as a lone U+009D is more
# often mis-decoded text than an attack, and the rest of that text must stay.
_ANSI = re.compile(
    r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])"
    r"|\x9d[^\x07\x1b\x9c]*(\x07|\x9c)"
)
_SPACE = re.compile(r"\s+")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SUSPECT = re.compile(_UNSAFE.pattern[:-1] + "\ud800-\udfff]")


def clean(text: str) -> str:
    """Text without escape sequences and control characters (newlines and tabs are kept;
    a carriage return, alone or before a newline, is a line break)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", _ANSI.sub("", text))


def clean_line(text: str) -> str:
    """Cleaned text for a field that is one line (a name, a label): line breaks and tabs
    become spaces, so a name cannot fake a second line of output."""
    text = clean(text)
    return _BREAKS.sub(" ", text) if _BREAKS.search(text) else text


MAX_DEPTH = 100
"""Nesting kept in free-form JSON fields (`extra`, event states); deeper is refused."""


def clean_data(value: Any, _depth: int = 0) -> Any:
    """Free-form JSON with every string in it (keys too) cleaned; the same object when clean."""
    if isinstance(value, str):
        return clean(value) if _UNSAFE.search(value) else value
    if _depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, dict):
        return {clean_line(k): clean_data(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v, _depth + 1) for v in value]
    return value


def entering_text(text: str) -> str:
    # Nearly all text is clean: one search decides, and clean text is returned as it is.
    if _SUSPECT.search(text) is None:
        return text
    _refuse_surrogates(text)
    return clean(text)


def entering_line(text: str) -> str:
    if _SUSPECT.search(text) is None and _BREAKS.search(text) is None:
        return text
    _refuse_surrogates(text)
    return clean_line(text)


def _refuse_surrogates(text: str) -> None:
    # Not text at all (no UTF-8 can hold it): refused here, where the field is named.
    if _SURROGATE.search(text):
        raise ValueError("holds an unpaired surrogate, which is not text")


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
