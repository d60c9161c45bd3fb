"""Sentences with their character offsets, paragraph by paragraph.

pysbd keeps "Gen.", "U.S." and quotations together; splitting into paragraphs first keeps
live-blog headers ("UPDATE 0929 GMT:") and captions out of the sentences around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from verify.lang import language
from verify.lang import sentences as cyrillic_sentences

_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    """[start, end) character offsets into the document text; text == doc[start:end]."""
    paragraph: int


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    cyrillic = language(text) in ("ru", "uk")
    for number, (pstart, pend) in enumerate(paragraphs(text)):
        para = text[pstart:pend]
        if cyrillic:  # Russian and Ukrainian prose: verify.lang's splitter
            for a, b in cyrillic_sentences.spans(para):
                out.append(Sentence(para[a:b], pstart + a, pstart + b, number))
            continue
        cursor = 0
        for span in _segmenter().segment(para):
            piece = span.sent
            # Offsets from pysbd are trusted only when they point at the same text.
            start = span.start if para[span.start : span.end] == piece else para.find(piece, cursor)
            if start < 0:
                continue
            end = start + len(piece)
            cursor = end
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            a = pstart + start + lead
            out.append(Sentence(stripped, a, a + len(stripped), number))
    return out
