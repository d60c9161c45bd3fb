"""Videos: container metadata and keyframe hashes through ffmpeg, and a clear line without it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need
from verify.media import index, phash, probe, video

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


def _clip(path: Path, size: str = "160x120", pattern: str = "testsrc") -> bytes:
    need(
        video.tools() is not None,
        "needs ffmpeg and ffprobe to make and read a test video (apt-get install ffmpeg)",
    )
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg is not None
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
         f"{pattern}=duration=3:size={size}:rate=10", "-g", "10", "-pix_fmt", "yuv420p",
         str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path.read_bytes()


def test_video_metadata_and_keyframes(tmp_path: Path) -> None:
    raw = _clip(tmp_path / "clip.mp4")
    info = probe.probe(raw, "clip.mp4")
    assert info is not None
    assert info.media_type == "video/mp4"
    assert (info.width, info.height) == (160, 120)
    assert info.video["duration"] == pytest.approx(3.0, abs=0.2)
    assert info.video["codec"] == "h264"
    assert len(info.hashes) >= 2  # a keyframe a second


def test_a_re_encoded_video_is_seen_before(tmp_path: Path) -> None:
    first = _clip(tmp_path / "a.mp4")
    smaller = _clip(tmp_path / "b.webm", size="96x72")
    other = _clip(tmp_path / "c.mp4", pattern="smptebars")
    a, b, c = (probe.probe(raw, "v") for raw in (first, smaller, other))
    assert a and b and c
    hashes = [[phash.from_hex(h) for h in i.hashes] for i in (a, b, c)]
    assert b.media_type == "video/webm"
    assert phash.closest(hashes[0], hashes[1]) <= index.THRESHOLD
    assert phash.closest(hashes[0], hashes[2]) > index.THRESHOLD


def test_without_ffmpeg_a_video_is_kept_and_says_why(
    cli, casebook_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(video.shutil, "which", lambda _: None)
    clip = tmp_path / "clip.mp4"
    # The start of an MP4 file: enough to tell what it is.
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64))
    from verify.store import Store

    Store.open(casebook_path).close()
    r = cli("--casebook", str(casebook_path), "media", str(clip), "--json")
    assert r.code == 0, r.err
    got = r.json_lines()[0]
    assert got["media_type"] == "video/mp4" and got["phash"] == "" and got["seen"] == []
    assert any("ffmpeg is not installed" in note for note in got["notes"])
    plain = cli("--casebook", str(casebook_path), "media", str(clip))
    assert "note: video keyframes not hashed: ffmpeg is not installed" in plain.out


def test_a_damaged_video_is_one_line(cli, casebook_path: Path, tmp_path: Path) -> None:
    raw = _clip(tmp_path / "clip.mp4")
    from verify.store import Store

    Store.open(casebook_path).close()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(raw[:400])
    r = cli("--casebook", str(casebook_path), "media", str(cut))
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "video" in r.err


def test_a_still_from_an_attached_video_is_seen_before(
    cli, casebook_path: Path, tmp_path: Path
) -> None:
    from verify import actions
    from verify.models import utcnow
    from verify.store import Store

    clip = tmp_path / "clip.mp4"
    _clip(clip)
    still = tmp_path / "still.jpg"
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg is not None
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-i", str(clip), "-frames:v", "1", "-vf", "scale=320:240",
         str(still)],
        check=True,
        timeout=60,
    )  # fmt: skip
    with Store.open(casebook_path) as store:
        claim = store.add_claim(actions.new_claim("A clip of the strike", at=utcnow()))
    r = cli("--casebook", str(casebook_path), "evidence", "add", claim.id, "--file", str(clip))
    assert r.code == 0, r.err
    got = cli("--casebook", str(casebook_path), "media", str(still), "--json").json_lines()[0]
    assert [s["claim_id"] for s in got["seen"]] == [claim.id]
