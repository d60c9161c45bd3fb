"""Check-worthiness: how much a sentence looks like a factual claim worth checking (0..1).

Two logistic regressions trained on ClaimBuster debate sentences by
scripts/train_checkworthiness.py, whose weights ship in verify/data: one over tf-idf word and
character n-grams (reproduced here in plain Python, so scikit-learn is needed only to train),
one over the sentence encoder's layer states (verify.embed). The word model scores every
sentence in microseconds; where it is unsure, the encoder's opinion is averaged in. Encoding
costs milliseconds a sentence, so only the most uncertain share of a text is re-scored.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

WORD_RANGE = (1, 2)
CHAR_RANGE = (2, 4)
THRESHOLD = 0.5
"""Sentences scoring at least this are proposed as claims."""
UNSURE = (0.2, 0.8)
"""Word-model scores in this range are re-scored with the encoder."""
RESCORE_SHARE = 0.25
RESCORE_MIN = 200
"""At most max(RESCORE_MIN, RESCORE_SHARE of the statements) are re-scored, nearest 0.5 first:
a live blog is re-scored whole, a book-length text stays quick."""

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"(?u)\b\w+\b")
_SPACES = re.compile(r"\s\s+")


def prepare_words(text: str) -> str:
    """Numbers stand for any number: '25 people' and '46 people' are the same kind of claim."""
    return _NUMBER.sub(" 0 ", text.lower())


def prepare_chars(text: str) -> str:
    return _DIGIT.sub("0", text.lower())


def _word_ngrams(text: str) -> list[str]:
    tokens = _WORD.findall(prepare_words(text))
    grams = list(tokens)
    grams += [f"{a} {b}" for a, b in pairwise(tokens)]
    return grams


def _char_ngrams(text: str) -> list[str]:
    # As scikit-learn's char_wb analyzer: n-grams inside each space-padded word.
    text = _SPACES.sub(" ", prepare_chars(text))
    grams: list[str] = []
    lo, hi = CHAR_RANGE
    for word in text.split():
        w = f" {word} "
        for n in range(lo, hi + 1):
            grams.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
            if len(w) <= n:  # a word no longer than n gives one gram, once
                break
    return grams


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    raw = resources.files("verify").joinpath("data/checkworthiness.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _part(grams: list[str], features: dict[str, list[float]]) -> float:
    # One pass over the distinct grams (Counter counts in C): this runs for every sentence.
    dot = squares = 0.0
    for gram, tf in Counter(grams).items():
        feature = features.get(gram)
        if feature is None:
            continue
        weight = (1 + math.log(tf)) * feature[0]
        squares += weight * weight
        dot += weight * feature[1]
    return dot / math.sqrt(squares) if squares else 0.0


def word_score(sentence: str) -> float:
    """The word model's check-worthiness of one sentence."""
    model = _model()
    z = model["intercept"]
    z += _part(_word_ngrams(sentence), model["word"])
    z += _part(_char_ngrams(sentence), model["char"])
    return 1 / (1 + math.exp(-z))


def encoder_scores(
    sentences: Sequence[str], vectors: dict[str, np.ndarray] | None = None
) -> list[float]:
    """The encoder model's check-worthiness of each sentence.

    The encoder's pass yields each sentence's meaning vector too: given `vectors`, they are
    put there for the look-ups and the index that follow, which then need not encode again.
    """
    import numpy as np

    from verify import embed

    weights = _model()["encoder"]
    feats = embed.layer_means(sentences)
    if vectors is not None:
        vectors.update(zip(sentences, embed.sentence_vectors(feats), strict=True))
    z = (feats - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
    logits = z @ np.asarray(weights["coef"]) + weights["intercept"]
    return [float(v) for v in 1 / (1 + np.exp(-logits))]


def to_rescore(word_scores: Sequence[float]) -> list[int]:
    """Which sentences of one text the encoder should look at again."""
    lo, hi = UNSURE
    unsure = [i for i, p in enumerate(word_scores) if lo <= p <= hi]
    unsure.sort(key=lambda i: abs(word_scores[i] - 0.5))
    return unsure[: max(RESCORE_MIN, int(RESCORE_SHARE * len(word_scores)))]


def combine(word: float, encoder: float) -> float:
    return (word + encoder) / 2


def scores(sentences: Sequence[str], vectors: dict[str, np.ndarray] | None = None) -> list[float]:
    """Check-worthiness of each sentence of one text (see `encoder_scores` for `vectors`)."""
    result = [word_score(s) for s in sentences]
    chosen = to_rescore(result)
    if chosen:
        again = encoder_scores([sentences[i] for i in chosen], vectors)
        for i, p in zip(chosen, again, strict=True):
            result[i] = combine(result[i], p)
    return result


def score(sentence: str) -> float:
    """Check-worthiness of one sentence."""
    return scores([sentence])[0]


def cross_validation() -> dict[str, float]:
    """The figures the shipped model reached in 5-fold cross-validation."""
    figures: dict[str, float] = _model()["cross_validation"]
    return figures
