"""Untrusted text into widgets: always as Text objects, never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from verify.textsafe import clean, one_line


def literal(text: str, style: str = "") -> Text:
    """Multi-line untrusted text, shown exactly (minus control codes)."""
    return Text(clean(text), style=style)


def line(text: str, width: int | None = None, style: str = "") -> Text:
    """Untrusted text flattened to one line."""
    return Text(one_line(text, width), style=style)


def plain(text: str, width: int | None = None) -> str:
    """Untrusted text as a one-line str, for the few places that take a str: titles,
    notifications (already markup-escaped where they need it), segments, columns."""
    return one_line(text, width)
