"""The sentence encoder: milliseconds a claim and closeness to the original model.

    python bench/encoder_bench.py [--against REF] [--claims N] [--rounds R]
Encodes N claims (the CLEF verified claims when ../shared has them) through
`verify.embed.encode`, as an import does, and the reference sentences of tests/reference/
(cosine to the original all-MiniLM-L6-v2 there). With --against, the encoder of git revision
REF runs the same work in the same rounds, alternating, so today's figure and the new one
come from one run on the same machine load. Budget: 2 ms a claim; mean cosine >= 0.998.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import base_texts
from bench.startup_bench import tree_of

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]
sys.path.insert(0, sys.argv[1])
import numpy as np
from verify import embed
texts = json.load(open(sys.argv[2]))
reference = json.load(open(sys.argv[3]))
original = np.load(sys.argv[4]).astype(np.float32)
original /= np.linalg.norm(original, axis=1, keepdims=True)
t0 = time.perf_counter()
embed.encode(["warm up"])
load = time.perf_counter() - t0
t0 = time.perf_counter()
embed.encode(texts)
seconds = time.perf_counter() - t0
cosines = np.sum(embed.encode(reference) * original, axis=1)
print(json.dumps({"load": load, "seconds": seconds, "mean": float(cosines.mean()),
                  "min": float(cosines.min())}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", metavar="REF")
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    opts = parser.parse_args()
    reference = ROOT / "tests" / "reference"
    with tempfile.TemporaryDirectory() as tmp:
        texts = [t for t, _ in base_texts()][: opts.claims]
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts))
        trees = {"now": ROOT}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        best: dict[str, dict[str, float]] = {}
        for _ in range(opts.rounds):
            for name, tree in trees.items():
                out = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        CHILD,
                        str(tree),
                        str(texts_file),
                        str(reference / "sentences.json"),
                        str(reference / "minilm.npy"),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                got = json.loads(out.stdout.splitlines()[-1])
                if name not in best or got["seconds"] < best[name]["seconds"]:
                    best[name] = got
        print(f"{len(texts)} claims, best of {opts.rounds} rounds")
        for name, got in best.items():
            ms = got["seconds"] / len(texts) * 1000
            line = (
                f"{name:>8}: {ms:6.2f} ms a claim, load {got['load']:.2f} s, cosine to the "
                f"original mean {got['mean']:.5f} min {got['min']:.4f}"
            )
            if name != "now":
                line += f"; now is {got['seconds'] / best['now']['seconds']:.2f}x faster"
            print(line)


if __name__ == "__main__":
    main()
