"""Sentence embeddings: what a claim means, beyond the words it happens to use.

"Biden wants to take away every American's firearms" and "Biden wants to confiscate every gun
in America" are one claim in other words; counting shared words prefers "Biden wants every
American to buy an electric car". A sentence encoder sees the difference. This runs
all-MiniLM-L6-v2 (Apache-2.0; see verify/data/minilm/NOTICE) with NumPy alone, from int8
weights built by scripts/build_embedder.py, so the package needs no deep-learning framework
and never downloads anything. Vectors are unit length: a dot product is the cosine.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

DIMENSIONS = 384
MAX_TOKENS = 128
"""Longer texts are cut: claims and posts are short, and attention costs grow with the square."""
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
        return sentence_vectors(self.layer_means(texts))

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


def sentence_vectors(means: np.ndarray) -> np.ndarray:
    """The unit sentence vectors inside `layer_means` output (its last layer), so a caller
    that needed the layers anyway does not encode the same texts a second time."""
    last = means[:, -DIMENSIONS:]
    out: np.ndarray = last / np.maximum(np.linalg.norm(last, axis=1, keepdims=True), 1e-9)
    return out


def _dequantize(raw: dict[str, np.ndarray], name: str) -> np.ndarray:
    return raw[name + ".q"].astype(np.float32) * raw[name + ".scale"][:, None]


def _norm(raw: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    return raw[name + ".weight"], raw[name + ".bias"]


def _linear(raw: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    # Stored (out, in) as in the original; kept transposed for x @ W.
    return np.ascontiguousarray(_dequantize(raw, name + ".weight").T), raw[name + ".bias"]


def _layer(raw: dict[str, np.ndarray], p: str) -> dict[str, Any]:
    q, k, v = (_linear(raw, f"{p}attention.self.{n}") for n in ("query", "key", "value"))
    # Attention divides query-key products by sqrt(head size): fold that into the query
    # projection once instead of dividing every score matrix.
    scale = 1 / math.sqrt(DIMENSIONS // _HEADS)
    q = (q[0] * scale, q[1] * scale)
    return {
        "qkv": (np.concatenate([q[0], k[0], v[0]], axis=1), np.concatenate([q[1], k[1], v[1]])),
        "attn_out": _linear(raw, p + "attention.output.dense"),
        "attn_norm": _norm(raw, p + "attention.output.LayerNorm"),
        "up": _linear(raw, p + "intermediate.dense"),
        "down": _linear(raw, p + "output.dense"),
        "out_norm": _norm(raw, p + "output.LayerNorm"),
    }


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Layer normalisation of `x`, overwriting it (every caller passes a fresh array)."""
    x -= x.mean(axis=-1, keepdims=True)
    x /= np.sqrt(np.square(x).mean(axis=-1, keepdims=True) + _EPS)
    x *= weight
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU, in place. The erf form differs from this tanh form by < 1e-3; NumPy has
    no erf. Written as in-place steps (and x*x*x, not x**3, which is far slower for float32)
    because this is a fifth of the encoder's time."""
    y = x * x
    y *= x
    y *= 0.044715
    y += x
    y *= math.sqrt(2 / math.pi)
    np.tanh(y, out=y)
    y += 1
    y *= x
    y *= 0.5
    return y


def _encoder_layer(x: np.ndarray, blocked: np.ndarray, w: dict[str, Any]) -> np.ndarray:
    n, t, d = x.shape
    head = d // _HEADS
    # Linear layers on a 2-D view (NumPy hands 2-D products to BLAS), and biases, residuals
    # and softmax applied in place: the products are most of the time, temporaries the rest.
    flat = x.reshape(n * t, d)
    qkv = flat @ w["qkv"][0]
    qkv += w["qkv"][1]
    q, k, v = (
        qkv.reshape(n, t, 3 * d)[..., i * d : (i + 1) * d]
        .reshape(n, t, _HEADS, head)
        .transpose(0, 2, 1, 3)
        for i in range(3)
    )
    scores = q @ k.transpose(0, 1, 3, 2)
    scores += blocked
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * t, d)
    attended = context @ w["attn_out"][0]
    attended += w["attn_out"][1]
    attended += flat
    flat = _layer_norm(attended, *w["attn_norm"])
    hidden = flat @ w["up"][0]
    hidden += w["up"][1]
    hidden = _gelu(hidden)
    out = hidden @ w["down"][0]
    out += w["down"][1]
    out += flat
    return _layer_norm(out, *w["out_norm"]).reshape(n, t, d)


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder()


@lru_cache(maxsize=1)
def _threadpools() -> ThreadpoolController:
    return ThreadpoolController()


def threads_for(texts: int) -> int:
    """How many BLAS threads encoding `texts` texts should use.

    One for a few texts (a look-up, a claim on screen): waking threads costs more than the
    products they would share. For more, the cores nobody else is using: the maths library's
    default is one thread per core, and its threads spin while they wait, so beside other
    busy processes they mostly wait on each other (an ingest beside four busy processes on
    two cores ran 7.6 times slower than alone, against about 2.5 for one thread).
    """
    if texts <= BATCH:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, (cores or 1) - _other_runnable()))


def _other_runnable() -> int:
    """Processes running or ready to run now, besides this one (0 when the OS will not say)."""
    try:
        # Linux: the fourth field is "runnable/total" at this instant (the load average
        # would take a minute to notice a new busy process).
        with open("/proc/loadavg", encoding="ascii") as fh:
            return max(0, int(fh.read().split()[3].split("/")[0]) - 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        return max(0, round(os.getloadavg()[0]) - 1)
    except OSError:
        return 0


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for `texts`; the model loads on first use (about 0.2 s)."""
    with _lock, _threadpools().limit(limits=threads_for(len(texts)), user_api="blas"):
        return _encoder().encode(texts)


def layer_means(texts: Sequence[str]) -> np.ndarray:
    """Every layer's mean token state for each text (features for classifiers)."""
    with _lock, _threadpools().limit(limits=threads_for(len(texts)), user_api="blas"):
        return _encoder().layer_means(texts)
