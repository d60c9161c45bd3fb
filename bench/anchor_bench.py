"""Anchoring a 300-character quote in a 1 MB document, against rapidfuzz's own alignment.

    python bench/anchor_bench.py
Budget: verify's anchoring takes at most 2x `fuzz.partial_ratio_alignment` on the same input.
Then a 4,000-character quote that is nowhere in a 20 MB document, against one exact search
(`str.find`) of it in the same run: the approximate search stays within 5x that.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import median_seconds
from tests.anchor_cases import documents
from verify.anchor import locate
from verify.models import TextQuote


def build_document(size: int, rng: random.Random) -> str:
    """News-like text of any length: a word-level Markov chain over the seed and the written
    texts, with fresh numbers, so long passages do not repeat (as in a real archive)."""
    words = " ".join(documents()).split()
    follows: dict[tuple[str, str], list[str]] = {}
    for a, b, c in zip(words, words[1:], words[2:], strict=False):
        follows.setdefault((a, b), []).append(c)
    keys = list(follows)
    out: list[str] = []
    total = 0
    state = rng.choice(keys)
    while total < size:
        nxt = follows.get(state)
        if not nxt:
            state = rng.choice(keys)
            continue
        word = rng.choice(nxt)
        word = "".join(str(rng.randrange(10)) if ch.isdigit() else ch for ch in word)
        out.append(word)
        total += len(word) + 1
        state = (state[1], word)
    return " ".join(out)[:size]


def main() -> None:
    rng = random.Random(3)
    doc = build_document(1_000_000, rng)
    # A quote that occurs once, near the end (the repeated texts make most passages recur).
    start = 900_000
    while doc.count(doc[start : start + 300]) != 1:
        start += 97
    quote = doc[start : start + 300]
    changed = quote[:100] + "X" + quote[101:200] + quote[201:]  # two edits: a misquote
    results = {}
    for name, q in (("exact", quote), ("misquote", changed)):
        ours = median_seconds(lambda q=q: locate(doc, TextQuote(exact=q)), repeat=5)
        ref = median_seconds(lambda q=q: fuzz.partial_ratio_alignment(q, doc), repeat=3)
        found = locate(doc, TextQuote(exact=q))
        results[name] = (ours, ref, found)
    for name, (ours, ref, found) in results.items():
        print(
            f"{name:9s} verify {ours * 1000:8.2f} ms   partial_ratio_alignment "
            f"{ref * 1000:8.2f} ms   ratio {ours / ref:.3f} (budget 2.0)   "
            f"found at {found.start} ({found.status.value})"
        )


def absent_quote() -> None:
    """Two 4,000-character quotes absent from 20 MB: one of letters the text hardly uses, one
    of news-like words from the same chain (its pieces do occur here and there)."""
    rng = random.Random(5)
    doc = build_document(20_000_000, rng)
    letters = "".join(rng.choice("QZXJKVW ") for _ in range(4000))
    words = build_document(4000, random.Random(11))
    assert letters not in doc and words not in doc
    for name, quote in (("letters", letters), ("words", words)):
        # Both in one run, alternating, so a busy machine slows both alike.
        ours = median_seconds(lambda q=quote: locate(doc, TextQuote(exact=q)), repeat=5)
        ref = median_seconds(lambda q=quote: doc.find(q), repeat=5)
        found = locate(doc, TextQuote(exact=quote))
        print(
            f"absent {name:7s} verify {ours * 1000:8.2f} ms   str.find {ref * 1000:8.2f} ms   "
            f"ratio {ours / ref:.1f} (budget 5.0)   {found.status.value}"
        )


if __name__ == "__main__":
    main()
    absent_quote()
