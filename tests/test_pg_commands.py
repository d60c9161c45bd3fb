"""Every command a reviewer runs, walked through on an SQLite file and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import LIVEBLOG

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""


def test_a_desk_day_on_either_backend(cli, casebook_path: Path, tmp_path: Path) -> None:
    cb = ["--casebook", str(casebook_path)]
    assert cli("new", str(casebook_path)).code == 0
    res = cli("ingest", str(LIVEBLOG), "--json", *cb)
    assert res.code == 0, res.err
    rows = cli("list", "--json", *cb).json_lines()
    assert len(rows) >= 3
    first, second = rows[0], rows[1]
    shown = cli("show", first["id"], "--json", *cb)
    assert shown.code == 0 and shown.json_lines()[0]["text"] == first["text"]

    assert cli("verdict", first["id"], "false", "--rationale", "Denied", "--yes", *cb).code == 0
    note = cli("evidence", "add", first["id"], "--note", "Council minutes checked", *cb)
    assert note.code == 0, note.err
    claim = cli("show", first["id"], "--json", *cb).json_lines()[0]
    assert claim["verdict"]["label"] == "false"
    assert any("Council minutes" in (e.get("note") or "") for e in claim["evidence"])

    # Full-text search and "already checked?" find the claim by its own words.
    word = max(first["text"].split(), key=len).strip(".,:;\"'")
    hits = cli("search", word, "--json", *cb).json_lines()
    assert any(first["id"] in (h["id"], h["claim_id"]) for h in hits)
    found = cli("match", first["text"], "--json", *cb).json_lines()[0]["matches"]
    assert found and found[0]["claim_id"] == first["id"]
    minutes = cli("search", "minutes", "--json", *cb).json_lines()
    assert [h["kind"] for h in minutes] == ["note"]

    # Edits, deletion, undo and redo.
    assert cli("edit", "claim", second["id"], "--tags", "desk", *cb).code == 0
    assert cli("delete", "claim", second["id"], *cb).code == 0
    assert second["id"] not in {r["id"] for r in cli("list", "--json", *cb).json_lines()}
    assert cli("undo", *cb).code == 0
    back = cli("show", second["id"], "--json", *cb).json_lines()[0]
    assert back["tags"] == ["desk"]
    assert cli("redo", *cb).code == 0
    assert cli("show", second["id"], *cb).code == 1
    assert cli("undo", *cb).code == 0

    assert cli("sources", *cb).code == 0
    assert cli("config", "set", "name", "Night desk", *cb).code == 0
    assert cli("config", "get", "name", *cb).out.strip() == "name\tNight desk"
    for fmt in ("md", "claimreview", "json"):
        out = tmp_path / f"export.{fmt}"
        assert cli("export", "--format", fmt, "-o", str(out), *cb).code == 0
    exported = json.loads((tmp_path / "export.json").read_text("utf-8"))
    assert {c["id"] for c in exported["claims"]} == {r["id"] for r in rows}
    check = cli("check", *cb)
    assert check.code == 0, check.out + check.err


def test_a_stale_verdict_is_refused_on_either_backend(cli, casebook_path: Path) -> None:
    from tests.conftest import FakeClock
    from verify.errors import StaleWriteError
    from verify.ids import new_id
    from verify.models import Claim
    from verify.store import Store

    with Store.open(casebook_path, clock=FakeClock()) as a, Store.open(casebook_path) as b:
        now = a.clock()
        a.add_claim(Claim(id="c-x", text="Ferries stopped at noon", created=now, updated=now))
        mine, theirs = a.get_claim("c-x"), b.get_claim("c-x")
        a.save_claim(mine.model_copy(update={"tags": ["a"]}), "edit")
        try:
            b.save_claim(theirs.model_copy(update={"tags": ["b"]}), "edit")
        except StaleWriteError as exc:
            assert "changed elsewhere" in str(exc) and "reload" in str(exc)
        else:
            raise AssertionError("a stale write was saved")
        assert b.get_claim("c-x").tags == ["a"]
        assert new_id("c") != "c-x"
