"""Hostile input, generated: every command answers with success or one clear line.

Each property runs a modest number of examples in the normal suite; bench/fuzz_campaign.py
runs them 10,000 times each (the `campaign` hypothesis profile).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import digest
from tests.conftest import SAMPLE
from verify import portable
from verify.report import markdown
from verify.store import Store

FRAGMENTS = [
    "\x00",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x9b31m",
    "\u202e",
    "\u2066",
    "[bold]x[/bold]",
    "[@click=app.quit]q[/]",
    "<script>alert(1)</script>",
    "[a](javascript:alert(1))",
    "![i](http://x/y.png)",
    "| a | b |",
    "# h",
    "**b**",
    "`c`",
    "\r\n",
    "\t",
    "\ufeff",
    "The minister said 25 people died.",
    "according to officials,",
    "“quoted,” he said.",
    '{"id": 1, "text": "x"}',
    '{"@type": "ClaimReview"}',
    "\ud7ff",
    "💥",
    "\u0301",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=12
).map("".join)
hostile_bytes = st.one_of(
    st.binary(max_size=400),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(hostile_text, st.binary(max_size=20)).map(lambda p: p[0].encode() + p[1]),
)
deep_json = st.integers(10, 5000).map(lambda n: "[" * n + "]" * n)

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))


def _book(folder: Path) -> Path:
    path = folder / "fuzz.casebook"
    with Store.open(path) as s:
        portable.import_casebook(s, json.loads(SAMPLE.read_text("utf-8")))
    return path


def _assert_clean(res, book: Path | None = None, before: str | None = None) -> None:
    assert res.code in (0, 1), (res.code, res.err)
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    if res.code == 1:
        assert res.err.count("\n") == 1, res.err
        if book is not None:
            assert digest(book) == before


@FUZZ
@given(data=hostile_bytes, suffix=st.sampled_from([".txt", ".md", ".html", ""]))
@example(data=b"x" * (10 * 1024 * 1024), suffix=".txt")  # a 10 MB line
def test_ingest_and_extract(cli, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = _book(folder)
        src = folder / f"input{suffix}"
        src.write_bytes(data)
        before = digest(book)
        _assert_clean(cli("extract", str(src), "--json"))
        _assert_clean(cli("ingest", str(src), "--casebook", str(book)), book, before)


@FUZZ
@given(
    content=st.one_of(
        hostile_text, deep_json, hostile_bytes.map(lambda b: b.decode("utf-8", "replace"))
    ),
    suffix=st.sampled_from([".jsonl", ".json", ".tsv", ".csv"]),
)
def test_import(cli, content: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = _book(folder)
        src = folder / f"feed{suffix}"
        src.write_bytes(content.encode("utf-8", "surrogatepass"))
        before = digest(book)
        _assert_clean(cli("import", str(src), "--casebook", str(book)), book, before)


@FUZZ
@given(source=hostile_bytes, quote=hostile_text)
def test_quote(cli, source: bytes, quote: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "source.txt"
        src.write_bytes(source)
        _assert_clean(cli("quote", "--source", str(src), f"--quote={quote}", "--json"))
        lines = json.dumps({"id": 1, "quote": quote}) + "\n" + quote + "\n"
        _assert_clean(cli("quote", "--source", str(src), stdin=lines))


@FUZZ
@given(text=hostile_text, lines=st.lists(st.one_of(hostile_text, deep_json), max_size=4))
def test_match(cli, sample_path: Path, text: str, lines: list[str]) -> None:
    before = digest(sample_path)
    # "--" ends the options: a query may start with "-".
    _assert_clean(cli("match", "--casebook", str(sample_path), "--", text or " "))
    stdin = "\n".join([json.dumps({"id": "q", "text": text}), *lines]) + "\n"
    _assert_clean(cli("match", "--casebook", str(sample_path), stdin=stdin))
    assert digest(sample_path) == before


@FUZZ
@given(text=hostile_text.filter(lambda t: t.strip() != ""), rationale=hostile_text)
def test_markdown_export_stays_inert(text: str, rationale: str) -> None:
    from datetime import UTC, datetime

    from markdown_it import MarkdownIt

    from verify.models import Account, Claim, Verdict

    now = datetime(2024, 1, 3, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "m.casebook") as store:
        store.add_claim(
            Claim(
                id="c-fuzz",
                text=text,
                claimant=text,
                tags=[text],
                accounts=[Account(id="a-1", statement=text)],
                verdict=Verdict(label="false", rationale=rationale, reviewer=text, at=now),
                created=now,
                updated=now,
            )
        )
        report = markdown.casebook_report(store)
    assert "\x1b" not in report and "\u202e" not in report and "\x00" not in report
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(report)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert html.count("<h1>") == 1 and html.count("<table>") == 3
