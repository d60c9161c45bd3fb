"""A casebook on PostgreSQL: moving work across backends, backup to a file, search, a desk
of concurrent reviewers, and change notification between open casebooks."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import pgserver
from tests.conftest import SAMPLE, FakeClock
from verify import integrity, portable
from verify.errors import StaleWriteError, VerifyError
from verify.ids import new_id
from verify.models import Claim, Verdict
from verify.store import Store

EXPORTED = datetime(2030, 1, 1, tzinfo=UTC)


def _claim(store: Store, text: str) -> Claim:
    now = store.clock()
    return store.add_claim(Claim(id=new_id("c"), text=text, created=now, updated=now))


def _export(where: Path | str) -> dict:
    with Store.open(where) as store:
        return portable.export_casebook(store, exported=EXPORTED)


def _carries(moved: dict, original: dict) -> None:
    """`moved` holds everything `original` does; its history only gains the import itself."""
    assert {k: v for k, v in moved.items() if k != "events"} == {
        k: v for k, v in original.items() if k != "events"
    }
    kept = moved["events"][: len(original["events"])]
    assert kept == original["events"]
    assert [e["action"] for e in moved["events"][len(kept) :]] == ["import"]


def _load_sample(where: Path | str) -> None:
    with Store.open(where, clock=FakeClock(), actor="tester") as store:
        portable.import_casebook(store, json.loads(SAMPLE.read_text("utf-8")))


def test_json_moves_losslessly_from_a_file_to_a_server_and_back(
    cli, pg_server: pgserver.Server, tmp_path: Path
) -> None:
    book = tmp_path / "a.casebook"
    _load_sample(book)
    first = _export(book)
    dump = tmp_path / "a.json"
    assert cli("--casebook", str(book), "export", "--format", "json", "-o", str(dump)).code == 0
    server = pg_server.new_database()
    assert cli("--casebook", server, "import", str(dump)).code == 0
    on_server = _export(server)
    _carries(on_server, first)
    back = tmp_path / "back.json"
    assert cli("--casebook", server, "export", "--format", "json", "-o", str(back)).code == 0
    again = tmp_path / "b.casebook"
    assert cli("--casebook", str(again), "import", str(back)).code == 0
    _carries(_export(again), on_server)
    assert cli("--casebook", server, "check").code == 0


def test_backup_of_a_server_casebook_is_a_casebook_file_that_checks(
    cli, pg_server: pgserver.Server, tmp_path: Path
) -> None:
    server = pg_server.new_database()
    _load_sample(server)
    claim = _export(server)["claims"][0]["id"]
    with Store.open(server) as store:
        before = store.get_claim(claim).verdict
    assert cli("--casebook", server, "verdict", claim, "false", "--yes").code == 0
    dest = tmp_path / "copy.casebook"
    res = cli("--casebook", server, "backup", str(dest))
    assert res.code == 0, res.err
    assert dest.read_bytes().startswith(b"SQLite format 3\x00")
    assert cli("--casebook", str(dest), "check").code == 0
    assert _export(dest) == _export(server)
    # The history came along whole: undo in the copy takes back the verdict.
    assert cli("--casebook", str(dest), "undo").code == 0
    with Store.open(dest) as copy:
        assert copy.get_claim(claim).verdict == before


def test_check_finds_an_edited_history_on_the_server(cli, pg_server: pgserver.Server) -> None:
    import psycopg

    server = pg_server.new_database()
    _load_sample(server)
    assert cli("--casebook", server, "check").code == 0
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("UPDATE events SET actor = 'someone else' WHERE seq = 2")
    res = cli("--casebook", server, "check")
    assert res.code != 0 and "hash chain" in res.out + res.err


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("ракетний", "Ракетний удар по Харкову зруйнував школу"),
        ("обстрел", "Обстрел Белгорода продолжался всю ночь"),
        ("shelling belg", "Shelling of Belgorod went on all night"),
    ],
)
def test_search_on_the_server_finds_every_language(
    pg_server: pgserver.Server, query: str, text: str
) -> None:
    from verify import search

    with Store.open(pg_server.new_database(), clock=FakeClock()) as store:
        _claim(store, "Something else entirely was said here")
        target = _claim(store, text)
        hits = search.search(store.conn, query)
    assert [h.id for h in hits] == [target.id]
    word = query.split()[0]
    assert hits[0].start is not None and text[hits[0].start :].lower().startswith(word)


def test_a_desk_of_writers_loses_nothing_and_stale_writes_are_refused(
    pg_server: pgserver.Server,
) -> None:
    url = pg_server.new_database()
    with Store.open(url) as store:
        claim = _claim(store, "The bridge was closed on Monday")
    saved: list[int] = []
    stale: list[str] = []
    failed: list[BaseException] = []

    def reviewer(n: int) -> None:
        try:
            with Store.open(url, actor=f"r{n}") as mine:
                for i in range(5):
                    current = mine.get_claim(claim.id)
                    edit = current.model_copy(
                        update={
                            "verdict": Verdict(
                                label="false", rationale=f"r{n} {i}", at=mine.clock()
                            )
                        }
                    )
                    try:
                        mine.save_claim(edit, "claim.verdict")
                        saved.append(n)
                    except StaleWriteError as exc:
                        stale.append(str(exc))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    assert len(saved) + len(stale) == 16 * 5
    assert all("changed elsewhere" in s for s in stale)
    with Store.open(url) as store:
        # Every acknowledged write is there: one revision and one event each.
        assert store.get_claim(claim.id).revision == 1 + len(saved)
        assert len(store.events(f"claim:{claim.id}")) == 1 + len(saved)
        assert [f for f in integrity.check(store) if f.severity == "damage"] == []


def test_another_reviewers_change_shows_in_data_version(pg_server: pgserver.Server) -> None:
    url = pg_server.new_database()
    with Store.open(url) as mine, Store.open(url) as theirs:
        claim = _claim(mine, "The dam was breached at night")
        seen = theirs.data_version()
        assert theirs.data_version() == seen  # nothing changed: the number stays
        mine.update_claim(claim.id, lambda c: c.model_copy(update={"tags": ["dam"]}), "edit")
        for _ in range(200):  # the notification is on its way; wait for it, however long
            if theirs.data_version() != seen:
                break
            threading.Event().wait(0.05)
        assert theirs.data_version() != seen
        own = mine.data_version()
        mine.update_claim(claim.id, lambda c: c.model_copy(update={"tags": ["x"]}), "edit")
        assert mine.data_version() == own  # its own commits are not "someone else's"


def test_new_makes_a_server_casebook_once(cli, pg_server: pgserver.Server) -> None:
    url = pg_server.new_database()
    assert cli("list", "--casebook", url).code == 1  # an empty database is not a casebook
    assert cli("new", url).code == 0
    assert cli("list", "--casebook", url).code == 0
    again = cli("new", url)
    assert again.code == 1 and "already" in again.err


def test_a_database_holding_other_tables_is_not_a_casebook(pg_server: pgserver.Server) -> None:
    import psycopg

    url = pg_server.new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id int)")
    with pytest.raises(VerifyError, match="not a casebook"):
        Store.open(url)


def test_the_environment_can_name_a_server_casebook(
    cli, pg_server: pgserver.Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = pg_server.new_database()
    _load_sample(url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VERIFY_CASEBOOK", url)
    listed = cli("list", "--json")
    assert listed.code == 0 and len(listed.json_lines()) == 6
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]  # no file was made for it
    restore = cli("restore", str(tmp_path / "x.bak"))
    assert restore.code == 1 and "needs a casebook file" in restore.err


def test_reading_every_claim_streams_from_a_server_side_cursor(
    pg_server: pgserver.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.store import postgres

    monkeypatch.setattr(postgres, "STREAM_BATCH", 3)
    with Store.open(pg_server.new_database(), clock=FakeClock()) as store:
        made = [_claim(store, f"claim number {i}").id for i in range(10)]
        cursors = "SELECT count(*) FROM pg_cursors WHERE name LIKE 'verify_stream%'"
        seen, open_cursors = [], []
        for claim in store.iter_claims():
            # Other reads run between batches on the same connection, as a report's do.
            seen.append(store.get_claim(claim.id).id)
            open_cursors.append(store.conn.execute(cursors).fetchone())
        assert seen == made
        assert all(n == (1,) for n in open_cursors), open_cursors  # came through a cursor
        assert store.conn.execute(cursors).fetchone() == (0,)
        assert not store.backend.in_transaction
        # A write after a read left half-way starts cleanly.
        next(store.iter_claims())
        _claim(store, "one more")
        assert store.count_claims() == 11


def test_the_claim_count_follows_every_way_claims_come_and_go(
    cli, pg_server: pgserver.Server, tmp_path: Path
) -> None:
    url = pg_server.new_database()

    def counted() -> tuple[int, int]:
        with Store.open(url) as store:
            exact = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
            return store.count_claims(), exact

    assert cli("--casebook", url, "import", str(SAMPLE)).code == 0
    n, exact = counted()
    assert n == exact > 0
    with Store.open(url, clock=FakeClock()) as store:
        first = next(store.iter_claims())
        store.update_claim(first.id, lambda c: c.model_copy(update={"text": "edited"}), "edit")
        _claim(store, "one more")
        store.delete_claim(first.id)
    assert counted() == (exact, exact)  # an edit (an upsert) is not a new claim
    assert cli("--casebook", url, "undo").code == 0  # the deletion
    assert counted() == (exact + 1, exact + 1)
    assert cli("--casebook", url, "undo").code == 0
    assert cli("--casebook", url, "undo").code == 0
    assert cli("--casebook", url, "undo").code == 0  # the import, every claim at once
    assert counted() == (0, 0)
    assert cli("--casebook", url, "check").code == 0


def test_check_names_a_claim_count_changed_behind_verifys_back(
    cli, pg_server: pgserver.Server
) -> None:
    from tests.cli_helpers import tamper

    url = pg_server.new_database()
    assert cli("--casebook", url, "import", str(SAMPLE)).code == 0
    assert cli("--casebook", url, "check").code == 0
    tamper(url, "UPDATE claim_count SET n = n + 5")
    got = cli("--casebook", url, "check")
    assert got.code == 1 and "claim count" in got.out
