"""Imports: validated as stored, streamed in batches, one undoable action, no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import digest
from tests.conftest import SAMPLE
from verify import importers, importlog
from verify.errors import VerifyError
from verify.models import Event
from verify.store import Store

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""


def _deep(levels: int) -> object:
    value: object = "bottom"
    for _ in range(levels):
        value = {"a": value}
    return value


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _undo(path: Path) -> Event | None:
    with Store.open(path) as s:
        return s.undo()


def _counts(path: Path) -> tuple[int, int, int]:
    with Store.open(path) as s:
        return s.count_claims(), len(s.sources()), len(s.documents())


def test_a_record_too_deep_to_read_back_is_refused(cli, sample_path: Path, tmp_path) -> None:
    src = _jsonl(
        tmp_path / "deep.jsonl",
        [{"id": "ok", "text": "Fine."}, {"id": "deep", "text": "Deep.", "x": _deep(199)}],
    )
    before = digest(sample_path)
    res = cli("import", str(src), "--casebook", str(sample_path))
    assert res.code == 1 and res.err.count("\n") == 1
    assert "record deep:" in res.err and "line 2" in res.err
    assert digest(sample_path) == before
    # Every command that reads the casebook still works.
    assert cli("check", "--casebook", str(sample_path)).code == 0
    assert cli("export", "--format", "json", "--casebook", str(sample_path)).code == 0


def test_a_portable_claim_too_deep_to_read_back_is_refused(cli, tmp_path) -> None:
    data = json.loads(SAMPLE.read_text("utf-8"))
    data["claims"][0]["extra"] = {"x": _deep(199)}
    src = tmp_path / "deep.json"
    src.write_text(json.dumps(data))
    res = cli("import", str(src), "--casebook", str(tmp_path / "new.casebook"))
    assert res.code == 1 and "claims[0]" in res.err and res.err.count("\n") == 1


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d["documents"][0].update(text="Something else."), "documents[0]: its"),
        (lambda d: d["documents"].clear(), "which is neither in the file nor in the casebook"),
        (
            lambda d: next(c for c in d["claims"] if c["verdict"])["verdict"].update(
                label="pants-on-fire"
            ),
            "verdict 'pants-on-fire' is not on the casebook's rating scale",
        ),
    ],
)
def test_portable_imports_refuse_inconsistent_records(cli, tmp_path, damage, message) -> None:
    data = json.loads(SAMPLE.read_text("utf-8"))
    damage(data)
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data))
    casebook = tmp_path / "new.casebook"
    cli("config", "set", "name", "Desk", "--casebook", str(casebook))
    before = digest(casebook)
    res = cli("import", str(src), "--casebook", str(casebook))
    assert res.code == 1 and message in res.err and res.err.count("\n") == 1
    assert digest(casebook) == before


def test_a_portable_import_is_one_event_and_one_undo(cli, tmp_path) -> None:
    casebook = tmp_path / "new.casebook"
    cli("config", "set", "name", "Desk", "--casebook", str(casebook))
    before = digest(casebook)
    assert cli("import", str(SAMPLE), "--casebook", str(casebook)).code == 0
    claims, sources, documents = _counts(casebook)
    assert claims and sources and documents
    with Store.open(casebook) as s:
        imports = [e for e in s.events() if importlog.is_import(e.target)]
    assert len(imports) == 1 and imports[0].action == "import"
    assert _undo(casebook) is not None
    assert _counts(casebook) == (0, 0, 0)
    assert cli("check", "--casebook", str(casebook)).code == 0
    with Store.open(casebook) as s, pytest.raises(VerifyError, match="import the file again"):
        s.redo()
    # Importing again restores it all.
    assert cli("import", str(SAMPLE), "--casebook", str(casebook)).code == 0
    assert _counts(casebook) == (claims, sources, documents)
    assert before != digest(casebook)


def test_undo_of_an_import_refuses_when_its_claims_changed_since(cli, tmp_path) -> None:
    casebook = tmp_path / "c.casebook"
    src = _jsonl(tmp_path / "a.jsonl", [{"id": f"r{i}", "text": f"Claim {i}."} for i in range(3)])
    assert cli("import", str(src), "--casebook", str(casebook)).code == 0
    with Store.open(casebook) as s:
        claim_id = s.find_by_ref("r1")
    assert cli("verdict", claim_id, "false", "--casebook", str(casebook)).code == 0
    assert _undo(casebook).action == "claim.verdict"  # type: ignore[union-attr]
    assert _undo(casebook).action == "import"  # type: ignore[union-attr]
    assert _counts(casebook)[0] == 0


def test_a_streamed_import_is_written_in_batches_undone_as_one(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importers, "BATCH", 4)
    casebook = tmp_path / "c.casebook"
    records = [{"id": f"r{i}", "text": f"Claim number {i} about the dam."} for i in range(10)]
    records.append({"id": "r3", "text": "A repeat of r3 in a later batch."})
    src = _jsonl(tmp_path / "a.jsonl", records)
    res = cli("import", str(src), "--casebook", str(casebook))
    assert res.code == 0 and res.out.strip() == "claims 10, skipped 1"
    with Store.open(casebook) as s:
        batches = [e for e in s.events() if e.action == "import"]
    assert len(batches) == 3 and len({e.target for e in batches}) == 1
    assert _undo(casebook) is not None
    assert _counts(casebook)[0] == 0
    check = cli("check", "--casebook", str(casebook))
    assert check.code == 0, check.out


def test_a_bad_line_late_in_a_long_import_changes_nothing(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importers, "BATCH", 2)
    casebook = tmp_path / "c.casebook"
    cli("config", "set", "name", "Desk", "--casebook", str(casebook))
    before = digest(casebook)
    records = [{"id": f"r{i}", "text": f"Claim {i}."} for i in range(7)] + [{"id": "x"}]
    res = cli("import", str(_jsonl(tmp_path / "a.jsonl", records)), "--casebook", str(casebook))
    assert res.code == 1 and "line 8: missing 'text'" in res.err
    assert digest(casebook) == before


def test_an_interrupted_import_keeps_whole_batches_and_resumes(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importers, "BATCH", 3)
    casebook = tmp_path / "c.casebook"
    src = _jsonl(tmp_path / "a.jsonl", [{"id": f"r{i}", "text": f"Claim {i}."} for i in range(8)])
    real = importers._write_batch
    calls: list[int] = []

    def failing_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise importers.VerifyError("could not save to the casebook: disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importers, "_write_batch", failing_second)
    assert cli("import", str(src), "--casebook", str(casebook)).code == 1
    assert _counts(casebook)[0] == 3  # the first batch, whole
    assert cli("check", "--casebook", str(casebook)).code == 0
    monkeypatch.setattr(importers, "_write_batch", real)
    res = cli("import", str(src), "--casebook", str(casebook))
    assert res.code == 0 and res.out.strip() == "claims 5, skipped 3"


def test_reimporting_our_own_claimreview_export_adds_nothing(cli, sample_path, tmp_path) -> None:
    casebook = ["--casebook", str(sample_path)]
    for publisher in ("", "https://desk.example.org"):
        if publisher:
            assert cli("config", "set", "publisher.url", publisher, *casebook).code == 0
        exported = tmp_path / "reviews.json"
        exported.write_text(cli("export", "--format", "claimreview", *casebook).out)
        decided = len(json.loads(exported.read_text()))
        assert decided > 0
        before = _counts(sample_path)[0]
        res = cli("import", str(exported), *casebook)
        assert res.code == 0 and res.out.strip() == f"claims 0, skipped {decided}"
        assert _counts(sample_path)[0] == before


def test_claimreview_is_matched_by_url_when_the_identifier_is_missing(cli, tmp_path) -> None:
    casebook = ["--casebook", str(tmp_path / "c.casebook")]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/2024/dam",
        "claimReviewed": "The dam was never inspected.",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    first = tmp_path / "a.json"
    first.write_text(json.dumps([{**review, "identifier": "fc-1"}]))
    assert cli("import", str(first), *casebook).out.strip() == "claims 1, skipped 0"
    again = tmp_path / "b.json"
    again.write_text(json.dumps([{**review, "identifier": "fc-1"}]))
    assert cli("import", str(again), *casebook).out.strip() == "claims 0, skipped 1"
    no_id = tmp_path / "c.json"
    no_id.write_text(json.dumps([review]))
    assert cli("import", str(no_id), *casebook).out.strip() == "claims 1, skipped 0"
    assert cli("import", str(no_id), *casebook).out.strip() == "claims 0, skipped 1"
