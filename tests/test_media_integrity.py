"""`verify check` names a media row changed behind verify's back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.cli_helpers import tamper
from tests.media_kit import camera_exif, edited, jpeg, picture
from verify import actions
from verify.models import utcnow
from verify.store import Store

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


@pytest.fixture
def attached(cli, casebook_path: Path, tmp_path: Path) -> Path:
    photo = tmp_path / "strike.jpg"
    photo.write_bytes(jpeg(picture(1), exif=camera_exif()))
    with Store.open(casebook_path) as store:
        claim = store.add_claim(actions.new_claim("A strike hit the city centre", at=utcnow()))
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim.id, "--file", str(photo))
    assert r.code == 0, r.err
    assert cli("--casebook", str(casebook_path), "check").code == 0
    return photo


@pytest.mark.parametrize(
    "sql",
    [
        # The recycled photo's hashes changed so its edited copy is no longer "seen before".
        "UPDATE media SET hashes = '0000000000000000'",
        # Its metadata changed: another camera, and the change made consistent in the body.
        "UPDATE media SET body = replace(body, 'Canon', 'Nikon')",
        "UPDATE media SET media_type = 'image/png'",
        "UPDATE media SET digest = 'x'",
    ],
)
def test_check_names_a_changed_media_row(
    cli, casebook_path: Path, attached: Path, sql: str
) -> None:
    tamper(casebook_path, sql)
    r = cli("--casebook", str(casebook_path), "check")
    assert r.code != 0
    assert "media " in r.out + r.err and "digest" in r.out + r.err


def test_a_media_row_made_consistent_with_itself_is_still_named(
    cli, casebook_path: Path, attached: Path
) -> None:
    # Columns and body changed together: only the digest can tell. (A photo has one hash,
    # so replacing the old one in the body is the same change on either backend.)
    tamper(
        casebook_path,
        "UPDATE media SET hashes = '0000000000000000', "
        "body = replace(body, hashes, '0000000000000000')",
    )
    r = cli("--casebook", str(casebook_path), "check")
    assert r.code != 0 and "media " in r.out + r.err


def test_a_tampered_row_does_not_hide_a_recycled_photo(
    cli, casebook_path: Path, attached: Path, tmp_path: Path
) -> None:
    tamper(
        casebook_path,
        "UPDATE media SET hashes = '0000000000000000', "
        "body = replace(body, hashes, '0000000000000000')",
    )
    copy = tmp_path / "reposted.jpg"
    copy.write_bytes(edited(Image.open(attached)))
    r = cli("--casebook", str(casebook_path), "media", str(copy), "--json")
    assert r.code == 0, r.err
    assert r.json_lines()[0]["seen"], "the archived bytes are read when the row lies"


def test_migration_seals_media_rows_written_before(tmp_path: Path) -> None:
    from verify import integrity
    from verify.media import index
    from verify.migrations import LATEST

    path = tmp_path / "old.casebook"
    with Store.open(path, migrate_to=9) as old:  # before media rows had digests
        raw = jpeg(picture(3))
        info = index.probe(raw, "a.jpg")
        assert info is not None
        from verify.ingest import documents

        archived = documents.archive(
            raw, "a.jpg", "image/jpeg", retrieved=utcnow(), require_text=False
        )
        with old.transaction():
            old.tx_insert_document(archived.document, archived.raw)
            index.tx_put(old.conn, info)
    with Store.open(path) as store:
        assert store.schema_version() == LATEST
        assert [f for f in integrity.check(store) if f.severity == "damage"] == []


def test_an_imported_photo_is_indexed_and_sealed(
    cli, casebook_path: Path, attached: Path, copy_path: Path, tmp_path: Path
) -> None:
    book = tmp_path / "book.json"
    assert (
        cli("--casebook", str(casebook_path), "export", "--format", "json", "-o", str(book)).code
        == 0
    )
    copy = copy_path
    assert cli("--casebook", str(copy), "import", str(book)).code == 0
    with Store.open(copy, create=False) as store:
        rows = store.conn.execute("SELECT count(*) FROM media WHERE digest != ''").fetchone()[0]
    assert rows == 1  # read again from the bytes on arrival, not taken from the file
    assert cli("--casebook", str(copy), "check").code == 0
    assert cli("--casebook", str(copy), "undo").code == 0
    assert cli("--casebook", str(copy), "check").code == 0  # the row left with its photo


def test_a_photo_crosses_from_postgresql_to_a_file(cli, pg_server, tmp_path: Path) -> None:
    casebook_path = pg_server.new_database()
    photo = tmp_path / "strike.jpg"
    photo.write_bytes(jpeg(picture(1), exif=camera_exif()))
    with Store.open(casebook_path) as store:
        claim = store.add_claim(actions.new_claim("A strike hit the city centre", at=utcnow()))
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim.id, "--file", str(photo))
    assert r.code == 0, r.err
    book = tmp_path / "book.json"
    assert cli("--casebook", casebook_path, "export", "--format", "json", "-o", str(book)).code == 0
    copy = tmp_path / "desk.casebook"
    assert cli("--casebook", str(copy), "import", str(book)).code == 0
    assert cli("--casebook", str(copy), "check").code == 0
    reposted = tmp_path / "reposted.jpg"
    reposted.write_bytes(edited(Image.open(photo)))
    for where in (casebook_path, str(copy)):
        got = cli("--casebook", where, "media", str(reposted), "--json").json_lines()[0]
        assert [s["claim_id"] for s in got["seen"]] == [claim.id], where
