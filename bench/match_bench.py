"""`verify match` at 100,000 claims against a brute-force rapidfuzz scan of the same claims.

    python bench/match_bench.py [N]
Budget: a query takes at most 10% of a `token_set_ratio` scan over all claims; also prints the
time to build the index for N claims (it is built as claims are written).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import median_seconds
from bench.casebooks import build
from verify.store import Store

QUERIES = [
    "Obama released 122 Guantanamo detainees who went back to terrorism",
    "Charlotte protesters arrested had out of state IDs",
    "Wombats are herding animals into their burrows to escape Australian fires",
    "Trump laughed when someone at a rally said shoot the migrants",
    "More people watched the State of the Union than the Super Bowl",
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.casebook"
        t0 = time.perf_counter()
        build(path, n, encode=True)
        print(
            f"built and indexed {n} claims in {time.perf_counter() - t0:.1f} s "
            "(one import; postings and encoder vectors are written with the claims)"
        )
        with Store.open(path) as store:
            texts = [t for (t,) in store.conn.execute("SELECT text FROM claims")]
            ours = [median_seconds(lambda q=q: store.similar(q, top=5), 5) for q in QUERIES]
            brute = [
                median_seconds(
                    lambda q=q: process.extract(q, texts, scorer=fuzz.token_set_ratio, limit=5), 3
                )
                for q in QUERIES
            ]
        verify = Path(sys.executable).parent / "verify"
        whole = median_seconds(
            lambda: subprocess.run(
                [str(verify), "match", QUERIES[0], "--casebook", str(path)],
                capture_output=True,
                check=True,
            ),
            5,
        )
    ratio = sum(ours) / sum(brute)
    print(
        f"query (median per query, mean of {len(QUERIES)}): {1000 * sum(ours) / len(ours):.1f} ms;"
        f" brute-force token_set_ratio scan: {1000 * sum(brute) / len(brute):.1f} ms"
    )
    print(f"ratio {ratio:.3f} (budget 0.10)")
    print(f"whole `verify match` process at {n} claims: {whole * 1000:.0f} ms")


if __name__ == "__main__":
    main()
