"""Peak memory of a JSON-lines import at n and 4n claims: it should not grow with the file.

    python bench/import_memory.py [N]
Writes N and 4N claims (default 10,000) as JSON lines, imports each into a fresh casebook in
its own process, and prints each process's peak RSS (resource.getrusage(RUSAGE_CHILDREN))
and their ratio; 1.0 is flat. The sentence encoder is replaced by a stand-in that returns
fixed unit vectors, so the figure is the import's own memory (streaming, batches, index) and
the run takes minutes instead of hours; the encoder's memory does not depend on the file.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import sys
import numpy as np
from verify import match
from verify.importers import import_file
from verify.store import Store

def stand_in(texts):
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)

match._encode = stand_in
with Store.open(sys.argv[1]) as store:
    print(import_file(store, sys.argv[2]))
"""


def write_claims(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = {
                "id": f"bench-{i}",
                "text": f"Officials said that {i} people were moved from district {i % 97} "
                f"after the flood, a figure others dispute ({i}).",
                "title": f"Fact check {i}",
                "url": f"https://factcheck.example.org/{i}",
                "verdict": "false" if i % 3 else "true",
            }
            fh.write(json.dumps(record) + "\n")


def peak_rss_mb(folder: Path, n: int) -> float:
    src = folder / f"claims-{n}.jsonl"
    write_claims(src, n)
    subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / f"c-{n}.casebook"), str(src)],
        check=True,
        cwd=REPO,
    )
    # Peak of every child waited for so far: run the smaller import first.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        small = peak_rss_mb(Path(tmp), n)
        large = peak_rss_mb(Path(tmp), 4 * n)
    print(f"peak RSS importing {n:,} claims: {small:.0f} MB")
    print(f"peak RSS importing {4 * n:,} claims: {large:.0f} MB")
    print(f"ratio 4n/n: {large / small:.2f} (flat is 1.0)")


if __name__ == "__main__":
    main()
