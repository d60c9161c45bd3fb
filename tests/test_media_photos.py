"""Photos as evidence: metadata, perceptual hashes and "seen before?" through the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.cli_helpers import digest
from tests.media_kit import camera_exif, edited, jpeg, picture
from verify.media import index, phash, probe
from verify.store import Store

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


def _claim(cli, casebook: Path) -> str:
    from verify import actions
    from verify.models import utcnow

    with Store.open(casebook) as store:
        claim = store.add_claim(actions.new_claim("A strike hit the city centre", at=utcnow()))
    return claim.id


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "strike.jpg"
    path.write_bytes(jpeg(picture(1), exif=camera_exif()))
    return path


def test_metadata_of_a_camera_photo(photo: Path) -> None:
    info = probe.probe(photo.read_bytes(), photo.name)
    assert info is not None
    assert (info.media_type, info.width, info.height) == ("image/jpeg", 480, 360)
    assert info.exif["make"] == "Canon" and info.exif["model"] == "EOS 5D"
    assert info.exif["software"] == "Photo Editor 2.1"
    assert info.taken == "2024-01-03T10:11:12+03:00"
    assert info.gps is not None
    assert info.gps.lat == pytest.approx(48.85680, abs=1e-5)
    assert info.gps.lon == pytest.approx(-2.29450, abs=1e-5)  # west is negative
    assert len(info.phash) == 16


def test_edited_copies_are_near_and_other_photos_far() -> None:
    def hashes(raw: bytes) -> list[int]:
        info = probe.probe(raw, "p.jpg")
        assert info is not None
        return [phash.from_hex(h) for h in info.hashes]

    original = picture(7, (640, 480))
    base = hashes(jpeg(original))
    w, h = original.size
    copies = {
        "edited": edited(original),
        "cropped": jpeg(original.crop((int(w * 0.06), int(h * 0.03), w, h))),
        "png": _png(original.resize((300, 225))),
    }
    for name, raw in copies.items():
        assert phash.closest(hashes(raw), base) <= index.THRESHOLD, name
    for seed in (8, 9, 10):
        assert phash.closest(hashes(jpeg(picture(seed, (640, 480)))), base) > index.THRESHOLD


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_attached_photo_is_seen_again_in_an_edited_copy(
    cli, casebook_path: Path, photo: Path, tmp_path: Path
) -> None:
    claim_id = _claim(cli, casebook_path)
    added = cli(
        "--casebook",
        str(casebook_path),
        "evidence",
        "add",
        claim_id,
        "--file",
        str(photo),
        "--json",
    )
    assert added.code == 0, added.err
    evidence_id = added.json_lines()[0]["id"]

    copy = tmp_path / "reposted.jpg"
    copy.write_bytes(edited(Image.open(photo)))
    r = cli("--casebook", str(casebook_path), "media", str(copy), "--json")
    assert r.code == 0, r.err
    got = r.json_lines()[0]
    assert got["seen"] and got["seen"][0]["evidence_id"] == evidence_id
    assert got["seen"][0]["claim_id"] == claim_id
    assert got["seen"][0]["distance"] <= index.THRESHOLD
    assert got["exif"] == {}  # the re-posted copy lost its EXIF, as re-posts do

    same = cli("--casebook", str(casebook_path), "media", str(photo), "--json").json_lines()[0]
    assert same["seen"][0]["distance"] == 0
    assert same["gps"]["lat"] == pytest.approx(48.8568, abs=1e-4)
    for key in ("sha256", "media_type", "width", "height", "phash", "exif", "taken"):
        assert key in same

    other = tmp_path / "other.jpg"
    other.write_bytes(jpeg(picture(2)))
    r = cli("--casebook", str(casebook_path), "media", str(other))
    assert r.code == 0 and "seen before: no" in r.out


def test_attached_photo_keeps_its_metadata(cli, casebook_path: Path, photo: Path) -> None:
    claim_id = _claim(cli, casebook_path)
    cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(photo))
    with Store.open(casebook_path) as store:
        item = store.get_claim(claim_id).evidence[0]
        assert item.document_id is not None
        assert store.get_document(item.document_id).media_type == "image/jpeg"
        info = index.get(store.conn, item.document_id)
    assert info is not None and info.exif["model"] == "EOS 5D"


def test_plain_output_has_no_terminal_codes(cli, casebook_path: Path, tmp_path: Path) -> None:
    _claim(cli, casebook_path)
    path = tmp_path / "evil.jpg"
    path.write_bytes(jpeg(picture(3), exif=camera_exif(make="\x1b]0;pwned\x07\x1b[31mRed")))
    r = cli("--casebook", str(casebook_path), "media", str(path))
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x07" not in r.out
    assert "exif make: Red" in r.out
    j = cli("--casebook", str(casebook_path), "media", str(path), "--json")
    assert "\x1b" not in j.out and json.loads(j.out)["exif"]["make"].endswith("Red")


def _bomb() -> bytes:
    # 12,000 x 12,000 of one colour: a small PNG that decodes to 144 megapixels.
    buf = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buf, "PNG")
    return buf.getvalue()


HOSTILE = {
    "bomb.png": (_bomb, "decompression bomb"),
    "truncated.jpg": (lambda: jpeg(picture(4))[:3000], "truncated"),
    "notes.jpg": (lambda: b"these are not pixels\n" * 20, "content is not a photo"),
    "garbage.png": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "picture"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_media_is_one_line_and_changes_nothing(
    cli, casebook_path: Path, tmp_path: Path, name: str
) -> None:
    claim_id = _claim(cli, casebook_path)
    make, says = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = digest(casebook_path)
    for args in (("media", str(path)), ("evidence", "add", claim_id, "--file", str(path))):
        r = cli("--casebook", str(casebook_path), *args)
        assert r.code == 1, (args, r.out)
        assert len(r.err.strip().splitlines()) == 1 and says in r.err, r.err
        assert "Traceback" not in r.err
    assert digest(casebook_path) == before


def test_malformed_exif_costs_the_metadata_not_the_photo(
    cli, casebook_path: Path, tmp_path: Path
) -> None:
    _claim(cli, casebook_path)
    path = tmp_path / "mangled.jpg"
    path.write_bytes(
        jpeg(picture(5), exif=b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + bytes(20))
    )
    r = cli("--casebook", str(casebook_path), "media", str(path), "--json")
    assert r.code == 0 and r.err == ""
    assert any("malformed" in note for note in r.json_lines()[0]["notes"])


def test_a_photo_with_the_wrong_extension_is_read_as_what_it_is(
    cli, casebook_path: Path, tmp_path: Path
) -> None:
    _claim(cli, casebook_path)
    path = tmp_path / "really-a-png.jpg"
    path.write_bytes(_png(picture(6)))
    r = cli("--casebook", str(casebook_path), "media", str(path), "--json")
    assert r.code == 0 and r.json_lines()[0]["media_type"] == "image/png"


def test_other_files_still_attach(cli, casebook_path: Path, tmp_path: Path) -> None:
    claim_id = _claim(cli, casebook_path)
    path = tmp_path / "statement.txt"
    path.write_text("The ministry's statement.\n")
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(path))
    assert r.code == 0, r.err
    assert cli("--casebook", str(casebook_path), "media", str(path)).code == 1


def test_migration_indexes_photos_archived_before(tmp_path: Path) -> None:
    from verify import evidence
    from verify.migrations import LATEST
    from verify.models import EvidenceKind

    path = tmp_path / "old.casebook"
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg(picture(1), exif=camera_exif()))
    with Store.open(path, migrate_to=7) as old:
        from verify import actions
        from verify.models import utcnow

        claim = old.add_claim(actions.new_claim("A claim", at=utcnow()))
        evidence.attach(old, claim.id, evidence.EvidenceDraft(EvidenceKind.file, path=str(photo)))
        assert not index.has_table(old.conn)
    with Store.open(path) as store:
        assert store.schema_version() == LATEST
        doc_id = store.get_claim(claim.id).evidence[0].document_id
        row = store.conn.execute("SELECT hashes FROM media WHERE document_id = ?", (doc_id,))
        assert row.fetchone() is not None
        info = probe.probe(photo.read_bytes(), "p.jpg")
        assert info is not None
        assert [h.evidence_id for h in index.seen(store.conn, info)]


def test_attaching_a_recycled_photo_says_where_it_was_seen(
    cli, casebook_path: Path, photo: Path, tmp_path: Path
) -> None:
    first = _claim(cli, casebook_path)
    r = cli("--casebook", str(casebook_path), "evidence", "add", first, "--file", str(photo))
    assert r.code == 0 and "seen before: no" in r.out
    evidence_id = r.out.split(":")[0]
    copy = tmp_path / "reposted.jpg"
    copy.write_bytes(edited(Image.open(photo)))
    second = _claim(cli, casebook_path)
    r = cli("--casebook", str(casebook_path), "evidence", "add", second, "--file", str(copy))
    assert r.code == 0, r.err
    assert f"seen before: evidence {evidence_id} on claim {first}" in r.out


def test_attaching_a_video_without_ffmpeg_says_so(
    cli, casebook_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.media import video

    monkeypatch.setattr(video.shutil, "which", lambda _: None)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64))
    claim_id = _claim(cli, casebook_path)
    r = cli(
        "--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(clip), "--json"
    )
    assert r.code == 0 and r.json_lines()[0]["kind"] == "file"
    assert r.err.strip() == f"verify: {video.MISSING}"


def test_a_heic_photo_is_kept_with_a_note(cli, casebook_path: Path, tmp_path: Path) -> None:
    claim_id = _claim(cli, casebook_path)
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(path))
    assert r.code == 0, r.err
    got = cli("--casebook", str(casebook_path), "media", str(path), "--json").json_lines()[0]
    assert got["media_type"] == "image/heif" and got["phash"] == ""
    assert got["notes"] == [probe.HEIF]


def test_seen_before_survives_a_portable_round_trip_and_follows_undo(
    cli, casebook_path: Path, photo: Path, tmp_path: Path
) -> None:
    from verify import portable

    claim_id = _claim(cli, casebook_path)
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(photo))
    assert r.code == 0, r.err
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(edited(Image.open(photo)))

    # The portable format carries the bytes, not the media index: read again on arrival.
    moved = tmp_path / "moved.casebook"
    with Store.open(casebook_path) as src, Store.open(moved) as dst:
        portable.import_casebook(dst, portable.export_casebook(src))
    got = cli("--casebook", str(moved), "media", str(copy), "--json").json_lines()[0]
    assert [s["claim_id"] for s in got["seen"]] == [claim_id]

    assert cli("--casebook", str(casebook_path), "undo").code == 0
    got = cli("--casebook", str(casebook_path), "media", str(copy), "--json").json_lines()[0]
    assert got["seen"] == []  # the item is gone, so is the sighting


def test_the_same_unhashed_file_is_still_seen(
    cli, casebook_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.media import video

    monkeypatch.setattr(video.shutil, "which", lambda _: None)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64))
    claim_id = _claim(cli, casebook_path)
    cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(clip))
    got = cli("--casebook", str(casebook_path), "media", str(clip), "--json").json_lines()[0]
    assert [(s["claim_id"], s["distance"]) for s in got["seen"]] == [(claim_id, 0)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>'),
        ("IMG_0001.CR2", b"II*\x00\x10\x00\x00\x00CR\x02\x00" + bytes(200)),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\n" + bytes(100)),
    ],
)
def test_files_verify_does_not_decode_are_still_attached(
    cli, casebook_path: Path, tmp_path: Path, name: str, content: bytes
) -> None:
    claim_id = _claim(cli, casebook_path)
    path = tmp_path / name
    path.write_bytes(content)
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(path))
    assert r.code == 0, r.err
    assert "seen before" not in r.out


def test_a_damaged_index_row_falls_back_to_the_archived_bytes(
    cli, casebook_path: Path, photo: Path
) -> None:
    from tests.cli_helpers import tamper

    claim_id = _claim(cli, casebook_path)
    cli("--casebook", str(casebook_path), "evidence", "add", claim_id, "--file", str(photo))
    tamper(casebook_path, "UPDATE media SET hashes = 'not-hex', body = '{\"broken\": '")
    r = cli("--casebook", str(casebook_path), "media", str(photo), "--json")
    assert r.code == 0, r.err
    got = r.json_lines()[0]
    assert [s["claim_id"] for s in got["seen"]] == [claim_id]
