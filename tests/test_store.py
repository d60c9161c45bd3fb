"""The casebook file: transactions, revisions, undo, migrations, damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from verify.errors import StaleWriteError, VerifyError
from verify.ids import new_id
from verify.models import SCHEMA_VERSION, Claim, Source
from verify.store import Store

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""


def make_claim(store: Store, text: str = "The river rose 3 metres.") -> Claim:
    now = store.clock()
    return store.add_claim(Claim(id=new_id("c"), text=text, created=now, updated=now))


@pytest.mark.sqlite_only
def test_settings_pragmas(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_edit_bumps_revision_and_logs_before_and_after(store: Store) -> None:
    claim = make_claim(store)
    edited = store.save_claim(claim.model_copy(update={"claimant": "Mayor"}), "claim.edit")
    assert edited.revision == 2
    assert store.get_claim(claim.id).claimant == "Mayor"
    last = store.events(target=f"claim:{claim.id}")[-1]
    assert last.action == "claim.edit"
    assert last.before is not None and last.before["claimant"] == ""
    assert last.after is not None and last.after["claimant"] == "Mayor"


def test_stale_revision_is_refused_and_nothing_changes(casebook_path: Path) -> None:
    a = Store.open(casebook_path, clock=FakeClock())
    b = Store.open(casebook_path, clock=FakeClock())
    claim = make_claim(a)
    seen_by_b = b.get_claim(claim.id)
    a.save_claim(claim.model_copy(update={"claimant": "first"}), "claim.edit")
    with pytest.raises(StaleWriteError, match="changed elsewhere"):
        b.save_claim(seen_by_b.model_copy(update={"claimant": "second"}), "claim.edit")
    assert b.get_claim(claim.id).claimant == "first"
    a.close()
    b.close()


def test_undo_and_redo_walk_the_event_log(store: Store) -> None:
    claim = make_claim(store)
    store.save_claim(claim.model_copy(update={"claimant": "A"}), "claim.edit")
    c2 = store.get_claim(claim.id)
    store.save_claim(c2.model_copy(update={"claimant": "B"}), "claim.edit")
    assert store.undo() is not None
    assert store.get_claim(claim.id).claimant == "A"
    assert store.undo() is not None
    assert store.get_claim(claim.id).claimant == ""
    assert store.redo() is not None
    assert store.get_claim(claim.id).claimant == "A"
    assert store.redo() is not None
    assert store.get_claim(claim.id).claimant == "B"
    assert store.redo() is None


def test_new_change_clears_redo(store: Store) -> None:
    claim = make_claim(store)
    store.save_claim(claim.model_copy(update={"claimant": "A"}), "claim.edit")
    store.undo()
    store.save_claim(store.get_claim(claim.id).model_copy(update={"tags": ["x"]}), "claim.edit")
    assert store.redo() is None


def test_undo_survives_reopening(casebook_path: Path) -> None:
    with Store.open(casebook_path) as s:
        claim = make_claim(s)
        s.save_claim(claim.model_copy(update={"claimant": "A"}), "claim.edit")
    with Store.open(casebook_path) as s:
        s.undo()
        assert s.get_claim(claim.id).claimant == ""


def test_undo_of_create_removes_the_claim(store: Store) -> None:
    claim = make_claim(store)
    store.undo()
    with pytest.raises(VerifyError):
        store.get_claim(claim.id)


def test_source_edits_are_undoable(store: Store) -> None:
    store.put_source(Source(id="s-mayor", name="Mayor", grade="C"))
    store.put_source(Source(id="s-mayor", name="Mayor", grade="A"))
    store.undo()
    assert store.get_source("s-mayor").grade == "C"


def test_listing_reads_summaries_without_bodies(store: Store) -> None:
    for i in range(5):
        make_claim(store, f"Claim number {i} about 40 tonnes.")
    # Damage every body: the list must still open, because it never parses them.
    store.conn.execute("UPDATE claims SET body = 'not json'")
    rows = store.summaries()
    assert len(rows) == 5 and rows[0].text.startswith("Claim number")


def test_migration_from_schema_1_keeps_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.casebook"
    with Store.open(path, migrate_to=1) as old:
        assert old.schema_version() == 1
        now = old.clock()
        old.conn.execute(
            "INSERT INTO claims (id, ref, text, status, verdict, accounts, evidence, revision, "
            "created, updated, body) VALUES (?, '', ?, 'open', NULL, 0, 0, 1, ?, ?, ?)",
            (
                "c-old",
                "Old claim",
                now.isoformat(),
                now.isoformat(),
                Claim(
                    id="c-old", text="Old claim", tags=["legacy"], created=now, updated=now
                ).model_dump_json(),
            ),
        )
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.summaries()[0].tags == "legacy"
    backup = tmp_path / "old.casebook.v1.bak"
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    conn.close()


def test_newer_schema_is_refused(casebook_path: Path) -> None:
    with Store.open(casebook_path) as s:
        s.conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(VerifyError, match="newer"):
        Store.open(casebook_path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello, not a database at all" * 10, "not a casebook"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "damaged"),
    ],
)
def test_garbage_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.casebook"
    path.write_bytes(content)
    with pytest.raises(VerifyError, match=message):
        Store.open(path)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_not_a_casebook(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(VerifyError, match="not a casebook"):
        Store.open(path)
