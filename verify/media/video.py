"""Video through ffprobe and ffmpeg, when they are installed: container metadata and the
perceptual hashes of a few keyframes. Without them a video is kept by its sha256 alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image

from verify.errors import VerifyError
from verify.media import phash

KEYFRAMES = 6
"""Keyframes hashed, from the start: a recycled clip is usually re-cut, not re-ordered."""
FRAME_SIDE = 128
TIMEOUT_S = 60.0
"""A hostile file must not hold the desk up: ffprobe and ffmpeg are stopped after this."""
MISSING = "video keyframes not hashed: ffmpeg is not installed (install ffmpeg to compare videos)"


def tools() -> tuple[str, str] | None:
    ffprobe, ffmpeg = shutil.which("ffprobe"), shutil.which("ffmpeg")
    return (ffprobe, ffmpeg) if ffprobe and ffmpeg else None


def probe(raw: bytes, name: str) -> tuple[dict[str, Any], list[int], tuple[int, int]]:
    """(container metadata, keyframe hashes, (width, height)); VerifyError if unreadable."""
    found = tools()
    if found is None:
        raise LookupError(MISSING)
    ffprobe, ffmpeg = found
    with tempfile.TemporaryDirectory(prefix="verify-media-") as tmp:
        # The tools seek in the file (an MP4's index is often at its end): give them one.
        path = Path(tmp) / "clip"
        path.write_bytes(raw)
        meta = _run(
            [
                ffprobe,
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                str(path),
            ],
            name,
        )
        try:
            info = json.loads(meta)
        except (json.JSONDecodeError, RecursionError):
            raise VerifyError(f"{name}: ffprobe could not read this video") from None
        streams = [s for s in info.get("streams", []) if isinstance(s, dict)]
        video = next((s for s in streams if s.get("codec_type") == "video"), None)
        if video is None:
            raise VerifyError(f"{name}: no video stream in this file")
        frames = _run(
            [
                ffmpeg,
                "-v",
                "error",
                "-nostdin",
                "-skip_frame",
                "nokey",
                "-i",
                str(path),
                "-frames:v",
                str(KEYFRAMES),
                "-vsync",
                "vfr",
                "-vf",
                f"scale={FRAME_SIDE}:{FRAME_SIDE},format=gray",
                "-f",
                "rawvideo",
                "-",
            ],
            name,
            binary=True,
        )
    size = FRAME_SIDE * FRAME_SIDE
    hashes = [
        phash.phash(Image.frombytes("L", (FRAME_SIDE, FRAME_SIDE), frames[i : i + size]))
        for i in range(0, len(frames) - size + 1, size)
    ]
    if not hashes:
        raise VerifyError(f"{name}: no frame of this video could be decoded")
    fmt = _dict(info.get("format"))
    tags = _dict(fmt.get("tags"))
    container = {
        "format": str(fmt.get("format_name", ""))[:100],
        "duration": _number(fmt.get("duration")),
        "codec": str(video.get("codec_name", ""))[:40],
        "frame_rate": str(video.get("avg_frame_rate", ""))[:20],
        "creation_time": str(tags.get("creation_time", ""))[:40],
        "encoder": str(tags.get("encoder", ""))[:100],
    }
    width, height = _int(video.get("width")), _int(video.get("height"))
    return {k: v for k, v in container.items() if v not in ("", None)}, hashes, (width, height)


def _run(cmd: list[str], name: str, binary: bool = False) -> Any:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise VerifyError(f"{name}: reading the video took over {TIMEOUT_S:.0f} s") from None
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise VerifyError(f"{name}: unreadable video ({(first or ['ffmpeg failed'])[0][:120]})")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    try:
        return round(float(value), 3)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
