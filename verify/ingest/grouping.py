"""Competing accounts: which attributed statements by different speakers speak of one event.

Two statements from different speakers, close in the text, are accounts of one event when
they mean nearly the same thing to the sentence encoder (verify.embed) and something in the
text marks them as two versions of it: the later one answers the earlier (a contrast, a
denial, a blame or a cause), one negates what the other affirms, or they name the same number,
place or person. A statement of a later document is compared in the same way with the claims
already in the casebook (verify.ingest.pipeline).
Only nearby statements are compared, and only those with such a mark are encoded, so the cost
grows linearly with the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from verify import embed
from verify.lang import language, marks
from verify.match import terms

WINDOW = 4
"""How many earlier candidates each one is compared with."""
# Cosines of the encoder's vectors two statements need, by what marks them as two versions of
# one event. Chosen by bench/grouping_eval.py on the project's written news corpus
# (tests/news_corpus.py: every pair of nearby statements by different speakers, labelled
# competing or not): the middle of the range of values giving the best pair F1 there.
SIMILAR = 0.1875
"""A statement answering another (a contrast, denial, blame or cause) about the same
specifics or just after it, or denying an event or number the other affirms."""
SIMILAR_NEAR = 0.4875
"""A statement after another's, sharing a specific or negating it, with no word of dispute."""
SIMILAR_SHARED = 0.5125
"""Statements sharing two or more specifics (numbers, event words, a name), further apart."""
ENCODE_MAX = 100
"""At most this many statements are encoded for grouping, beyond those the check-worthiness
pass encoded already (milliseconds each); past that, shared words stand in for the encoder."""
LEXICAL_SCALE = 0.2
"""Word overlap (Jaccard) needed, as a share of the cosine that would be (same corpus)."""

# How English marks a second version of events: contrastive connectives opening the
# statement, verbs of disputing, and a cause given for what the other reported.
_CONTRAST = re.compile(
    r"^\W*(however|but|yet|still|instead|in contrast|meanwhile)\b|\b(denied|denies|deny|"
    r"disputed|disputes|rejected|rejects|contrary to|countered|dismissed|contradicted|"
    r"insisted|blamed|blames|attributed|attributes|while|caused by|due to)\b",
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


def _strength(a: str, b: str) -> tuple[bool, int, bool, int]:
    """Whether the later statement answers the earlier (a contrast, a denial, a blame, a
    cause), how many numbers and event words both name, whether one negates what the other
    affirms, and how many specifics they share (those, and a place or person, counted once)."""
    answers = bool(_CONTRAST.search(b) or _CONTRAST_END.search(a))
    negation = bool(_NEGATION.search(a)) != bool(_NEGATION.search(b))
    facts = len(set(_NUMBER.findall(a)) & set(_NUMBER.findall(b)))
    facts += len(_events(a) & _events(b))
    shared = facts + min(1, len(_names(a) & _names(b)))
    return answers, facts, negation, shared


def same_speaker(a: str | None, b: str | None) -> bool:
    """ "Novak" and "City Mayor Irena Novak" are one speaker."""
    if a is None or b is None:
        return a == b
    return a == b or a.split()[-1].lower() == b.split()[-1].lower()


def mark(a: str, b: str, nearest: bool) -> str | None:
    """What marks statement `b` (after `a`, by someone else) as another version of the same
    event: "answer", "near" or "shared" (see SIMILAR...), or None when nothing does."""
    answers, facts, negation, shared = _strength(a, b)
    # Further apart, a shared name is not enough: both must name the same number or event
    # (an answer to it, or a denial of it: "no deaths" / "nine died").
    if (answers and (facts or nearest)) or (negation and facts):
        return "answer"
    if nearest and (shared or negation):
        return "near"
    if shared >= 2:
        return "shared"
    return None


def least_cosine(kind: str) -> float:
    """The cosine a pair marked `kind` needs."""
    return {"answer": SIMILAR, "near": SIMILAR_NEAR, "shared": SIMILAR_SHARED}[kind]


def candidate_pairs(
    texts: Sequence[str], speakers: Sequence[str | None]
) -> list[tuple[int, int, str]]:
    """Nearby statements by different speakers marked as two versions of one event, with
    their mark."""
    pairs: list[tuple[int, int, str]] = []
    for j in range(len(texts)):
        if speakers[j] is None:
            continue
        nearest = True  # the closest earlier statement by someone else is the one answered
        for i in range(j - 1, max(-1, j - 1 - WINDOW), -1):
            if speakers[i] is None or same_speaker(speakers[i], speakers[j]):
                continue
            kind = mark(texts[i], texts[j], nearest)
            if kind is not None:
                pairs.append((i, j, kind))
            nearest = False
    return pairs


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
    pairs = candidate_pairs(texts, speakers)
    known = {} if vectors is None else vectors
    todo = list(dict.fromkeys(texts[k] for i, j, _ in pairs for k in (i, j)))
    todo = [t for t in todo if t not in known]
    if todo and len(todo) <= ENCODE_MAX:
        known.update(zip(todo, embed.encode(todo), strict=True))
    words: dict[int, set[str]] = {}
    for i, j, kind in pairs:
        least = least_cosine(kind)
        if texts[i] in known and texts[j] in known:
            close = float(np.dot(known[texts[i]], known[texts[j]])) >= least
        else:
            # Too many to encode quickly (a book-length text): shared words decide instead.
            a = words.setdefault(i, set(terms(texts[i])))
            b = words.setdefault(j, set(terms(texts[j])))
            close = len(a & b) / max(1, len(a | b)) >= least * LEXICAL_SCALE
        if close:
            parent[find(j)] = find(i)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(texts))]


# -- across languages ----------------------------------------------------------------------

ACROSS_LANGUAGES = ("en", "ru", "uk")
"""Languages whose marks are known (here and in verify.lang.marks)."""


ACROSS_SHORTLIST = 0.136
"""Multilingual-encoder cosine (verify.lang.encoder, stored for every claim) a claim in another
language needs to be looked at: on NTREX's tuning half (lines 1-1005; bench/multilingual_eval.py
events) 99% of translations between English, Russian and Ukrainian are above it. The encoder
barely knows Ukrainian, so it only shortlists; ACROSS decides."""

ACROSS: dict[tuple[str, str], tuple[float, float]] = {
    ("en", "ru"): (0.538, 0.886),
    ("en", "uk"): (0.477, 0.873),
    ("ru", "uk"): (0.488, 0.899),
}
"""Per pair of languages (in alphabetical order), the cosine by the multilingual encoder, or
else by the re-ranker (verify.lang.reranker, multilingual-e5-small, which knows Ukrainian), a
statement needs with a claim in the other language to be another account of its event. Chosen
by bench/multilingual_eval.py (events) on NTREX's tuning half: of the pairs of thresholds
letting through at most 1% of pairs of different lines of one news document (same topic, other
content), the one admitting most translations (same content). Each language pair has its own:
e5's cosines between Russian and Ukrainian, two close languages, run higher than between
either and English, and the encoder knows Ukrainian badly."""


def close_across(lang_a: str, lang_b: str, shortlist: float, finer: float | None) -> bool | None:
    """Whether two statements in languages `lang_a` and `lang_b`, at cosines `shortlist`
    (verify.lang.encoder) and `finer` (verify.lang.reranker), say the same thing; None when
    that takes the `finer` cosine and it is not given."""
    key = (lang_a, lang_b) if lang_a < lang_b else (lang_b, lang_a)
    if key not in ACROSS or shortlist < ACROSS_SHORTLIST:
        return False
    least, least_finer = ACROSS[key]
    if shortlist >= least:
        return True
    return None if finer is None else finer >= least_finer


def finer_cosines(text: str, others: Sequence[str]) -> list[float]:
    """The re-ranker's cosine between `text` and each of `others` (loaded on first use: only
    statements a cheap mark already pairs with a claim in another language get here)."""
    from verify.lang import reranker

    if not others:
        return []
    vectors = reranker.encode([text, *others])
    return [float(v) for v in vectors[1:] @ vectors[0]]


def may_answer_across(b: str) -> bool:
    """Whether anything could mark `b` as another version of an event told in another
    language (see mark_across): an answer, a number, or a name another statement's answer
    could share."""
    lang = language(b)
    return _answers(b, lang) or bool(_NUMBER.search(b)) or bool(_name_keys(b, lang))


def _answers(text: str, lang: str) -> bool:
    if lang in ("ru", "uk"):
        return marks.answers(text)
    return bool(_CONTRAST.search(text))


def _negates(text: str, lang: str) -> bool:
    if lang in ("ru", "uk"):
        return marks.negates(text)
    return bool(_NEGATION.search(text))


def _name_keys(text: str, lang: str) -> set[str]:
    if lang in ("ru", "uk"):
        return marks.names(text, lang)
    return {marks.name_key(name, lang) for name in _names(text)}


def mark_across(a: str, b: str) -> bool:
    """Whether statements `a` and `b` (by two speakers, in two languages) are marked, each in
    its own language, as two versions of one event: one answers the other (a contrast,
    denial, blame or cause) about the same place, person or number, or one negates what the
    other affirms about the same number. Either may have come first: documents are ingested
    in any order (the report of a denial before the statement denied). A meaning vector alone
    cannot tell two strikes of one kind apart; the specifics they share can."""
    lang_a, lang_b = language(a), language(b)
    if lang_a == lang_b:
        return False
    numbers = set(_NUMBER.findall(a)) & set(_NUMBER.findall(b))
    answers = _answers(a, lang_a) or _answers(b, lang_b)
    if answers and (numbers or _name_keys(a, lang_a) & _name_keys(b, lang_b)):
        return True
    return bool(numbers) and _negates(a, lang_a) != _negates(b, lang_b)
