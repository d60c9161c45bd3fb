"""Sentence embeddings: what a claim means, beyond the words it happens to use.

"Biden wants to take away every American's firearms" and "Biden wants to confiscate every gun
in America" are one claim in other words; counting shared words prefers "Biden wants every
American to buy an electric car". A sentence encoder sees the difference. This runs
all-MiniLM-L6-v2 (Apache-2.0; see verify/data/minilm/NOTICE) from int8 weights built by
scripts/build_embedder.py, its layers in onnxruntime (verify.encoder_graph builds the graph in
memory from those weights), so the package carries no deep-learning framework and never
downloads anything. Vectors are unit length: a dot product is the cosine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import numpy as np
from tokenizers import Tokenizer

from verify import encoder_graph

DIMENSIONS = 384
MAX_TOKENS = 128
"""Longer texts are cut: claims and posts are short, and attention costs grow with the square."""
BATCH = 32
TOKENS_PER_BATCH = 1024
_HEADS = 12

_lock = threading.Lock()


class Encoder:
    """A BERT-style encoder from int8 weights in verify's layout (see verify.encoder_graph):
    the tokenizer and embedding look-up here, the layers in onnxruntime."""

    def __init__(self, base: Traversable | None = None, heads: int = _HEADS) -> None:
        base = base or files("verify") / "data" / "minilm"
        self.tokenizer = Tokenizer.from_str((base / "tokenizer.json").read_text("utf-8"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        with (base / "weights.npz").open("rb") as fh, np.load(fh) as npz:
            raw = {name: npz[name] for name in npz.files}
        # Word embeddings stay int8 (most rows are never used); the few positions and the
        # one token type used are widened once.
        self.words_q = raw["embeddings.word_embeddings.weight.q"]
        self.words_scale = raw["embeddings.word_embeddings.weight.scale"]
        self.positions = _dequantize(raw, "embeddings.position_embeddings.weight")
        self.token_type = raw["embeddings.token_type_embeddings.weight"][0]
        self.width = int(self.positions.shape[1])
        self.layers = encoder_graph.layer_count(raw)
        self.model = encoder_graph.build(raw, heads)
        self._runners: dict[int, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, shape (len(texts), width))."""
        return sentence_vectors(self.layer_means(texts), self.width)

    def layer_means(self, texts: Sequence[str]) -> np.ndarray:
        """Each layer's mean token state, side by side: shape (len(texts), layers * width).

        The last layer is the sentence embedding; the earlier ones keep more of the form of
        a sentence (numbers, tense, hedges), which is what check-worthiness is about.
        """
        out = np.zeros((len(texts), self.layers * self.width), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        run = self._runner(threads_for(len(texts)))
        for chunk in _batches(ids):
            out[chunk] = run(*self._embedded([ids[i] for i in chunk]))
        return out

    def _runner(self, threads: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        if threads not in self._runners:
            self._runners[threads] = encoder_graph.session(self.model, threads)
        return self._runners[threads]

    def _embedded(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        x = self.words_q[tokens].astype(np.float32) * self.words_scale[tokens][..., None]
        x += self.positions[:width] + self.token_type
        return x, mask


def _batches(ids: list[list[int]]) -> Iterator[list[int]]:
    """Indexes of `ids` in batches of similar length (little work goes into padding), at most
    BATCH texts and TOKENS_PER_BATCH padded tokens each: long texts come fewer at a time, so
    the layers' working memory stays the same whatever the texts."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    chunk: list[int] = []
    for i in order:
        # Sorted by length: the newest text is the widest, and sets the padded width.
        if chunk and (len(chunk) >= BATCH or (len(chunk) + 1) * len(ids[i]) > TOKENS_PER_BATCH):
            yield chunk
            chunk = []
        chunk.append(i)
    if chunk:
        yield chunk


def sentence_vectors(means: np.ndarray, width: int = DIMENSIONS) -> np.ndarray:
    """The unit sentence vectors inside `layer_means` output (its last layer), so a caller
    that needed the layers anyway does not encode the same texts a second time."""
    last = means[:, -width:]
    out: np.ndarray = last / np.maximum(np.linalg.norm(last, axis=1, keepdims=True), 1e-9)
    return out


def _dequantize(raw: dict[str, np.ndarray], name: str) -> np.ndarray:
    return raw[name + ".q"].astype(np.float32) * raw[name + ".scale"][:, None]


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder()


def threads_for(texts: int) -> int:
    """How many threads encoding `texts` texts should use.

    One for a few texts (a look-up, a claim on screen): waking threads costs more than the
    products they would share. For more, the cores nobody else is using: a maths library's
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
    with _lock:
        return _encoder().encode(texts)


def layer_means(texts: Sequence[str]) -> np.ndarray:
    """Every layer's mean token state for each text (features for classifiers)."""
    with _lock:
        return _encoder().layer_means(texts)
