"""The sentence encoder behind "already checked?" (verify.embed)."""

from __future__ import annotations

import numpy as np

from verify import embed


def test_vectors_are_unit_length_and_deterministic() -> None:
    texts = ["Two people were killed in Belgorod.", "", "\x00\x1b[31m\u202e odd input"]
    first = embed.encode(texts)
    assert first.shape == (3, embed.DIMENSIONS) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-4)
    assert np.array_equal(first, embed.encode(texts))


def test_same_meaning_is_closer_than_same_topic() -> None:
    claim, paraphrase, other = embed.encode(
        [
            "Drinking bleach cures the coronavirus.",
            "Drinking disinfectant will cure you of the coronavirus.",
            "The coronavirus vaccine contains a tracking chip.",
        ]
    )
    assert claim @ paraphrase > 0.75 > 0.5 > claim @ other


def test_batches_give_the_same_vectors_as_single_texts() -> None:
    texts = ["short", "a much longer sentence about the missile strike on the city " * 3]
    together = embed.encode(texts)
    alone = np.vstack([embed.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_long_text_is_cut_not_refused() -> None:
    (vector,) = embed.encode(["Belgorod " * 200_000])
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-4


def test_long_texts_are_batched_fewer_at_a_time() -> None:
    # The layers' working memory grows with texts x padded width: long texts must not come
    # 32 at a time (a batch of 128-token texts took 0.9 GB), short ones still share a batch.
    lengths = [3, 128, 5, 128, 128, 10, 1, 64] * 8
    batches = list(embed._batches([[0] * n for n in lengths]))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        width = max(lengths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * width <= embed.TOKENS_PER_BATCH
        assert len(batch) <= embed.BATCH
    assert max(len(b) for b in batches) == embed.BATCH
