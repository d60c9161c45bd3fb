"""The CLI contract: commands, JSON output, and one clear line for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import digest, tamper
from tests.conftest import SAMPLE

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""

BELGOROD = "c-2zjgpgfw"


def test_list_show_verdict_round(cli, sample_path: Path) -> None:
    cb = ["--casebook", str(sample_path)]
    listed = cli("list", "--json", *cb)
    assert listed.code == 0
    rows = listed.json_lines()
    assert len(rows) == 6 and {"id", "text", "verdict", "status"} <= rows[0].keys()
    assert rows[0]["id"] == BELGOROD

    shown = cli("show", BELGOROD, *cb)
    assert "Vyacheslav Gladkov" in shown.out and "Accounts (3)" in shown.out

    set_ = cli("verdict", "c-65jxr4wr", "misleading", "--rationale", "Motive contested.", *cb)
    assert set_.code == 0, set_.err
    assert "two are expected" in set_.err  # thin evidence is flagged, and recorded
    data = cli("show", "c-65jxr4wr", "--json", *cb).json_lines()[0]
    assert data["verdict"]["label"] == "misleading"
    assert data["verdict"]["rationale"] == "Motive contested."
    assert data["verdict"]["thin_evidence_confirmed"] is True
    assert [
        r["id"] for r in cli("list", "--verdict", "misleading", "--json", *cb).json_lines()
    ] == ["c-65jxr4wr"]


def test_casebook_from_environment(cli, sample_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VERIFY_CASEBOOK", str(sample_path))
    assert len(cli("list").out.splitlines()) == 6


def test_default_casebook_lives_in_user_data(cli, isolated_home: Path) -> None:
    assert cli("list").code == 0
    assert list(isolated_home.rglob("default.casebook"))


def test_jsonl_import_keeps_ref_and_fields(cli, tmp_path: Path) -> None:
    src = tmp_path / "claims.jsonl"
    src.write_text(
        json.dumps(
            {
                "id": "snopes-1",
                "text": "Drinking bleach cures flu.",
                "title": "No, it does not",
                "url": "https://example.org/1",
                "verdict": "false",
                "date": "2020-03-01",
                "claimant": "Viral post",
                "lang": "en",
            }
        )
        + "\n"
        + json.dumps({"id": 2, "text": "The moon is made of cheese."})
        + "\n"
    )
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    res = cli("import", str(src), *cb)
    assert res.code == 0 and "claims 2" in res.out
    rows = {r["ref"]: r for r in cli("list", "--json", *cb).json_lines()}
    one = cli("show", rows["snopes-1"]["id"], "--json", *cb).json_lines()[0]
    assert one["verdict"]["label"] == "false" and one["claimant"] == "Viral post"
    assert one["extra"] == {
        "title": "No, it does not",
        "url": "https://example.org/1",
        "lang": "en",
    }
    assert one["date"] == "2020-03-01"
    # Importing again adds nothing: the external ids are already there.
    assert "claims 0, skipped 2" in cli("import", str(src), *cb).out


def test_export_json_to_stdout_and_file(cli, sample_path: Path, tmp_path: Path) -> None:
    cb = ["--casebook", str(sample_path)]
    out = cli("export", "--format", "json", *cb)
    data = json.loads(out.out)
    assert data["format"] == "verify-casebook" and len(data["claims"]) == 6
    dest = tmp_path / "out.json"
    assert cli("export", "--format", "json", "-o", str(dest), *cb).code == 0
    assert json.loads(dest.read_text())["claims"] == data["claims"]


def test_check_passes_on_the_sample(cli, sample_path: Path) -> None:
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 0 and "0 damaged" in res.out


def test_check_names_damage(cli, sample_path: Path) -> None:

    tamper(sample_path, "UPDATE documents SET raw = X'00' WHERE rowid = 1")
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 1 and "do not match their sha256" in res.out


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "../../x"], "no claim with id '../../x'"),
        (["show", "c-nothere"], "no claim with id"),
        (["verdict", BELGOROD, "sorta-true"], "unknown verdict label 'sorta-true'"),
        (["list", "--verdict", "nope"], "unknown verdict label"),
        (["export", "--claim", "c-missing"], "no claim with id"),
    ],
)
def test_bad_requests_are_one_line_and_change_nothing(cli, sample_path, args, message) -> None:
    before = digest(sample_path)
    res = cli(*args, "--casebook", str(sample_path))
    assert res.code == 1
    assert res.err.count("\n") == 1 and message in res.err and "Traceback" not in res.err
    assert digest(sample_path) == before


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"id": "1", "text": "ok"}\n{"id": "2", "text": \n', "line 2: not valid JSON"),
        ('{"id": "1", "text": "ok"}\n{"id": "2"}\n', "line 2: missing 'text'"),
        ('{"id": "1", "text": "ok"}\n[1, 2]\n', "line 2: expected a JSON object"),
        ("\udcff", "not valid UTF-8"),
    ],
)
def test_malformed_import_names_the_line(cli, sample_path, tmp_path, content, message) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = digest(sample_path)
    res = cli("import", str(src), "--casebook", str(sample_path))
    assert res.code == 1 and message in res.err and res.err.count("\n") == 1
    assert digest(sample_path) == before


def test_unreadable_and_missing_files(cli, sample_path, tmp_path) -> None:
    assert (
        "cannot read"
        in cli("import", str(tmp_path / "nope.jsonl"), "--casebook", str(sample_path)).err
    )
    assert "is a directory" in cli("import", str(tmp_path), "--casebook", str(sample_path)).err


def test_corrupt_and_future_casebooks(cli, tmp_path: Path, sample_path: Path) -> None:
    bad = tmp_path / "bad.casebook"
    bad.write_bytes(b"garbage" * 100)
    res = cli("list", "--casebook", str(bad))
    assert res.code == 1 and "not a casebook" in res.err
    assert bad.read_bytes() == b"garbage" * 100

    tamper(sample_path, "UPDATE meta SET value='99' WHERE key='schema_version'")
    res = cli("list", "--casebook", str(sample_path))
    assert res.code == 1 and "newer than this verify" in res.err


def test_missing_casebook_is_not_created_for_reading(cli, tmp_path: Path) -> None:
    res = cli("list", "--casebook", str(tmp_path / "nothing.casebook"))
    assert res.code == 1 and "no casebook at" in res.err
    assert not (tmp_path / "nothing.casebook").exists()


def test_usage_errors_exit_2(cli) -> None:
    assert cli("show").code == 2
    assert cli("frobnicate", "--nope").code == 2


def test_every_command_has_help(cli) -> None:
    from verify.cli import build_parser, commands

    for command in commands(build_parser()):
        res = cli(command, "--help")
        assert res.code == 0 and "usage: verify" in res.out, command


def test_control_codes_in_claims_never_reach_the_terminal(cli, tmp_path: Path) -> None:
    src = tmp_path / "evil.jsonl"
    src.write_text(
        json.dumps({"id": "x", "text": "Evil \x1b[2J\x1b]0;pwned\x07 \u202etext"}) + "\n"
    )
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    cli("import", str(src), *cb)
    out = cli("list", *cb).out
    assert "\x1b" not in out and "\u202e" not in out and "Evil" in out
    # Cleaned when it entered: the casebook holds the readable text only.
    assert json.loads(cli("list", "--json", *cb).out)["text"] == "Evil  text"


def test_sample_file_is_committed() -> None:
    assert SAMPLE.exists()
