"""Hostile input, generated: every command answers with success or one clear line.

Each property runs a modest number of examples in the normal suite; bench/fuzz_campaign.py
runs them 10,000 times each (the `campaign` hypothesis profile).
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import digest
from tests.conftest import SAMPLE
from verify import portable
from verify.report import markdown
from verify.store import Store
from verify.textsafe import clean

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


@functools.cache
def _template() -> Path:
    # Built once per run and copied per input: loading (and encoding) the sample for each of
    # 10,000 inputs would cost most of a campaign without testing anything more.
    path = Path(tempfile.mkdtemp(prefix="verify-fuzz-")) / "template.casebook"
    with Store.open(path) as s:
        portable.import_casebook(s, json.loads(SAMPLE.read_text("utf-8")))
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _book(folder: Path) -> Path:
    path = folder / "fuzz.casebook"
    shutil.copyfile(_template(), path)
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
# A claim's text must hold something once control codes are cleaned out as it enters.
@given(text=hostile_text.filter(lambda t: clean(t).strip() != ""), rationale=hostile_text)
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


ESCAPES = [
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\l\x1b]8;;\x1b\\",
    "\x1b]52;c;eA==\x07",
]
ESCAPES += ["\x9b31m", "\x9d0;t\x9c", "\x1bP$q\x1b\\", "\x1b"]
escape_text = st.lists(
    st.one_of(st.sampled_from(ESCAPES), hostile_text), min_size=1, max_size=6
).map("".join)


@FUZZ
@given(evil=escape_text)
def test_escape_sequences_never_reach_the_terminal(cli, evil: str) -> None:
    from datetime import UTC, datetime

    from verify.models import Claim, Verdict

    now = datetime(2024, 1, 3, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "e.casebook"
        with Store.open(book, actor=evil) as store:
            store.add_claim(
                Claim(
                    id="c-esc1",
                    text=f"x{evil}",
                    claimant=evil,
                    tags=[evil],
                    verdict=Verdict(label=evil or "x", rationale=evil, reviewer=evil, at=now),
                    created=now,
                    updated=now,
                )
            )
        for argv in (["list"], ["show", "c-esc1"], ["match", "x"], ["check"], ["export"]):
            res = cli(*argv, "--casebook", str(book))
            for ch in ("\x1b", "\x9b", "\x9d"):
                assert ch not in res.out and ch not in res.err, argv


@FUZZ
@given(text=hostile_text, name=hostile_text, rationale=hostile_text)
def test_claimreview_never_breaks_out_of_its_script(text: str, name: str, rationale: str) -> None:
    from datetime import UTC, datetime
    from html.parser import HTMLParser

    from verify.models import Claim, Settings, Verdict
    from verify.report import claimreview

    now = datetime(2024, 1, 3, tzinfo=UTC)
    claim = Claim(
        id="c-cr1",
        text=f"{text}</script><script>x</script>",
        claimant=name,
        extra={"url": name, "appearance": [name, {"url": text, "@id": rationale}]},
        verdict=Verdict(label="false", rationale=rationale, reviewer=name, at=now),
        created=now,
        updated=now,
    )
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s.casebook") as store:
        settings_ = Settings(name=name, publisher_name=name, scale=store.settings().scale)
    out = claimreview.export_text([claim], settings_, {})
    starts: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs) -> None:
            starts.append(tag)

    Parser().feed(f'<script type="application/ld+json">{out}</script>')
    assert starts == ["script"]
    data = json.loads(out)[0]
    assert data["claimReviewed"] == claim.text
    for url in [data.get("url")] + [
        a.get("url") for a in data["itemReviewed"].get("appearance", [])
    ]:
        assert url is None or url.startswith(("http://", "https://"))


@FUZZ
@given(
    text=st.text(min_size=1, max_size=200),
    encoding=st.sampled_from(["cp1251", "koi8-r", "latin-1", "utf-16", "utf-8"]),
    declared=st.booleans(),
    html=st.booleans(),
)
def test_declared_charsets_decode_or_refuse_in_one_line(
    text: str, encoding: str, declared: bool, html: bool
) -> None:
    from datetime import UTC, datetime

    from verify.errors import VerifyError
    from verify.ingest import documents

    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return
    media = ("text/html" if html else "text/plain") + (f"; charset={encoding}" if declared else "")
    try:
        archived = documents.archive(raw, "page", media, retrieved=datetime.now(UTC))
    except VerifyError as exc:
        assert "\n" not in str(exc)
        return
    if declared and not html and encoding != "utf-16":
        assert (
            archived.document.text.strip() == text.replace("\r\n", "\n").replace("\r", "\n").strip()
        )


class _Redirector(BaseHTTPRequestHandler):
    """Answers every request with a 302 to `location`, counting the requests it saw."""

    location = ""
    requests: list[str] = []

    def do_GET(self) -> None:
        _Redirector.requests.append(self.path)
        self.send_response(302)
        header = _Redirector.location.encode("latin-1", "replace").decode("latin-1")
        self.send_header("Location", header.replace("\r", "").replace("\n", ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@functools.cache
def _redirect_server() -> int:
    # One server for the whole run: starting and stopping one per input costs half a second
    # each (shutdown waits out the poll interval) and tests nothing more.
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1])


@FUZZ
@given(
    location=st.one_of(
        hostile_text,
        st.sampled_from(
            [
                "ftp://127.0.0.1:9/x",
                "file:///etc/passwd",
                "javascript:x",
                "//evil.example/",
                "data:,x",
                "/loop",
            ]
        ),
    )
)
def test_redirects_to_anything_are_checked_before_following(location: str) -> None:
    from verify.errors import VerifyError
    from verify.ingest.fetch import fetch

    port = _redirect_server()
    _Redirector.location = location
    _Redirector.requests = []
    try:
        fetch(f"http://127.0.0.1:{port}/", timeout=5)
    except VerifyError as exc:
        assert "\n" not in str(exc)
    assert len(_Redirector.requests) <= 6  # the first request and at most five redirects
