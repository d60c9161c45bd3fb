"""Competing accounts: which attributed statements speak of the same event.

Two statements from different speakers form one claim when they are close in the text and
either one answers the other (a contrastive cue: "however", "a claim", "denied", "blamed")
and they share what identifies an event: an event word (deaths, strikes, detentions) or a
number, with a place or name or a second such word. Only nearby statements are compared, so
the cost grows linearly with the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.match import terms

WINDOW = 4
"""How many following candidates each one is compared with."""

_CONTRAST = re.compile(
    r"^(however|but|yet|still|instead|in contrast)\b|\b(a claim|denied|denies|deny|disputed|"
    r"rejected|blamed|blames|contrary to|countered|dismissed)\b",
    re.I,
)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
# Event words in different forms count as the same event word.
_EVENT = {
    "kill": "death", "killed": "death", "death": "death", "deaths": "death", "dead": "death",
    "died": "death", "die": "death", "fatal": "death", "toll": "death",
    "attack": "attack", "attacks": "attack", "strike": "attack", "strikes": "attack",
    "shelling": "attack",
    "detain": "detain", "detained": "detain", "detentions": "detain", "arrested": "detain",
    "round-up": "detain", "rounded": "detain", "operation": "detain",
}  # fmt: skip
_NOT_NAMES = {
    "The",
    "This",
    "That",
    "However",
    "Officials",
    "But",
    "Police",
    "Russian",
    "Ukrainian",
    "Ukraininan",
    "Russia",
    "Ukraine",
}


def _signature(text: str) -> tuple[set[str], set[str], set[str], set[str]]:
    words = set(terms(text))
    numbers = set(_NUMBER.findall(text))
    names = {n for n in _NAME.findall(text) if n not in _NOT_NAMES}
    events = {_EVENT[w] for w in re.findall(r"[\w-]+", text.lower()) if w in _EVENT}
    return words, numbers, names, events


def _same_event(a: str, b: str, later: str) -> bool:
    _, na, pa, ea = _signature(a)
    _, nb, pb, eb = _signature(b)
    specific = len(na & nb) + len(ea & eb)
    if _CONTRAST.search(later) and specific:
        return True
    # A shared place or name counts once: two statements about Belgorod need not be one event.
    return specific + min(1, len(pa & pb)) >= 2


def same_speaker(a: str | None, b: str | None) -> bool:
    """ "Novak" and "City Mayor Irena Novak" are one speaker."""
    if a is None or b is None:
        return a == b
    return a == b or a.split()[-1].lower() == b.split()[-1].lower()


def group(texts: Sequence[str], speakers: Sequence[str | None]) -> list[int]:
    """A group number per statement; statements sharing a number are accounts of one event."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        if speakers[i] is None:
            continue
        for j in range(i + 1, min(len(texts), i + 1 + WINDOW)):
            if speakers[j] is None or same_speaker(speakers[i], speakers[j]):
                continue
            if _same_event(texts[i], texts[j], texts[j]):
                parent[find(j)] = find(i)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(texts))]
