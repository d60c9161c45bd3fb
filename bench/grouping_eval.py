"""Choose and check the grouping thresholds on the project's written news corpus.

    python bench/grouping_eval.py

Every text of tests/news_corpus.GROUPING_CORPUS lists all its competing accounts (and pairs
counted neither way); every other pair of its proposed statements is apart. The statements
`verify extract` proposes in each text are grouped with each combination of the cosines
verify.ingest.grouping requires per kind of mark (SIMILAR, SIMILAR_NEAR, SIMILAR_SHARED, on a
grid of 0.025 from 0.1 to 0.7), and the pairs of statements put in one group are compared
with the expected ones (F1 over all pairs of statements). It prints the best F1, the middle of
the range of values reaching it (what grouping.py ships), the F1 of the shipped values, and
the same for LEXICAL_SCALE (word overlap standing in for the encoder in a book-length text).
"""

from __future__ import annotations

import itertools
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.news_corpus import GROUPING_CORPUS, NewsText
from verify import embed
from verify.ingest import grouping, pipeline
from verify.match import terms

GRID = [round(0.1 + 0.025 * k, 3) for k in range(25)]
KINDS = {"answer": "SIMILAR", "near": "SIMILAR_NEAR", "shared": "SIMILAR_SHARED"}


@dataclass
class Text:
    n: int
    gold: set[tuple[int, int]]
    pairs: list[tuple[int, int, str, float, float]]
    """(i, j, the name of the threshold its mark needs, cosine, word overlap)."""
    either: set[tuple[int, int]]
    """Pairs counted neither way."""


def _roots(n: int, joined: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in joined:
        parent[root(j)] = root(i)
    return [root(i) for i in range(n)]


def _same(roots: list[int]) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(roots)), 2) if roots[i] == roots[j]}


def prepare(news: NewsText) -> Text:
    cands = pipeline.extract(news.text).candidates
    texts = [c.text for c in cands]

    def at(start: str) -> int:
        found = [k for k, t in enumerate(texts) if t.startswith(start)]
        if not found:
            raise SystemExit(f"not proposed: {start!r}")
        return found[0]

    gold = _same(_roots(len(texts), [(at(a), at(b)) for a, b in news.groups]))
    either = {(min(at(a), at(b)), max(at(a), at(b))) for a, b in news.related}
    vectors = embed.encode(texts) if texts else np.zeros((0, embed.DIMENSIONS))
    words = [set(terms(t)) for t in texts]
    pairs = [
        (
            i,
            j,
            KINDS[kind],
            float(vectors[i] @ vectors[j]),
            len(words[i] & words[j]) / max(1, len(words[i] | words[j])),
        )
        for i, j, kind in grouping.candidate_pairs(texts, [c.speaker for c in cands])
    ]
    return Text(len(texts), gold, pairs, either)


def score(texts: list[Text], values: dict[str, float], lexical: float | None = None) -> float:
    tp = fp = fn = 0
    for t in texts:
        joined = [
            (i, j)
            for i, j, kind, cos, overlap in t.pairs
            if (cos >= values[kind] if lexical is None else overlap >= values[kind] * lexical)
        ]
        said = _same(_roots(t.n, joined)) - t.either
        tp += len(said & t.gold)
        fp += len(said - t.gold)
        fn += len(t.gold - said)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def _middle(results: dict[float, float]) -> tuple[float, float]:
    best = max(results.values())
    return best, statistics.median(v for v, f in results.items() if f >= best - 1e-9)


def main() -> None:
    texts = [prepare(n) for n in GROUPING_CORPUS]
    names = list(KINDS.values())
    results = {
        combo: score(texts, dict(zip(names, combo, strict=True)))
        for combo in itertools.product(GRID, repeat=len(names))
    }
    best = max(results.values())
    winners = [c for c, f in results.items() if f >= best - 1e-9]
    print(f"{len(texts)} texts, {sum(len(t.gold) for t in texts)} pairs of competing accounts")
    print(f"best pair F1 {best:.3f} over {len(winners)} combinations")
    for n, name in enumerate(names):
        values = [c[n] for c in winners]
        print(
            f"  {name}: {min(values)}..{max(values)}, middle {statistics.median(values)}"
            f" (shipped {getattr(grouping, name)})"
        )
    shipped = {name: getattr(grouping, name) for name in names}
    print(f"shipped values: pair F1 {score(texts, shipped):.3f}")
    scales = [round(0.05 * k, 2) for k in range(1, 21)]
    top, middle = _middle({s: score(texts, shipped, lexical=s) for s in scales})
    now = score(texts, shipped, lexical=grouping.LEXICAL_SCALE)
    print(
        f"word overlap instead of the encoder: best F1 {top:.3f}, middle LEXICAL_SCALE {middle}"
        f" (shipped {grouping.LEXICAL_SCALE}: F1 {now:.3f})"
    )


if __name__ == "__main__":
    main()
