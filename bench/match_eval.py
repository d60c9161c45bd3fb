"""Claim matching quality on CLEF CheckThat! 2020 task 2 (../shared/eval/claim-matching).

    python bench/match_eval.py [dev|train]
Loads the 10,375 verified claims into a scratch casebook through `verify import`'s own code,
runs every query through the same search `verify match` uses, and prints MAP@5, recall@1 and
recall@5, beside plain BM25 and BM25 re-ranked by wording alone. `--sweep` prints MAP@5 for
several weights of meaning (run it on train: that is where the shipped weight was chosen).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "claim-matching"

from verify.importers import Record, add_claims, records_to_claims  # noqa: E402
from verify.match import ranking  # noqa: E402
from verify.store import Store  # noqa: E402


def load_claims() -> list[Record]:
    with (DATA / "verified_claims.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [Record(ref=r[0], text=r[1], fields={"title": r[2]}) for r in rows[1:] if r[1].strip()]


def load_queries(split: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    with (DATA / split / "tweets.queries.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    queries = {r[0]: r[1] for r in rows[1:]}
    gold: dict[str, set[str]] = {}
    for line in (DATA / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        qid, _, vid, rel = line.split()
        if rel != "0":
            gold.setdefault(qid, set()).add(vid)
    return queries, gold


def evaluate(
    store: Store, queries: dict[str, str], gold: dict[str, set[str]], **weights: float
) -> dict[str, float]:
    saved = {name: getattr(ranking, name) for name in weights}
    for name, value in weights.items():
        setattr(ranking, name, value)
    ap = r1 = r5 = 0.0
    try:
        for qid, text in queries.items():
            refs = [m.ref for m in store.similar(text, top=5)]
            wanted = gold.get(qid, set())
            hits = 0
            precisions = []
            for rank, ref in enumerate(refs, 1):
                if ref in wanted:
                    hits += 1
                    precisions.append(hits / rank)
            ap += sum(precisions) / min(len(wanted), 5) if wanted else 0
            r1 += bool(refs[:1] and refs[0] in wanted)
            r5 += bool(wanted & set(refs))
    finally:
        for name, value in saved.items():
            setattr(ranking, name, value)
    n = len(queries)
    return {"MAP@5": ap / n, "recall@1": r1 / n, "recall@5": r5 / n}


VARIANTS = {
    "BM25 only": {"NGRAM_WEIGHT": 0.0, "PARTIAL_WEIGHT": 0.0, "MEANING_WEIGHT": 0.0},
    "BM25 + wording": {"MEANING_WEIGHT": 0.0},
    "BM25 + wording + meaning": {},
}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    split = args[0] if args else "dev"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "eval.casebook")
        t0 = time.perf_counter()
        add_claims(store, records_to_claims(store, load_claims()), "verified_claims.tsv")
        print(f"indexed {store.count_claims()} claims in {time.perf_counter() - t0:.1f} s")
        queries, gold = load_queries(split)
        if "--sweep" in sys.argv:
            for weight in (1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.0):
                fig = evaluate(store, queries, gold, MEANING_WEIGHT=weight)
                print(f"{split} meaning weight {weight:3.1f}: MAP@5 {fig['MAP@5']:.3f}")
            store.close()
            return
        for name, weights in VARIANTS.items():
            fig = evaluate(store, queries, gold, **weights)
            print(
                f"{split} {name:26s} MAP@5 {fig['MAP@5']:.3f}  recall@1 {fig['recall@1']:.3f}"
                f"  recall@5 {fig['recall@5']:.3f}  ({len(queries)} queries)"
            )
        store.close()


if __name__ == "__main__":
    main()
