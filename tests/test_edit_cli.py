"""Correcting a casebook from the command line: edit, delete, merge, undo, evidence, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import digest
from tests.conftest import FakeClock
from tests.test_ingest import local_server  # noqa: F401  (fixture)
from verify.store import Store

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""

BELGOROD = "c-2zjgpgfw"
MIGRANTS = "c-65jxr4wr"
ALROSA = "c-az7y8knn"
GLADKOV_ACCOUNT = "a-fwdht8vd"
MIGRANTS_ACCOUNT = "a-8rhemcju"
MIGRANTS_EVIDENCE = "e-9nx9ttq8"
DEFENCE_MINISTRY = "s-zpdeuktg"
UKRAINIAN_OFFICIALS = "s-hphsqqt3"
LIVE_BLOG = "s-vafffmzf"


@pytest.fixture
def run(cli, sample_path: Path):
    def go(*args: str):
        return cli(*args, "--casebook", str(sample_path))

    return go


def shown(run, claim_id: str) -> dict:
    return run("show", claim_id, "--json").json_lines()[0]


def test_edit_claim_every_field_then_undo_and_redo(run) -> None:
    before = shown(run, MIGRANTS)
    res = run(
        "edit", "claim", MIGRANTS, "--text", "Police detained migrants.", "--claimant",
        "St Petersburg police", "--date", "2023-12-31", "--tags", "migrants, police,,migrants",
        "--json",
    )  # fmt: skip
    assert res.code == 0, res.err
    record = res.json_lines()[0]
    assert record["text"] == "Police detained migrants."
    assert record["claimant"] == "St Petersburg police" and record["date"] == "2023-12-31"
    assert record["tags"] == ["migrants", "police"]
    undo = run("undo")
    assert undo.code == 0 and undo.out.startswith("Undid: edit on 'Police detained migrants.'")
    assert shown(run, MIGRANTS)["text"] == before["text"]
    assert run("redo").code == 0
    assert shown(run, MIGRANTS)["text"] == "Police detained migrants."
    dropped = run("edit", "claim", MIGRANTS, "--status", "dropped")
    assert dropped.code == 0 and shown(run, MIGRANTS)["status"] == "dropped"


@pytest.mark.parametrize(
    "args, message",
    [
        (["edit", "claim", "c-nosuchclaim", "--text", "x"], "no claim"),
        (["edit", "claim", MIGRANTS, "--date", "2024-02-30"], "not a date"),
        (["edit", "claim", MIGRANTS, "--date", "yesterday"], "not a date"),
        (["edit", "claim", MIGRANTS, "--text", "   "], "needs its text"),
        (["edit", "claim", MIGRANTS, "--status", "decided"], "set a verdict"),
        (["edit", "claim", MIGRANTS, "--status", "gone"], "unknown status"),
        (["edit", "claim", MIGRANTS, "--grade", "A"], "not a field of a claim"),
        (["edit", "claim", MIGRANTS], "nothing to change"),
        (["edit", "account", "a-nosuchone", "--statement", "x"], "no account"),
        (["edit", "account", GLADKOV_ACCOUNT, "--source", "s-nosuchone"], "no source"),
        (["edit", "account", GLADKOV_ACCOUNT, "--assessment", "true"], "unknown assessment"),
        (["edit", "evidence", MIGRANTS_EVIDENCE, "--stance", f"{GLADKOV_ACCOUNT}=C"], "not an"),
        (["edit", "evidence", MIGRANTS_EVIDENCE, "--stance", f"{MIGRANTS_ACCOUNT}=X"], "stance"),
        (["edit", "evidence", "e-nosuchone", "--summary", "x"], "no evidence"),
        (["edit", "source", "s-nosuchone", "--grade", "A"], "no source"),
        (["edit", "source", LIVE_BLOG, "--grade", "G"], "grade"),
        (["edit", "source", LIVE_BLOG, "--name", " "], "needs a name"),
        (["delete", "claim", "c-nosuchclaim"], "no claim"),
        (["delete", "account", "a-nosuchone"], "no account"),
        (["sources", "merge", LIVE_BLOG, LIVE_BLOG], "itself"),
        (["sources", "merge", LIVE_BLOG, "s-nosuchone"], "no source"),
        (["evidence", "add", MIGRANTS, "--note", "x", "--stance", f"{GLADKOV_ACCOUNT}=C"], "not"),
        (["evidence", "add", MIGRANTS, "--note", "x", "--source", "s-nosuchone"], "no source"),
        (["evidence", "add", "c-nosuchclaim", "--note", "x"], "no claim"),
        (["evidence", "add", MIGRANTS, "--document", "0" * 64, "--quote", "x"], "no document"),
        (["evidence", "add", MIGRANTS, "--document", "0" * 64], "--quote"),
        (["attachment", MIGRANTS_EVIDENCE, "-o", "x"], "no attached file"),
    ],
)
def test_impossible_edits_say_one_line_and_change_nothing(
    run, sample_path: Path, args: list[str], message: str
) -> None:
    before = digest(sample_path)
    res = run(*args)
    assert res.code == 1, res.out
    assert message in res.err and len(res.err.strip().splitlines()) == 1, res.err
    assert "Traceback" not in res.err
    assert digest(sample_path) == before


def test_edit_account_evidence_and_source(run) -> None:
    res = run(
        "edit", "account", GLADKOV_ACCOUNT, "--statement", "25 killed, five children.",
        "--source", LIVE_BLOG, "--assessment", "refuted", "--json",
    )  # fmt: skip
    assert res.code == 0, res.err
    assert res.json_lines()[0] == {
        **res.json_lines()[0],
        "statement": "25 killed, five children.",
        "source_id": LIVE_BLOG,
        "assessment": "refuted",
    }
    res = run(
        "edit", "evidence", MIGRANTS_EVIDENCE, "--summary", "Police statement",
        "--credibility", "2", "--stance", f"{MIGRANTS_ACCOUNT}=II", "--source", LIVE_BLOG,
    )  # fmt: skip
    assert res.code == 0, res.err
    item = shown(run, MIGRANTS)["evidence"][0]
    assert item["summary"] == "Police statement" and item["credibility"] == 2
    assert item["stances"][MIGRANTS_ACCOUNT] == "II" and item["source_id"] == LIVE_BLOG
    cleared = run("edit", "evidence", MIGRANTS_EVIDENCE, "--stance", f"{MIGRANTS_ACCOUNT}=")
    assert cleared.code == 0
    assert MIGRANTS_ACCOUNT not in shown(run, MIGRANTS)["evidence"][0]["stances"]
    res = run("edit", "source", LIVE_BLOG, "--name", "The Guardian live blog", "--grade", "b")
    assert res.code == 0, res.err
    listed = {s["id"]: s for s in run("sources", "--json").json_lines()}
    assert listed[LIVE_BLOG]["name"] == "The Guardian live blog"
    assert listed[LIVE_BLOG]["grade"] == "B"
    assert run("undo").out.startswith("Undid: source edit on 'The Guardian live blog'")
    listed = {s["id"]: s for s in run("sources", "--json").json_lines()}
    assert listed[LIVE_BLOG]["grade"] == "C" and listed[LIVE_BLOG]["name"] != "The Guardian"


def test_delete_each_kind_and_undo(run) -> None:
    assert run("delete", "claim", ALROSA).code == 0
    assert ALROSA not in run("list", "--all").out
    assert run("undo").code == 0 and ALROSA in run("list").out

    assert run("delete", "account", GLADKOV_ACCOUNT).code == 0
    claim = shown(run, BELGOROD)
    assert GLADKOV_ACCOUNT not in [a["id"] for a in claim["accounts"]]
    assert all(GLADKOV_ACCOUNT not in e["stances"] for e in claim["evidence"])
    assert run("undo").code == 0
    assert GLADKOV_ACCOUNT in [a["id"] for a in shown(run, BELGOROD)["accounts"]]

    assert run("delete", "evidence", MIGRANTS_EVIDENCE).code == 0
    assert shown(run, MIGRANTS)["evidence"] == []
    assert run("undo").code == 0 and len(shown(run, MIGRANTS)["evidence"]) == 1
    redo = run("redo")
    assert redo.code == 0 and redo.out.startswith("Redid: deleted evidence")
    assert shown(run, MIGRANTS)["evidence"] == []


def test_sources_merge_moves_accounts_and_evidence_and_undoes_as_one(run) -> None:
    uses = {s["id"]: s for s in run("sources", "--json").json_lines()}
    assert uses[LIVE_BLOG]["accounts"] == 2 and uses[LIVE_BLOG]["evidence"] == 3
    assert run("edit", "evidence", MIGRANTS_EVIDENCE, "--source", DEFENCE_MINISTRY).code == 0
    before = {c: shown(run, c) for c in (BELGOROD, MIGRANTS)}
    res = run("sources", "merge", UKRAINIAN_OFFICIALS, DEFENCE_MINISTRY)
    assert res.code == 0, res.err and "2 claim(s)" in res.out
    uses = {s["id"]: s for s in run("sources", "--json").json_lines()}
    assert DEFENCE_MINISTRY not in uses
    assert uses[UKRAINIAN_OFFICIALS]["accounts"] == 2 and uses[UKRAINIAN_OFFICIALS]["evidence"] == 1
    assert shown(run, MIGRANTS)["evidence"][0]["source_id"] == UKRAINIAN_OFFICIALS
    undo = run("undo")
    assert undo.code == 0 and "source merge" in undo.out
    assert {c: shown(run, c)["accounts"] for c in before} == {
        c: v["accounts"] for c, v in before.items()
    }
    assert shown(run, MIGRANTS)["evidence"][0]["source_id"] == DEFENCE_MINISTRY
    assert DEFENCE_MINISTRY in {s["id"] for s in run("sources", "--json").json_lines()}
    assert run("redo").code == 0
    assert DEFENCE_MINISTRY not in {s["id"] for s in run("sources", "--json").json_lines()}


def test_merging_claims_is_one_undo(sample: Store) -> None:
    from verify import actions

    target, proposed = sample.get_claim(BELGOROD), sample.get_claim(ALROSA)
    merged, dropped = actions.merge(target, proposed)
    sample.save_claims([(merged, "triage.merge"), (dropped, "triage.merge")])
    sample.undo()
    assert sample.get_claim(ALROSA).status.value == "open"
    assert len(sample.get_claim(BELGOROD).accounts) == 3


def test_evidence_add_every_kind_and_attachment_byte_for_byte(
    run,
    tmp_path: Path,
    local_server: str,  # noqa: F811
) -> None:
    note = run(
        "evidence", "add", MIGRANTS, "--note", "Called the police press office.",
        "--credibility", "2", "--source", LIVE_BLOG, "--stance", f"{MIGRANTS_ACCOUNT}=CC",
        "--json",
    )  # fmt: skip
    assert note.code == 0, note.err
    item = note.json_lines()[0]
    assert item["kind"] == "note" and item["stances"] == {MIGRANTS_ACCOUNT: "CC"}
    assert item["credibility"] == 2 and item["source_id"] == LIVE_BLOG

    scan = tmp_path / "statement.pdf"
    scan.write_bytes(b"%PDF-1.4\x00\x01\xff binary body")
    filed = run("evidence", "add", MIGRANTS, "--file", str(scan), "--summary", "Scan", "--json")
    assert filed.code == 0, filed.err
    file_item = filed.json_lines()[0]
    assert file_item["file_name"] == "statement.pdf" and file_item["summary"] == "Scan"
    out = tmp_path / "back.pdf"
    got = run("attachment", file_item["id"], "-o", str(out))
    assert got.code == 0, got.err and out.read_bytes() == scan.read_bytes()

    page = run("evidence", "add", MIGRANTS, "--url", f"{local_server}/story", "--json")
    assert page.code == 0, page.err
    assert page.json_lines()[0]["document_id"]

    claim = shown(run, BELGOROD)
    doc_id = claim["evidence"][0]["selector"]["document_id"]
    quote = claim["evidence"][0]["selector"]["quote"]["exact"]
    passage = run("evidence", "add", MIGRANTS, "--document", doc_id, "--quote", quote, "--json")
    assert passage.code == 0, passage.err
    assert passage.json_lines()[0]["selector"]["quote"]["exact"] == quote
    missing = run("evidence", "add", MIGRANTS, "--document", doc_id, "--quote", "not in it at all")
    assert missing.code == 1 and "not in the document" in missing.err
    assert len(shown(run, MIGRANTS)["evidence"]) == 5


def test_search_finds_documents_claims_and_notes_with_offsets(run, sample: Store) -> None:
    res = run("search", "Belgorod", "--json")
    assert res.code == 0, res.err
    hits = res.json_lines()
    kinds = {h["kind"] for h in hits}
    assert {"claim", "account", "document"} <= kinds
    for hit in hits:
        if hit["kind"] == "document":
            text = sample.get_document(hit["document"]).text
            assert text[hit["start"] : hit["end"]].lower() == "belgorod"
        if hit["kind"] == "claim":
            text = sample.get_claim(hit["id"]).text
            assert text[hit["start"] : hit["end"]].lower() == "belgorod"
    assert run("evidence", "add", MIGRANTS, "--note", "Quokka sighting near the station").code == 0
    notes = run("search", "quokka", "--json").json_lines()
    assert [(h["kind"], h["claim_id"]) for h in notes] == [("note", MIGRANTS)]
    # FTS5 syntax in a query is words, not operators.
    assert run("search", 'NEAR("x" OR) * ^').code == 0
    assert run("search", "zzzzqqq").out == ""
    assert run("delete", "claim", MIGRANTS).code == 0
    assert run("search", "quokka").out == ""


def test_list_hides_dropped_and_merged_unless_asked(run) -> None:
    assert run("edit", "claim", ALROSA, "--status", "dropped").code == 0
    assert ALROSA not in run("list").out
    assert ALROSA in run("list", "--all").out
    assert ALROSA in run("list", "--status", "dropped").out


def test_search_index_is_built_for_an_older_casebook(tmp_path: Path) -> None:
    from tests.conftest import SAMPLE
    from verify import portable, search

    path = tmp_path / "old.casebook"
    with Store.open(path, migrate_to=5, clock=FakeClock()) as old:
        portable.import_casebook(old, json.loads(SAMPLE.read_text("utf-8")))
    with Store.open(path, clock=FakeClock()) as new:
        kinds = {h.kind for h in search.search(new.conn, "Belgorod")}
    assert {"claim", "document"} <= kinds


def test_report_says_merged_into_and_names_file_evidence(sample: Store, tmp_path: Path) -> None:
    from verify import actions, evidence
    from verify.models import EvidenceKind
    from verify.report import markdown

    target, proposed = sample.get_claim(BELGOROD), sample.get_claim(ALROSA)
    merged, dropped = actions.merge(target, proposed)
    sample.save_claims([(merged, "triage.merge"), (dropped, "triage.merge")])
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\x00")
    evidence.attach(sample, BELGOROD, evidence.EvidenceDraft(EvidenceKind.file, path=str(scan)))
    report = markdown.casebook_report(sample)
    assert f"- Merged into [{BELGOROD}](#{BELGOROD})" in report
    assert "file scan.pdf (application/pdf)" in report
