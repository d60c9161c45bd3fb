"""What verify knows about a photo or video: the record stored beside its archived bytes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Gps(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    """Decimal degrees, north and east positive."""


class MediaInfo(BaseModel):
    """Metadata and perceptual hashes of one photo or video."""

    model_config = ConfigDict(extra="forbid")

    sha256: str
    media_type: str
    width: int = 0
    height: int = 0
    phash: str = ""
    """64-bit pHash of the picture (a video: of its first keyframe), 16 hex digits."""
    hashes: list[str] = Field(default_factory=list)
    """All the hashes "seen before?" compares: the whole picture and its centre; for a
    video, those of a few keyframes."""
    exif: dict[str, str] = Field(default_factory=dict)
    """Camera make and model, software, times, as the file states them (untrusted)."""
    gps: Gps | None = None
    taken: str | None = None
    """When the file says it was taken, as it says it (ISO 8601; no zone unless given)."""
    video: dict[str, Any] = Field(default_factory=dict)
    """Container metadata (duration, codecs, creation time) when ffprobe could read it."""
    notes: list[str] = Field(default_factory=list)
    """What could not be done and why (ffmpeg missing, no EXIF)."""


class Seen(BaseModel):
    """A picture in the casebook that looks like the one asked about."""

    evidence_id: str
    claim_id: str
    distance: int
    """Bits of the 64-bit perceptual hash that differ: 0 the same picture."""
