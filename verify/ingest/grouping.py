"""Competing accounts: which attributed statements by different speakers speak of one event.

Two statements from different speakers, close in the text, are accounts of one event when
they mean nearly the same thing to the sentence encoder (verify.embed) and something in the
text marks them as two versions of it: the later one answers the earlier (a contrast or a
denial), one negates what the other affirms, or they name the same number, place or person.
Only nearby statements are compared, and only those with such a mark are encoded, so the cost
grows linearly with the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from verify import embed
from verify.match import terms

WINDOW = 4
"""How many following candidates each one is compared with."""
SIMILAR = 0.25
"""Cosine of the encoder's vectors at least this: a statement answering the one just before it
is about the same event."""
ENCODE_MIN = 200
ENCODE_SHARE = 10
"""At most max(ENCODE_MIN, 1/ENCODE_SHARE of the statements) are encoded (milliseconds each);
past that, the share of words two statements have in common stands in for the encoder."""
LEXICAL_SCALE = 0.5
"""Word overlap (Jaccard) needed, as a share of the cosine that would be."""
SIMILAR_SHARED = 0.45
"""The same, for statements that share specifics (numbers, event words, a name) but where
neither answers the other: these need to mean more nearly the same thing."""

# How English marks a second version of events: contrastive connectives opening the
# statement, and verbs of disputing.
_CONTRAST = re.compile(
    r"^\W*(however|but|yet|still|instead|in contrast|meanwhile)\b|\b(denied|denies|deny|"
    r"disputed|disputes|rejected|rejects|contrary to|countered|dismissed|contradicted|"
    r"insisted|blamed|blames|attributed|attributes|while)\b",
    re.I,
)
# "A said X, while B said Y" is split in two; the connective stays at the end of the first.
_CONTRAST_END = re.compile(r"\b(while|but|whereas|yet)\W*$", re.I)
# One account affirms what the other negates ("the dam was opened" / "had not been opened").
_NEGATION = re.compile(r"\b(not|no|never|none|nobody|nothing)\b|n’t\b|n't\b", re.I)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_WORD = re.compile(r"[\w’'-]+")


def _names(text: str) -> set[str]:
    """Capitalised words not opening a sentence: places, people."""
    out = set()
    for m in _WORD.finditer(text):
        word = m.group()
        start = m.start()
        before = text[:start].rstrip()
        opening = not before or before[-1] in '.!?:“"—'
        if word[:1].isupper() and not opening and len(word) > 2:
            out.add(word.rstrip("’'s").lower())
    return out


# Words that name what happened, in their forms: a death toll, an attack, a detention.
_EVENT = {
    "kill": "death", "killed": "death", "killing": "death", "death": "death", "deaths": "death",
    "dead": "death", "died": "death", "die": "death", "toll": "death", "fatalities": "death",
    "attack": "attack", "attacks": "attack", "attacked": "attack", "strike": "attack",
    "strikes": "attack", "struck": "attack", "shelling": "attack", "hit": "attack",
    "detain": "detain", "detained": "detain", "detention": "detain", "detentions": "detain",
    "arrest": "detain", "arrested": "detain", "arrests": "detain",
    "wounded": "injury", "injured": "injury", "injuries": "injury",
}  # fmt: skip


def _events(text: str) -> set[str]:
    return {_EVENT[w] for w in _WORD.findall(text.lower()) if w in _EVENT}


def _strength(a: str, b: str) -> tuple[bool, bool, int]:
    """Whether the later statement answers the earlier (a contrast, a denial, a blame),
    whether one negates what the other affirms, and how many specifics they share (numbers,
    event words, and a place or person, which counts once)."""
    answers = bool(_CONTRAST.search(b) or _CONTRAST_END.search(a))
    negation = bool(_NEGATION.search(a)) != bool(_NEGATION.search(b))
    shared = len(set(_NUMBER.findall(a)) & set(_NUMBER.findall(b)))
    shared += len(_events(a) & _events(b))
    shared += min(1, len(_names(a) & _names(b)))
    return answers, negation, shared


def same_speaker(a: str | None, b: str | None) -> bool:
    """ "Novak" and "City Mayor Irena Novak" are one speaker."""
    if a is None or b is None:
        return a == b
    return a == b or a.split()[-1].lower() == b.split()[-1].lower()


def group(
    texts: Sequence[str],
    speakers: Sequence[str | None],
    vectors: dict[str, np.ndarray] | None = None,
) -> list[int]:
    """A group number per statement; statements sharing a number are accounts of one event.

    `vectors` holds meaning vectors already computed (by text): those are used, and the ones
    encoded here are added to it, so no text is encoded twice in one ingest.
    """
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Cheap marks first; the encoder then confirms that the two speak of the same thing.
    pairs: list[tuple[int, int, float]] = []
    for j in range(len(texts)):
        if speakers[j] is None:
            continue
        nearest = True  # the closest earlier statement by someone else is the one answered
        for i in range(j - 1, max(-1, j - 1 - WINDOW), -1):
            if speakers[i] is None or same_speaker(speakers[i], speakers[j]):
                continue
            answers, negation, shared = _strength(texts[i], texts[j])
            if shared and (answers or negation):
                pairs.append((i, j, SIMILAR))
            elif shared >= 2:
                pairs.append((i, j, SIMILAR_SHARED))
            elif answers and nearest:
                pairs.append((i, j, SIMILAR))
            nearest = False
    needed = sorted({k for i, j, _ in pairs for k in (i, j)})
    if needed and len(needed) <= max(ENCODE_MIN, len(texts) // ENCODE_SHARE):
        known = {} if vectors is None else vectors
        todo = list(dict.fromkeys(texts[k] for k in needed if texts[k] not in known))
        if todo:
            known.update(zip(todo, embed.encode(todo), strict=True))
        for i, j, least in pairs:
            if float(np.dot(known[texts[i]], known[texts[j]])) >= least:
                parent[find(j)] = find(i)
    elif needed:
        # Too many to encode quickly (a book-length text): shared words decide instead.
        words = {k: set(terms(texts[k])) for k in needed}
        for i, j, least in pairs:
            union = words[i] | words[j]
            if union and len(words[i] & words[j]) / len(union) >= least * LEXICAL_SCALE:
                parent[find(j)] = find(i)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(texts))]
