"""The language label shown beside each account, where languages differ or are not English."""

from __future__ import annotations

from verify.lang.detect import language

NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}


def account_labels(statements: list[str]) -> list[str | None]:
    """One label per statement ("Russian", "English", ...), or None for all of them when every
    one is English: an English-only casebook looks as it always did."""
    langs = [language(s) for s in statements]
    if all(lang in ("en", "other") for lang in langs):
        return [None] * len(statements)
    return [NAMES.get(lang, "other language") for lang in langs]
