"""The tagger's batched scoring computes the features it was trained on.

scripts/train_attribution.py learns weights over `tagger.features()`; `tag_many` builds the
same features for a whole batch with NumPy. Any difference would mean running a model other
than the one trained and measured.
"""

from __future__ import annotations

import numpy as np

from tests.news_corpus import GROUPING_CORPUS
from verify.ingest import sentences, tagger


def _reference(batch: list[list[str]]) -> np.ndarray:
    weights, bias, lex, _ = tagger._model()
    rows = [
        weights[tagger.hashed(names)].sum(axis=0)
        for words in batch
        for names in tagger.features(words, lex)
    ]
    scores = np.array(rows) + bias
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    return scores / scores.sum(axis=1, keepdims=True)


def test_batched_scores_equal_the_trained_features() -> None:
    batch = [
        [t.text for t in tagger.tokens(s.text)]
        for news in GROUPING_CORPUS
        for s in sentences.split(news.text)
    ]
    # Edge cases of the features: a closing quotation mark alone, one word, straight quotes.
    batch += [["”", "he", "said", "."], ["Yes"], ['"', "No", ",", '"', "she", "said", ":"]]
    got = np.concatenate(tagger.tag_many(batch))
    assert got.shape == (sum(map(len, batch)), len(tagger.LABELS))
    np.testing.assert_allclose(got, _reference(batch), atol=1e-5)


def test_batched_decoding_equals_one_sentence_at_a_time() -> None:
    batch = [
        [t.text for t in tagger.tokens(s.text)]
        for news in GROUPING_CORPUS
        for s in sentences.split(news.text)
    ]
    probs = tagger.tag_many(batch)
    assert tagger.decode_many(probs, batch=7) == [tagger.decode(p) for p in probs]
