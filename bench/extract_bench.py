"""Extracting claims from 1 MB of news text, against pysbd alone segmenting the same text.

    python bench/extract_bench.py [MB]
Budget: `verify extract`'s analysis takes at most 3x pysbd's segmentation. Both are timed three
times, interleaved, in one run; the ratio is of the medians (this machine is shared and noisy).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import pysbd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.anchor_bench import build_document
from verify.ingest import pipeline


def news_text(size: int) -> str:
    # Markov text in paragraphs of a few sentences, like a long live blog.
    body = build_document(size, random.Random(5))
    words = body.split(" ")
    paras, i = [], 0
    rng = random.Random(6)
    while i < len(words):
        n = rng.randint(30, 90)
        paras.append(" ".join(words[i : i + n]))
        i += n
    return "\n\n".join(paras)


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    text = news_text(int(mb * 1_000_000))
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    pysbd_times, our_times = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        n_sent = sum(len(seg.segment(p)) for p in text.split("\n\n"))
        pysbd_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        analysis = pipeline.extract(text)
        our_times.append(time.perf_counter() - t0)
    pysbd_s, ours = statistics.median(pysbd_times), statistics.median(our_times)
    print(
        f"{len(text) / 1e6:.1f} MB, {n_sent} sentences, {len(analysis.candidates)} candidates,"
        f" {analysis.groups} groups"
    )
    print(
        f"pysbd alone {pysbd_s:.2f} s; verify extract {ours:.2f} s; ratio {ours / pysbd_s:.2f}"
        " (budget 3.0)"
    )


if __name__ == "__main__":
    main()
