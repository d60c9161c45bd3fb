"""Sentence embeddings: what a claim means, beyond the words it happens to use.

"Biden wants to ban guns" and "the president's plan outlaws firearms" share no useful word,
so BM25 cannot see that they are the same claim; a sentence encoder can. This runs
all-MiniLM-L6-v2 (Apache-2.0; see verify/data/minilm/NOTICE) with NumPy alone, from int8
weights built by scripts/build_embedder.py, so the package needs no deep-learning framework
and never downloads anything. Vectors are unit length: a dot product is the cosine.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
from tokenizers import Tokenizer

DIMENSIONS = 384
MAX_TOKENS = 128
"""Longer texts are cut: claims and posts are short, and cost grows with the square."""
BATCH = 32
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12

_lock = threading.Lock()


class Encoder:
    def __init__(self) -> None:
        base = files("verify") / "data" / "minilm"
        self.tokenizer = Tokenizer.from_str((base / "tokenizer.json").read_text("utf-8"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        with (base / "weights.npz").open("rb") as fh, np.load(fh) as npz:
            raw = {name: npz[name] for name in npz.files}
        # Word embeddings stay int8 (most rows are never used); layer matrices are needed
        # whole for every sentence, so they are widened to float32 once.
        self.words_q = raw["embeddings.word_embeddings.weight.q"]
        self.words_scale = raw["embeddings.word_embeddings.weight.scale"]
        self.positions = _dequantize(raw, "embeddings.position_embeddings.weight")
        self.token_type = raw["embeddings.token_type_embeddings.weight"][0]
        self.norm = _norm(raw, "embeddings.LayerNorm")
        self.layers = [_layer(raw, f"encoder.layer.{i}.") for i in range(_LAYERS)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, shape (len(texts), DIMENSIONS))."""
        last = self.layer_means(texts)[:, -DIMENSIONS:]
        return last / np.maximum(np.linalg.norm(last, axis=1, keepdims=True), 1e-9)

    def layer_means(self, texts: Sequence[str]) -> np.ndarray:
        """Each layer's mean token state, side by side: shape (len(texts), 6 * DIMENSIONS).

        The last layer is the sentence embedding; the earlier ones keep more of the form of
        a sentence (numbers, tense, hedges), which is what check-worthiness is about.
        """
        out = np.zeros((len(texts), _LAYERS * DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        # Batch texts of similar length together so little work goes into padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        x = self.words_q[tokens].astype(np.float32) * self.words_scale[tokens][..., None]
        x += self.positions[:width] + self.token_type
        x = _layer_norm(x, *self.norm)
        blocked = (1 - mask)[:, None, None, :] * -1e9
        counts = mask.sum(axis=1, keepdims=True)
        means = []
        for layer in self.layers:
            x = _encoder_layer(x, blocked, layer)
            means.append((x * mask[..., None]).sum(axis=1) / counts)
        return np.concatenate(means, axis=1)


def _dequantize(raw: dict[str, np.ndarray], name: str) -> np.ndarray:
    return raw[name + ".q"].astype(np.float32) * raw[name + ".scale"][:, None]


def _norm(raw: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    return raw[name + ".weight"], raw[name + ".bias"]


def _linear(raw: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    # Stored (out, in) as in the original; kept transposed for x @ W.
    return np.ascontiguousarray(_dequantize(raw, name + ".weight").T), raw[name + ".bias"]


def _layer(raw: dict[str, np.ndarray], p: str) -> dict[str, Any]:
    q, k, v = (_linear(raw, f"{p}attention.self.{n}") for n in ("query", "key", "value"))
    return {
        "qkv": (np.concatenate([q[0], k[0], v[0]], axis=1), np.concatenate([q[1], k[1], v[1]])),
        "attn_out": _linear(raw, p + "attention.output.dense"),
        "attn_norm": _norm(raw, p + "attention.output.LayerNorm"),
        "up": _linear(raw, p + "intermediate.dense"),
        "down": _linear(raw, p + "output.dense"),
        "out_norm": _norm(raw, p + "output.LayerNorm"),
    }


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT uses the erf form; the tanh form differs by < 1e-3, and x*x*x because float32
    # x**3 is two hundred times slower in NumPy.
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)))


def _encoder_layer(x: np.ndarray, blocked: np.ndarray, w: dict[str, Any]) -> np.ndarray:
    n, t, d = x.shape
    head = d // _HEADS
    # Linear layers on a 2-D view: NumPy hands 2-D products to BLAS, not stacked ones.
    flat = x.reshape(n * t, d)
    qkv = (flat @ w["qkv"][0] + w["qkv"][1]).reshape(n, t, 3 * d)
    q, k, v = (
        qkv[..., i * d : (i + 1) * d].reshape(n, t, _HEADS, head).transpose(0, 2, 1, 3)
        for i in range(3)
    )
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + blocked
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * t, d)
    flat = _layer_norm(flat + context @ w["attn_out"][0] + w["attn_out"][1], *w["attn_norm"])
    hidden = _gelu(flat @ w["up"][0] + w["up"][1])
    out = _layer_norm(flat + hidden @ w["down"][0] + w["down"][1], *w["out_norm"])
    return out.reshape(n, t, d)


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for `texts`; the model loads on first use (about 0.2 s)."""
    with _lock:
        return _encoder().encode(texts)


def layer_means(texts: Sequence[str]) -> np.ndarray:
    """Every layer's mean token state for each text (features for classifiers)."""
    with _lock:
        return _encoder().layer_means(texts)
