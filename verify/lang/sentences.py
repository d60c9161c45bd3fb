"""Russian and Ukrainian sentences with their character offsets.

razdel (rule-based, written for Russian news) knows the abbreviations of Cyrillic prose
("г.", "ул.", "т. е.", initials) that an English-trained splitter breaks on. On the dev data
(bench/multilingual_eval.py) it gives boundary F1 0.947 on FactRuEval (Russian) and, with the
Ukrainian abbreviations below, 0.974 on NER-UK (Ukrainian), against 0.920 and 0.919 for
pysbd's Russian rules.
"""

from __future__ import annotations

import re

import razdel

# Ukrainian abbreviations that stand before a name, which razdel (Russian rules) takes for
# sentence ends: street, town, village, lane, avenue, "named after", professor, general.
# Units ("тис.", "грн.") are left alone: they end sentences as often as not.
_UK_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:вул|м|с|смт|пров|просп|ім|проф|акад|ген)\.$")


def spans(paragraph: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence in `paragraph`, without surrounding whitespace."""
    out: list[tuple[int, int]] = []
    for piece in razdel.sentenize(paragraph):
        start, end = piece.start, piece.stop
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if out and _UK_ABBREVIATION.search(paragraph[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
