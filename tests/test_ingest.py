"""Ingest: archive sources, propose attributed check-worthy claims, group competing accounts."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import digest
from tests.conftest import SEED
from verify.ingest import attribution, pipeline, sentences, worthiness
from verify.store import Store


@pytest.fixture(scope="module")
def seed_analysis() -> pipeline.Analysis:
    return pipeline.extract(SEED.read_text("utf-8"))


def _by_start(analysis: pipeline.Analysis, prefix: str) -> pipeline.Candidate:
    return next(c for c in analysis.candidates if c.text.startswith(prefix))


def test_seed_competing_accounts_are_grouped(seed_analysis) -> None:
    gov = _by_start(seed_analysis, "On Saturday, Belgorod Governor")
    ua = _by_start(seed_analysis, "Ukraininan officials said")
    assert gov.speaker == "Belgorod Governor Vyacheslav Gladkov" and gov.verb == "said"
    assert ua.speaker == "Ukraininan officials" and ua.anonymous
    assert gov.group == ua.group
    official = _by_start(seed_analysis, "Officials said the round-up")
    informed = _by_start(seed_analysis, "However, an “informed source”")
    assert official.group == informed.group
    assert informed.anonymous and "informed source" in (informed.speaker or "")
    # Unrelated statements stay apart.
    zal = _by_start(seed_analysis, "The head of Ukraine’s military")
    assert zal.group not in (gov.group, official.group)
    assert len({c.group for c in seed_analysis.candidates if c.group == gov.group}) == 1


def test_seed_attribution_forms(seed_analysis) -> None:
    text = SEED.read_text("utf-8")
    zal = _by_start(seed_analysis, "The head of Ukraine’s military")
    assert zal.speaker == "Gen. Valerii Zalushnyi"
    assert text[zal.start : zal.end] == zal.text  # spans index the document text
    # "Kira Rudik ... posted:" attributes the post that follows.
    post = _by_start(seed_analysis, "In the past week, Russia’s attacks")
    assert post.speaker == "Kira Rudik" and post.verb == "posted"
    # "he continued ...:" resolves to the last named speaker.
    appeal = _by_start(seed_analysis, "Each additional air defense system")
    assert appeal.speaker == "Ukraine President Volodymyr Zelenskiy"
    trailing = _by_start(seed_analysis, "One person was killed")
    assert trailing.speaker == "Russian authorities" and trailing.anonymous


def test_headers_and_captions_are_not_claims(seed_analysis) -> None:
    texts = [c.text for c in seed_analysis.candidates]
    assert not any(t.startswith("UPDATE") or t.startswith("Map:") for t in texts)
    assert not any(t.startswith("A school in Ukraine’s second city") for t in texts)


@pytest.mark.parametrize(
    "sentence, speaker, verb",
    [
        ("“We will rebuild,” the mayor said.", "the mayor", "said"),
        (
            "The strike hit a school, according to regional governor Oleh Synehubov.",
            "regional governor Oleh Synehubov",
            "according to",
        ),
        (
            "Gen. Mark Milley told reporters the U.S. would send 31 tanks.",
            "Gen. Mark Milley",
            "told",
        ),
        ("The ministry claimed that 40 drones were shot down.", "The ministry", "claimed"),
        ("Prices rose 4% in March.", None, None),
    ],
)
def test_attribution_patterns(sentence: str, speaker: str | None, verb: str | None) -> None:
    found = attribution.attribute(sentence)
    assert (found.speaker, found.verb) == (speaker, verb)


def test_sentence_offsets_survive_abbreviations() -> None:
    text = (
        "UPDATE 0743 GMT:\n\nGen. Valerii Zalushnyi said the U.S. systems worked. "
        "He added: “It is a record.” Then the sirens stopped."
    )
    split = sentences.split(text)
    assert [s.text for s in split][:3] == [
        "UPDATE 0743 GMT:",
        "Gen. Valerii Zalushnyi said the U.S. systems worked.",
        "He added: “It is a record.”",
    ]
    assert all(text[s.start : s.end] == s.text for s in split)


def test_checkworthiness_scores() -> None:
    assert worthiness.score("The unemployment rate fell to 3.5 percent last year.") > 0.8
    assert worthiness.score("Thank you all, and good night.") < 0.2
    figures = worthiness.cross_validation()
    assert figures["f1"] >= 0.8 and set(figures) >= {"precision", "recall", "f1"}


def test_the_encoder_settles_what_the_word_model_is_unsure_of() -> None:
    unsure = "We have lost more jobs in this state than anywhere else."
    word = worthiness.word_score(unsure)
    assert worthiness.UNSURE[0] <= word <= worthiness.UNSURE[1]
    (encoder,) = worthiness.encoder_scores([unsure])
    assert 0 <= encoder <= 1
    assert worthiness.score(unsure) == pytest.approx((word + encoder) / 2)
    sure = "Thank you all, and good night."
    assert worthiness.score(sure) == worthiness.word_score(sure)


def test_a_long_text_has_only_its_most_uncertain_share_rescored() -> None:
    assert sorted(worthiness.to_rescore([0.1, 0.55, 0.9, 0.45, 0.3])) == [1, 3, 4]
    many = [0.2 + 0.6 * i / 2000 for i in range(2000)]  # all unsure
    chosen = worthiness.to_rescore(many)
    assert len(chosen) == 500  # a quarter, the ones nearest 0.5
    cutoff = sorted(abs(p - 0.5) for p in many)[499]
    assert all(abs(many[i] - 0.5) <= cutoff for i in chosen)


def test_ingest_stores_proposed_claims_and_is_idempotent(cli, tmp_path: Path) -> None:
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    first = cli("ingest", str(SEED), "--json", *cb)
    assert first.code == 0, first.err
    result = first.json_lines()[0]
    assert result["new_document"] and result["claims"] and result["candidates"] >= 20
    before = digest(tmp_path / "c.casebook")
    again = cli("ingest", str(SEED), *cb)
    assert again.code == 0 and "already archived" in again.err
    assert digest(tmp_path / "c.casebook") == before
    with Store.open(tmp_path / "c.casebook") as s:
        proposed = s.summaries(status="proposed")
        assert len(proposed) == len(result["claims"])
        belgorod = next(r for r in proposed if r.text.startswith("On Saturday, Belgorod"))
        claim = s.get_claim(belgorod.id)
        assert [a.statement[:20] for a in claim.accounts] == [
            "On Saturday, Belgoro",
            "Ukraininan officials",
        ]
        assert s.get_source(claim.accounts[1].source_id).anonymous  # type: ignore[arg-type]
        doc = s.get_document(result["document"])
        origin = claim.accounts[0].origin
        assert origin is not None and origin.position is not None
        assert doc.text[origin.position.start : origin.position.end] == claim.accounts[0].statement
    assert "0 damaged" in cli("check", *cb).out


def test_matching_candidate_joins_the_existing_claim(cli, tmp_path: Path) -> None:
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    cli("ingest", str(SEED), *cb)
    other = tmp_path / "other.txt"
    other.write_text(
        "Kyiv, 3 January.\n\nThe European Union has sanctioned the Russian State "
        "firm Alrosa, the world’s largest diamond mining company, and its chief "
        "executive officer Pavel Marinychev, Brussels officials said.\n",
        "utf-8",
    )
    res = cli("ingest", str(other), "--json", *cb).json_lines()[0]
    assert res["claims"] == [] and res["attached"] == 1


def test_html_goes_through_trafilatura(cli, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Dam report</title></head><body><nav>Home | News</nav><article>"
        "<h1>Dam report</h1><p>The regional water authority said on Monday that the reservoir "
        "had fallen to 38 per cent of capacity, its lowest level since 1974.</p><p>Farmers "
        "disputed the figure, saying an independent survey put it at 45 per cent.</p>"
        "</article><footer>Cookie policy</footer></body></html>",
        "utf-8",
    )
    out = cli("extract", str(page), "--json")
    assert out.code == 0, out.err
    texts = [c["text"] for c in out.json_lines()]
    assert any("38 per cent" in t for t in texts) and not any("Cookie" in t for t in texts)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/image":
            body, kind = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"
        else:
            body = (
                b"<html><body><article><p>Officials said 1,200 homes were flooded on "
                b"Sunday in the river valley.</p></article></body></html>"
            )
            kind = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_ingest_and_url_errors(cli, tmp_path: Path, local_server: str) -> None:
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    ok = cli("ingest", f"{local_server}/story", "--json", *cb)
    assert ok.code == 0, ok.err
    assert ok.json_lines()[0]["address"].startswith(local_server)
    before = digest(tmp_path / "c.casebook")
    image = cli("ingest", f"{local_server}/image", *cb)
    assert image.code == 1 and "not text or HTML" in image.err
    down = cli("ingest", "http://127.0.0.1:9/nothing", *cb)
    assert down.code == 1 and "cannot reach" in down.err
    assert cli("ingest", "ftp://example.org/x", *cb).code == 1
    assert digest(tmp_path / "c.casebook") == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "NUL bytes"),
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"A line with a NUL\x00 inside.", "NUL bytes"),
    ],
)
def test_bad_files_change_nothing(cli, tmp_path: Path, content: bytes, message: str) -> None:
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    cli("ingest", str(SEED), *cb)
    before = digest(tmp_path / "c.casebook")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    res = cli("ingest", str(SEED), str(bad), *cb)  # the good one is not written either
    assert res.code == 1 and message in res.err and res.err.count("\n") == 1
    assert digest(tmp_path / "c.casebook") == before


def test_directory_and_huge_file(cli, tmp_path: Path) -> None:
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    assert "is a directory" in cli("ingest", str(tmp_path), *cb).err
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    res = cli("extract", str(huge))
    assert res.code == 1 and "larger than" in res.err


def test_invalid_utf8_is_replaced_and_reported(cli, tmp_path: Path) -> None:
    src = tmp_path / "latin1.txt"
    src.write_bytes(
        "The mayor said 25 people were evacuated from the caf\xe9 district on "
        "Monday night.\n".encode("latin-1")
    )
    res = cli("extract", str(src), "--json")
    assert res.code == 0 and "not valid UTF-8" in res.err and "replaced" in res.err
    assert "\ufffd" in res.json_lines()[0]["text"]


def test_stdin_ingest(cli, tmp_path: Path) -> None:
    res = cli(
        "ingest",
        "-",
        "--json",
        "--casebook",
        str(tmp_path / "c.casebook"),
        stdin="The minister said unemployment fell to 4.1 per cent in March.\n",
    )
    assert res.code == 0 and res.json_lines()[0]["address"] == "stdin"


def test_url_and_file_evidence_are_archived(
    sample: Store, tmp_path: Path, local_server: str
) -> None:
    from verify import evidence
    from verify.errors import VerifyError
    from verify.evidence import EvidenceDraft
    from verify.models import EvidenceKind

    page = evidence.from_draft(
        sample, EvidenceDraft(EvidenceKind.url, url=f"{local_server}/story", credibility=2)
    )
    assert page.kind is EvidenceKind.url and page.document_id
    assert "1,200 homes" in sample.get_document(page.document_id).text
    scan = tmp_path / "statement.pdf"
    scan.write_bytes(b"%PDF-1.4 binary \x00\x01 body")
    copied = evidence.from_draft(sample, EvidenceDraft(EvidenceKind.file, path=str(scan)))
    assert copied.file_name == "statement.pdf" and copied.document_id
    assert sample.document_raw(copied.document_id) == scan.read_bytes()
    with pytest.raises(VerifyError, match="cannot reach"):
        evidence.from_draft(sample, EvidenceDraft(EvidenceKind.url, url="http://127.0.0.1:9/x"))
    with pytest.raises(VerifyError, match="http"):
        evidence.from_draft(sample, EvidenceDraft(EvidenceKind.url, url="file:///etc/passwd"))
