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
        # A zero row at _PAD: a missing feature adds nothing.
        weights = np.vstack([arrays["weights"], np.zeros((1, len(LABELS)))]).astype(np.float32)
        bias = arrays["bias"].astype(np.float32)
    return weights, bias, meta["lexicon"], np.array(meta["transitions"], dtype=np.float32)


def lexicon() -> dict[str, float]:
    return _model()[2]


@lru_cache(maxsize=1)
def cue_heads() -> tuple[frozenset[str], frozenset[str]]:
    """What a sentence must contain for one of its words to be a cue word or a mark the
    features key on: the first run of word characters of each cue word (lower case), and the
    cue words that are punctuation, with the colon and quotation marks."""
    heads, marks = set(), set(':“”"')
    for word, p in lexicon().items():
        if p >= CUE_MIN:
            head = re.match(r"\w+", word)
            if head:
                heads.add(head.group())
            else:
                marks.add(word)
    return frozenset(heads), frozenset(marks)


def tag(words: list[str]) -> np.ndarray:
    """Probabilities of LABELS for each word of one sentence, shape (len(words), 4)."""
    return tag_many([words])[0]


def tag_many(sentences: list[list[str]]) -> list[np.ndarray]:
    """tag() for several sentences in one pass: the features of `features()`, built for the
    whole batch with NumPy from each distinct word (and word pair) once, then one gather."""
    weights, bias, lex, _ = _model()
    sizes = [len(words) for words in sentences]
    total = sum(sizes)
    if not total:
        return [np.zeros((0, len(LABELS)), dtype=np.float32) for _ in sentences]
    ids = _batch_ids(sentences, sizes, lex)
    scores = weights[ids].sum(axis=1) + bias
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    bounds = np.cumsum([0, *sizes])
    return [scores[a:b] for a, b in pairwise(bounds)]


_PAD = BUCKETS
"""Feature id of the zero row: a word without some feature (no cue to its left) gets it."""
_BOS, _EOS = 0, 1
"""Vocabulary indices of the sentence edges."""


class _Vocab:
    """Each distinct word of a batch once, with what its features need."""

    def __init__(self, lex: dict[str, float]) -> None:
        self.index: dict[str, int] = {"\x00<s>": _BOS, "\x00</s>": _EOS}
        self.low = ["<s>", "</s>"]
        self.shape = ["<s>", "</s>"]
        self.lex = lex

    def add(self, words: list[str]) -> list[int]:
        index, out = self.index, []
        for w in words:
            k = index.get(w)
            if k is None:
                k = index[w] = len(self.low)
                self.low.append(w.lower())
                self.shape.append(shape(w))
            out.append(k)
        return out

    def column(self, template: str, of_shape: bool = False) -> np.ndarray:
        """The feature id of `template`.format(x) for every word x (its lower case or shape)."""
        values = self.shape if of_shape else self.low
        return np.array(hashed([template.format(v) for v in values]), dtype=np.int64)


def _keyed(keys: np.ndarray, name: Any) -> np.ndarray:
    """Feature ids of composite features: each distinct key named and hashed once."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    return np.array(hashed([name(int(k)) for k in uniq]), dtype=np.int64)[inverse]


_BUCKET_NAMES = ("1", "2", "3", "4-6", "7-12", "13+")


def _bucket_code(d: np.ndarray) -> np.ndarray:
    """Index into _BUCKET_NAMES of each distance (as _bucket())."""
    return np.searchsorted(np.array([1, 2, 3, 6, 12]), d, side="left").clip(0, 5)


def _batch_ids(sentences: list[list[str]], sizes: list[int], lex: dict[str, float]) -> np.ndarray:
    vocab = _Vocab(lex)
    widx = np.array([k for words in sentences for k in vocab.add(words)], dtype=np.int64)
    t = len(widx)
    v = len(vocab.low)
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)
    ends = np.repeat(np.cumsum(sizes), sizes)
    at = np.arange(t)
    pos = at - starts

    def shifted(by: int) -> np.ndarray:
        j = at + by
        edge = _BOS if by < 0 else _EOS
        inside_sentence = (j >= starts) & (j < ends)
        return np.where(inside_sentence, widx[np.clip(j, 0, t - 1)], edge)

    prev, nxt, prev2, nxt2 = shifted(-1), shifted(1), shifted(-2), shifted(2)
    low, shp = vocab.low, vocab.shape
    cue_p = np.array([lex.get(w, 0.0) for w in low], dtype=np.float64)
    cue_p[:2] = 0.0
    # Quotation depth, as features(): only sentences holding a quotation mark need the walk.
    inside = np.zeros(t, dtype=bool)
    has_quote = np.zeros(t, dtype=bool)
    offset = 0
    for words in sentences:
        if any(w in _OPEN_QUOTES or w == '"' or w == "”" for w in words):
            has_quote[offset : offset + len(words)] = any(
                w in _OPEN_QUOTES or w == '"' for w in words
            )
            depth = 0
            for k, w in enumerate(words):
                if w in _OPEN_QUOTES or (w == '"' and depth == 0):
                    inside[offset + k] = depth > 0
                    depth = 1
                elif w == "”" or (w == '"' and depth > 0):
                    inside[offset + k] = True
                    depth = 0
                else:
                    inside[offset + k] = depth > 0
        offset += len(words)
    columns = [
        np.full(t, hashed(["b"])[0]),
        vocab.column("w={}")[widx],
        vocab.column("s={}", of_shape=True)[widx],
        vocab.column("p={}")[prev],
        vocab.column("n={}")[nxt],
        vocab.column("p2={}")[prev2],
        vocab.column("n2={}")[nxt2],
        _keyed(prev * v + widx, lambda k: f"pw={low[k // v]}|{low[k % v]}"),
        _keyed(widx * v + nxt, lambda k: f"wn={low[k // v]}|{low[k % v]}"),
        _keyed(prev * v + widx, lambda k: f"ps={shp[k // v]}|{shp[k % v]}"),
        np.array(hashed([f"cp={min(9, int(p * 10))}" for p in cue_p]), dtype=np.int64)[widx],
        np.array(hashed([f"suf={w[-3:]}" for w in low]), dtype=np.int64)[widx],
        np.array(hashed([f"nsuf={w[-3:]}" for w in low]), dtype=np.int64)[nxt],
        np.array(hashed([f"psuf={w[-3:]}" for w in low]), dtype=np.int64)[prev],
        _keyed(inside * 2 + has_quote, lambda k: f"q={bool(k // 2)}|{bool(k % 2)}"),
        np.where(pos == 0, hashed(["first=True"])[0], hashed(["first=False"])[0]),
    ]
    # Nearest cue word on each side of every word, within its sentence.
    cue_word = (cue_p >= CUE_MIN) | np.array([w == ":" for w in low])
    is_cue = cue_word[widx]
    last_cue = np.maximum.accumulate(np.where(is_cue, at, -1))
    left = np.concatenate([[-1], last_cue[:-1]])
    has_left = left >= starts
    next_cue = np.minimum.accumulate(np.where(is_cue, at, t)[::-1])[::-1]
    right = np.concatenate([next_cue[1:], [t]])
    has_right = right < ends
    comma = np.array([w in (",", ";", "—", "–") for w in low])[widx]
    commas = np.concatenate([[0], np.cumsum(comma)])
    safe_left, safe_right = np.maximum(left, 0), np.minimum(right, t - 1)
    left_word, right_word = widx[safe_left], widx[safe_right]
    d_left = _bucket_code(at - safe_left)
    d_right = _bucket_code(safe_right - at)
    c_left = np.minimum(2, commas[at] - commas[safe_left + 1])
    c_right = np.minimum(2, commas[safe_right] - commas[np.minimum(at + 1, t)])
    shape_code = np.unique(np.array(shp, dtype=object)[widx].astype(str), return_inverse=True)
    shape_names, shape_of = shape_code[0], shape_code[1]
    none_l, none_r = hashed(["L=none", "R=none"])
    pad = np.full(t, _PAD)

    def side(tag: str, word: np.ndarray, dist: np.ndarray, com: np.ndarray) -> list[np.ndarray]:
        return [
            vocab.column(tag + "={}")[word],
            _keyed(dist, lambda k: f"{tag}d={_BUCKET_NAMES[k]}"),
            _keyed(com, lambda k: f"{tag}c={k}"),
            _keyed(
                shape_of * 6 + dist,
                lambda k: f"{tag}s={shape_names[k // 6]}|{_BUCKET_NAMES[k % 6]}",
            ),
        ]

    lefts = side("L", left_word, d_left, c_left)
    columns.append(np.where(has_left, lefts[0], none_l))
    columns += [np.where(has_left, c, pad) for c in lefts[1:]]
    rights = side("R", right_word, d_right, c_right)
    rights.append(_keyed(widx * v + right_word, lambda k: f"Rw={low[k // v]}|{low[k % v]}"))
    columns.append(np.where(has_right, rights[0], none_r))
    columns += [np.where(has_right, c, pad) for c in rights[1:]]
    no_cue = _keyed(inside.astype(np.int64), lambda k: f"nocue|{bool(k)}")
    columns.append(np.where(~has_left & ~has_right, no_cue, pad))
    return np.stack(columns, axis=1)


def decode_many(probs: list[np.ndarray], batch: int = 256) -> list[list[int]]:
    """decode() for many sentences: those of similar length run through Viterbi together, so
    the loop runs once per word position of a batch, not once per word of the text."""
    out: list[list[int]] = [[0] * len(p) for p in probs]
    busy = [k for k, p in enumerate(probs) if len(p) and float(p[:, 1:].max()) >= QUIET]
    busy.sort(key=lambda k: len(probs[k]))
    trans = _model()[3] * TRANSITION_WEIGHT
    step = trans[:-1]
    labels = np.arange(len(LABELS))
    for first in range(0, len(busy), batch):
        chunk = busy[first : first + batch]
        sizes = np.array([len(probs[k]) for k in chunk])
        width = int(sizes.max())
        logp = np.zeros((len(chunk), width, len(LABELS)), dtype=np.float32)
        for row, k in enumerate(chunk):
            logp[row, : sizes[row]] = np.log(probs[k] + 1e-9)
        logp[:, :, 0] -= OUTSIDE_PENALTY
        score = logp[:, 0] + trans[-1]
        back = np.broadcast_to(labels, (len(chunk), width, len(LABELS))).copy()
        for i in range(1, width):
            total = score[:, :, None] + step
            live = (i < sizes)[:, None]
            back[:, i] = np.where(live, total.argmax(axis=1), labels)
            score = np.where(live, total.max(axis=1) + logp[:, i], score)
        path = np.zeros((len(chunk), width), dtype=np.int64)
        path[:, -1] = score.argmax(axis=1)
        rows = np.arange(len(chunk))
        for i in range(width - 1, 0, -1):
            path[:, i - 1] = back[rows, i, path[:, i]]
        for row, k in enumerate(chunk):
            out[k] = [int(y) for y in path[row, : sizes[row]]]
    return out


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
