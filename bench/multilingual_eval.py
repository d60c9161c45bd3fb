"""Russian and Ukrainian quality on the dev data in ../shared/eval/multilingual.

    python bench/multilingual_eval.py [language] [split] [encoder] [match] [attribution]
language     share of NTREX lines (en, ru, uk) and dev sentences given the right language.
split        sentence boundary precision, recall, F1: FactRuEval (ru), NER-UK ng (uk).
encoder      NTREX cross-language retrieval with verify.lang.encoder alone: each line of one
             language finds its translation among all 1,997 lines of the other; recall@1,
             recall@5, MRR per direction, on the report lines (1006-1997; 1-1005 were for
             tuning) and on their reported-speech subset.
match        the same through `verify match`'s search: the English lines as claims in a
             scratch casebook, each Russian or Ukrainian report line as a query.
attribution  source / cue / content on the 208 tagged Russian sentences (SynTagRus).
events       the cross-language thresholds competing accounts need (verify.ingest.grouping
             ACROSS_SHORTLIST, ACROSS): NTREX translations (one content in two languages)
             against other lines of the same document in the other language (same topic,
             other content), by the multilingual encoder and by the re-ranker; per language
             pair, of the pairs of thresholds (either cosine admits) letting through at most
             1% of those on the tuning lines (1-1005), the one admitting most translations
             there; then measured on the report lines, beside the encoder alone.
With no argument, all of them.
"""

from __future__ import annotations

import csv
import glob
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "multilingual"
NTREX = DATA / "ntrex"
FILES = {
    "en": "newstest2019-src.eng.txt",
    "ru": "newstest2019-ref.rus.txt",
    "uk": "newstest2019-ref.ukr.txt",
}
REPORT_FROM = 1006
"""First line (1-based) of NTREX's report half: documents from newsweek.51300 on."""


def ntrex(lang: str) -> list[str]:
    return (NTREX / FILES[lang]).read_text(encoding="utf-8").splitlines()


def reported_lines() -> set[int]:
    with (NTREX / "reported_speech_lines.tsv").open(encoding="utf-8", newline="") as fh:
        return {int(r["line"]) for r in csv.DictReader(fh, delimiter="\t")}


def bench_language() -> None:
    from verify.lang import language

    for lang in FILES:
        lines = ntrex(lang)
        right = sum(language(line) == lang for line in lines)
        print(f"language  NTREX {lang}: {right / len(lines):.4f} of {len(lines)} lines")
    uk = [
        line
        for path in sorted(glob.glob(str(DATA / "ner-uk-v2-dev" / "ng" / "*.txt")))
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    print(f"language  NER-UK uk: {sum(language(s) == 'uk' for s in uk) / len(uk):.4f}")


def _gold_factrueval() -> list[tuple[str, set[int]]]:
    out = []
    for path in sorted(glob.glob(str(DATA / "factrueval2016-dev" / "*.tokens"))):
        text = Path(path[: -len(".tokens")] + ".txt").read_text(encoding="utf-8")
        gold: set[int] = set()
        last = None
        for line in Path(path).read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                if last is not None:
                    gold.add(last)
                last = None
                continue
            _, start, length, _ = line.split(" ", 3)
            last = int(start) + int(length)
        if last is not None:
            gold.add(last)
        out.append((text, gold))
    return out


def _gold_ner_uk() -> list[tuple[str, set[int]]]:
    out = []
    for path in sorted(glob.glob(str(DATA / "ner-uk-v2-dev" / "ng" / "*.txt"))):
        raw = Path(path).read_text(encoding="utf-8")
        gold: set[int] = set()
        pos = 0
        for line in raw.split("\n"):
            if line.strip():
                gold.add(pos + len(line.rstrip()))
            pos += len(line) + 1
        out.append((raw.replace("\n", " "), gold))
    return out


def bench_split() -> None:
    from verify.ingest import sentences

    for name, docs in (("FactRuEval ru", _gold_factrueval()), ("NER-UK ng uk", _gold_ner_uk())):
        tp = fp = fn = perfect = 0
        for text, gold in docs:
            found = {s.end for s in sentences.split(text)}
            tp += len(found & gold)
            fp += len(found - gold)
            fn += len(gold - found)
            perfect += found == gold
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(
            f"split     {name}: boundary P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}, "
            f"{perfect / len(docs):.2f} of {len(docs)} documents split perfectly"
        )


def _ranks(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    right = scores[np.arange(len(gold)), gold]
    return 1 + (scores > right[:, None]).sum(axis=1)


def _print_ranks(label: str, ranks: np.ndarray) -> None:
    print(
        f"{label}: recall@1 {np.mean(ranks == 1):.3f}  recall@5 {np.mean(ranks <= 5):.3f}"
        f"  MRR {np.mean(1 / ranks):.3f}  ({len(ranks)} queries)"
    )


def bench_encoder() -> None:
    from verify.lang import encoder

    t0 = time.perf_counter()
    vectors = {lang: encoder.encode(ntrex(lang)) for lang in FILES}
    took = time.perf_counter() - t0
    print(f"encoder   {3 * len(vectors['en'])} lines encoded in {took:.1f} s")
    report = np.arange(REPORT_FROM - 1, len(vectors["en"]))
    speech = np.array([i - 1 for i in sorted(reported_lines()) if i >= REPORT_FROM])
    for q, c in (("ru", "en"), ("uk", "en"), ("en", "ru"), ("en", "uk")):
        scores = vectors[q] @ vectors[c].T
        ranks = _ranks(scores[report], report)
        _print_ranks(f"encoder   {q}->{c} report lines", ranks)
        if q != "en":
            _print_ranks(f"encoder   {q}->{c} reported speech", _ranks(scores[speech], speech))


def bench_match() -> None:
    from verify.importers import Record, add_claims, records_to_claims
    from verify.store import Store

    english = ntrex("en")
    speech = [i for i in sorted(reported_lines()) if i >= REPORT_FROM]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "eval.casebook")
        records = [Record(ref=str(i), text=t, fields={}) for i, t in enumerate(english, 1)]
        t0 = time.perf_counter()
        add_claims(store, records_to_claims(store, records), "ntrex")
        took = time.perf_counter() - t0
        print(f"match     {len(english)} English claims imported in {took:.1f} s")
        for lang in ("ru", "uk"):
            lines = ntrex(lang)
            ranks = []
            t0 = time.perf_counter()
            for i in speech:
                refs = [m.ref for m in store.similar(lines[i - 1], top=5)]
                ranks.append(refs.index(str(i)) + 1 if str(i) in refs else 10**6)
            took = (time.perf_counter() - t0) / len(speech)
            r = np.array(ranks)
            print(
                f"match     {lang}->en reported speech: recall@1 {np.mean(r == 1):.3f}  "
                f"MAP@5 {np.mean(np.where(r <= 5, 1 / r, 0)):.3f}  ({len(r)} queries, "
                f"{took * 1000:.0f} ms each)"
            )
        store.close()


def _tagged_sentences() -> list[tuple[str, list[tuple[str, str]]]]:
    """(sentence, [(token, tag)]) for the 208 tagged Russian sentences."""
    base = DATA / "ru-attribution-syntagrus"
    with (base / "ru_sentences.tsv").open(encoding="utf-8", newline="") as fh:
        sentences = list(csv.DictReader(fh, delimiter="\t"))
    tokens: dict[str, list[tuple[str, str]]] = {}
    with (base / "ru_tokens.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            tokens.setdefault(row["sentence_num"], []).append((row["text"], row["tags"]))
    return [(s["sentences"], tokens.get(s["sentence_id"], [])) for s in sentences]


def bench_attribution() -> None:
    from verify.lang.attribution_ru import token_roles

    rows = _tagged_sentences()
    for half, part in (("dev (even)", rows[0::2]), ("test (odd)", rows[1::2])):
        counts = {role: [0, 0, 0] for role in ("source", "cue", "content")}
        detect = [0, 0, 0]
        for sentence, tokens in part:
            predicted = token_roles(sentence, [t for t, _ in tokens])
            gold = [tag for _, tag in tokens]
            has_gold = any(g != "None" for g in gold)
            has_pred = any(p != "None" for p in predicted)
            detect[0] += has_gold and has_pred
            detect[1] += has_pred and not has_gold
            detect[2] += has_gold and not has_pred
            for g, p in zip(gold, predicted, strict=True):
                for role, c in counts.items():
                    c[0] += g == role and p == role
                    c[1] += p == role and g != role
                    c[2] += g == role and p != role
        print(f"attrib    {half}: detection F1 {_f1(*detect)}  ({len(part)} sentences)")
        for role, c in counts.items():
            print(f"attrib    {half}: {role:8s} token F1 {_f1(*c)}")


def _document_pairs(lines: range) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) line indexes of different lines of one document, within `lines`."""
    docs = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    a, b = np.meshgrid(np.array(lines), np.array(lines), indexing="ij")
    keep = (a != b) & (np.array(docs)[a] == np.array(docs)[b])
    return a[keep], b[keep]


def _across_vectors(lang: str) -> tuple[np.ndarray, np.ndarray]:
    """NTREX lines of `lang` by both models: the multilingual encoder's, the re-ranker's."""
    from verify.lang import encoder, reranker

    lines = ntrex(lang)
    return encoder.encode(lines), reranker.encode(lines)


def _least_across(same: np.ndarray, other: np.ndarray, floor: float) -> tuple[float, float]:
    """The two cosines (encoder, re-ranker) either of which admits a pair: of the pairs that
    let through at most 1% of `other` (same-topic, other-content pairs), the one admitting
    most of `same` (translations). Rows of both: encoder cosines, re-ranker cosines."""
    allowed = int(0.01 * other.shape[1])
    best = (-1.0, 1.0, 1.0)
    for a in (1.0, *np.unique(np.round(other[0], 3))[::-1]):
        rest = np.sort(other[1][other[0] < a])[::-1]
        left = allowed - int(np.sum(other[0] >= a))
        if left < 0:
            break
        b = float(rest[left]) + 1e-6 if left < len(rest) else -1.0
        share = float(np.mean((same[0] >= a) | ((same[1] >= b) & (same[0] >= floor))))
        if share > best[0]:
            best = (share, float(a), b)
    return round(best[1], 3), round(best[2], 3)


def bench_events() -> None:
    from verify.ingest import grouping

    t0 = time.perf_counter()
    vectors = {lang: _across_vectors(lang) for lang in FILES}
    took = time.perf_counter() - t0
    print(f"events    {3 * len(vectors['en'][0])} lines encoded by both models in {took:.0f} s")
    tune = range(REPORT_FROM - 1)
    report = range(REPORT_FROM - 1, len(vectors["en"][0]))
    pairs = (("en", "ru"), ("en", "uk"), ("ru", "uk"))

    def cosines(p: str, q: str, lines: range) -> tuple[np.ndarray, np.ndarray]:
        """(translation pairs, pairs of different lines of one document) x (shortlist cosine,
        re-ranker cosine): arrays of shape (2, pairs)."""
        i, j = _document_pairs(lines)
        rows = list(lines)
        same = [np.einsum("ij,ij->i", vectors[p][m][rows], vectors[q][m][rows]) for m in (0, 1)]
        other = [np.einsum("ij,ij->i", vectors[p][m][i], vectors[q][m][j]) for m in (0, 1)]
        return np.array(same), np.array(other)

    # The shortlist keeps what 99% of translations reach (a floor, not the decision).
    floor = float(np.quantile(np.concatenate([cosines(p, q, tune)[0][0] for p, q in pairs]), 0.01))
    print(
        f"events    shortlist chosen on tuning lines: {floor:.3f}; "
        f"in use: {grouping.ACROSS_SHORTLIST}"
    )
    # For comparison: the multilingual encoder alone, by the same rule over the three pairs.
    alone = float(np.quantile(np.concatenate([cosines(p, q, tune)[1][0] for p, q in pairs]), 0.99))
    admitted, wrong = [], []
    for p, q in pairs:
        same, other = cosines(p, q, tune)
        least = _least_across(same, other, floor)
        print(
            f"events    {p}-{q} chosen on tuning lines: encoder {least[0]:.3f} or re-ranker "
            f"{least[1]:.3f}; in use: {grouping.ACROSS[(p, q)]}"
        )
        same, other = cosines(p, q, report)

        def passes(c: np.ndarray, p: str = p, q: str = q) -> np.ndarray:
            return np.array(
                [grouping.close_across(p, q, float(a), float(b)) for a, b in c.T], dtype=bool
            )

        admitted.append(np.mean(passes(same)))
        wrong.append(passes(other))
        print(
            f"events    report {p}-{q}: translations admitted {admitted[-1]:.3f}, different "
            f"lines of one document {np.mean(wrong[-1]):.4f} of {len(wrong[-1])}; the "
            f"multilingual encoder alone at {alone:.3f}: {np.mean(same[0] >= alone):.3f}, "
            f"{np.mean(other[0] >= alone):.4f}"
        )
    print(
        f"events    report: different lines of one document admitted "
        f"{np.mean(np.concatenate(wrong)):.4f} of {sum(map(len, wrong))}"
    )


def _f1(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{f:.3f} (P {p:.3f} R {r:.3f})"


BENCHES = {
    "language": bench_language,
    "split": bench_split,
    "encoder": bench_encoder,
    "match": bench_match,
    "attribution": bench_attribution,
    "events": bench_events,
}


def main() -> None:
    if not DATA.exists():
        sys.exit(f"needs {DATA} (the shared evaluation data beside the checkout)")
    names = sys.argv[1:] or list(BENCHES)
    for name in names:
        if name not in BENCHES:
            sys.exit(f"unknown part {name!r}; choose from {', '.join(BENCHES)}")
        BENCHES[name]()


if __name__ == "__main__":
    main()
