"""Which words of a sentence are a source, a cue (the reporting words) or reported content.

A multinomial logistic regression over hashed word, shape and context features, trained on the
PolNeAR news attribution corpus by scripts/train_attribution.py; its weights and its cue
lexicon (how often each word is a reporting word in that corpus) ship in verify/data. Run in
NumPy: scikit-learn is needed only to train. The cost is a few dictionary look-ups and one
gather per word, so it grows linearly with the text.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np

LABELS = ("O", "S", "C", "Q")
"""Outside, source, cue, content."""
BUCKETS = 1 << 18
OUTSIDE_PENALTY = 1.0
"""Subtracted from the log-probability of "outside" when decoding: the word model is cautious
(precise, low recall); chosen on PolNeAR train by scripts/train_attribution.py --sweep."""
TRANSITION_WEIGHT = 0.25
"""How much the label transitions weigh against the word model, which already sees context."""
QUIET = 0.05
"""A sentence whose words are all at most this likely to be anything but outside is outside:
no need to decode it."""
CUE_MIN = 0.15
"""A word at least this often a cue in the training corpus anchors the context features."""

_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*\.?|[^\w\s]")
_OPEN_QUOTES = {"“", "‘"}
_CLOSE_QUOTES = {"”", "’"}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str, base: int = 0) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        # "U.S." keeps its dot; a sentence's last word gives it back.
        if word.endswith(".") and len(word) > 1 and "." not in word[:-1] and not _abbrev(word):
            out.append(Token(word[:-1], base + m.start(), base + m.end() - 1))
            out.append(Token(".", base + m.end() - 1, base + m.end()))
        else:
            out.append(Token(word, base + m.start(), base + m.end()))
    return out


def _abbrev(word: str) -> bool:
    return len(word) <= 5 and word[:1].isupper() and word[:-1].isalpha() and len(word) > 2


SCARE_QUOTE_WORDS = 3


def without_scare_quotes(words: list[str]) -> list[int]:
    """Indices of the words to tag: quotation marks around a few words (“informed source”)
    mark a phrase, not reported speech, and are left out."""
    drop: set[int] = set()
    open_at: int | None = None
    for i, w in enumerate(words):
        if w in _OPEN_QUOTES:
            open_at = i
        elif w in _CLOSE_QUOTES and open_at is not None:
            inner = words[open_at + 1 : i]
            if len(inner) <= SCARE_QUOTE_WORDS and not any(x in ".,!?" for x in inner):
                drop.update((open_at, i))
            open_at = None
    return [i for i in range(len(words)) if i not in drop]


def shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not word[:1].isalnum():
        return word
    if word.isupper() and len(word) > 1:
        return "U"
    if word[:1].isupper():
        return "C"
    return "l"


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13+"


def features(words: list[str], lexicon: dict[str, float]) -> list[list[str]]:
    """The feature names of each word of one sentence."""
    low = [w.lower() for w in words]
    n = len(words)
    cue_at = [i for i, w in enumerate(low) if lexicon.get(w, 0.0) >= CUE_MIN]
    cue_at += [i for i, w in enumerate(low) if w == ":"]
    has_quote = any(w in _OPEN_QUOTES or w == '"' for w in words)
    # Quotation depth: inside “...” (straight quotes toggle).
    inside = []
    depth = 0
    for w in words:
        if w in _OPEN_QUOTES or (w == '"' and depth == 0):
            inside.append(depth > 0)
            depth = 1
            continue
        if w == "”" or (w == '"' and depth > 0):
            inside.append(True)
            depth = 0
            continue
        inside.append(depth > 0)
    commas = [0] * (n + 1)
    for i, w in enumerate(words):
        commas[i + 1] = commas[i] + (w in (",", ";", "—", "–"))
    # Nearest cue word on each side of every word, found in two linear passes.
    lefts: list[int | None] = []
    last: int | None = None
    cue_set = set(cue_at)
    for i in range(n):
        lefts.append(last)
        if i in cue_set:
            last = i
    rights: list[int | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        rights[i] = last
        if i in cue_set:
            last = i
    out = []
    for i in range(n):
        w, s = low[i], shape(words[i])
        prev = low[i - 1] if i else "<s>"
        nxt = low[i + 1] if i + 1 < n else "</s>"
        prev2 = low[i - 2] if i > 1 else "<s>"
        nxt2 = low[i + 2] if i + 2 < n else "</s>"
        cue_p = lexicon.get(w, 0.0)
        f = [
            "b",
            f"w={w}",
            f"s={s}",
            f"p={prev}",
            f"n={nxt}",
            f"p2={prev2}",
            f"n2={nxt2}",
            f"pw={prev}|{w}",
            f"wn={w}|{nxt}",
            f"ps={shape(words[i - 1]) if i else '<s>'}|{s}",
            f"cp={min(9, int(cue_p * 10))}",
            f"suf={w[-3:]}",
            f"nsuf={nxt[-3:]}",
            f"psuf={prev[-3:]}",
            f"q={inside[i]}|{has_quote}",
            f"first={i == 0}",
        ]
        left, right = lefts[i], rights[i]
        if left is not None:
            d = i - left
            f += [
                f"L={low[left]}",
                f"Ld={_bucket(d)}",
                f"Lc={min(2, commas[i] - commas[left + 1])}",
                f"Ls={s}|{_bucket(d)}",
            ]
        else:
            f.append("L=none")
        if right is not None:
            d = right - i
            f += [
                f"R={low[right]}",
                f"Rd={_bucket(d)}",
                f"Rc={min(2, commas[right] - commas[i + 1])}",
                f"Rs={s}|{_bucket(d)}",
                f"Rw={w}|{low[right]}",
            ]
        else:
            f.append("R=none")
        if left is None and right is None:
            f.append(f"nocue|{inside[i]}")
        out.append(f)
    return out


_IDS: dict[str, int] = {}
_IDS_MAX = 1 << 20


def hashed(names: list[str]) -> list[int]:
    # Feature names repeat across a text: remember their bucket (bounded, so memory stays flat).
    ids = _IDS
    if len(ids) > _IDS_MAX:
        ids.clear()
    out = []
    for name in names:
        k = ids.get(name)
        if k is None:
            k = ids[name] = zlib.crc32(name.encode()) & (BUCKETS - 1)
        out.append(k)
    return out


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, np.ndarray, dict[str, float], np.ndarray]:
    root = resources.files("verify") / "data"
    meta: dict[str, Any] = json.loads((root / "attribution.json").read_text("utf-8"))
    with (root / "attribution.npz").open("rb") as fh:
        arrays = np.load(fh)
        weights = arrays["weights"].astype(np.float32)
        bias = arrays["bias"].astype(np.float32)
    return weights, bias, meta["lexicon"], np.array(meta["transitions"], dtype=np.float32)


def lexicon() -> dict[str, float]:
    return _model()[2]


def tag(words: list[str]) -> np.ndarray:
    """Probabilities of LABELS for each word of one sentence, shape (len(words), 4)."""
    return tag_many([words])[0]


def tag_many(sentences: list[list[str]]) -> list[np.ndarray]:
    """tag() for several sentences in one pass over the weights."""
    weights, bias, lex, _ = _model()
    ids: list[int] = []
    starts: list[int] = []
    sizes = []
    for words in sentences:
        sizes.append(len(words))
        for names in features(words, lex):
            starts.append(len(ids))
            ids.extend(hashed(names))
    if not ids:
        return [np.zeros((0, len(LABELS)), dtype=np.float32) for _ in sentences]
    scores = np.add.reduceat(weights[np.array(ids)], np.array(starts), axis=0) + bias
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    bounds = np.cumsum([0, *sizes])
    return [scores[a:b] for a, b in pairwise(bounds)]


def decode(probs: np.ndarray) -> list[int]:
    """The likeliest label sequence: the word model's probabilities times the corpus's label
    transitions (Viterbi), so a source or a content is one unbroken run of words."""
    trans = _model()[3] * TRANSITION_WEIGHT
    n = len(probs)
    if n == 0:
        return []
    if float(probs[:, 1:].max()) < QUIET:
        return [0] * n
    logp = np.log(probs + 1e-9)
    logp[:, 0] -= OUTSIDE_PENALTY
    score = logp[0] + trans[-1]
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    step = trans[:-1]
    for i in range(1, n):
        total = score[:, None] + step
        back[i] = total.argmax(axis=0)
        score = total.max(axis=0) + logp[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]
