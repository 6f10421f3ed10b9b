"""Facts from videos and sounds with Debian's ffprobe and ffmpeg: duration, codecs, size, creation time, GPS from
the container's metadata, and keyframes at scene changes with a thumbnail and a perceptual hash each.

No database access. Every external run has a time limit; a file the tools cannot read is a ProcessingFailed with
the tool's own reason.
"""

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import imagehash
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from verify.evidence.processing import ProcessingFailed, make_thumbnail

ISO6709 = re.compile(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")
PTS_TIME = re.compile(r"pts_time:\s*([0-9.]+)")


def ffmpeg_available() -> bool:
    return bool(shutil.which("ffprobe") and shutil.which("ffmpeg"))


@dataclass
class Keyframe:
    time_seconds: float
    thumbnail: bytes
    perceptual_hash: str


@dataclass
class MediaFacts:
    duration_seconds: float | None = None
    container: str = ""
    video_codec: str = ""
    audio_codec: str = ""
    width: int | None = None
    height: int | None = None
    created_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    device: str = ""
    keyframes: list[Keyframe] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "duration": self.duration_seconds,
            "container": self.container,
            "video_codec": self.video_codec,
            "audio_codec": self.audio_codec,
            "width": self.width,
            "height": self.height,
            "keyframes": len(self.keyframes),
            "notes": self.notes,
        }


def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False)  # noqa: S603 (a fixed argv, no shell)
    except subprocess.TimeoutExpired as exc:
        raise ProcessingFailed(
            _("%(tool)s took longer than %(seconds)d seconds; the file was not analysed.")
            % {"tool": args[0], "seconds": timeout}
        ) from exc


def _tail(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return " ".join(lines[-2:])[:300]


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.year < 1990:  # 1904/1970 are an empty QuickTime or Unix epoch, not a time
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def probe(path: Path) -> MediaFacts:
    if not ffmpeg_available():
        raise ProcessingFailed(_("Video and audio analysis is not available: install ffmpeg."))
    result = _run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        settings.EVIDENCE_FFMPEG_TIMEOUT,
    )
    if result.returncode != 0:
        raise ProcessingFailed(_("ffprobe could not read the file: %(error)s") % {"error": _tail(result.stderr)})
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise ProcessingFailed(_("ffprobe gave no readable answer.")) from exc
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    facts = MediaFacts(container=str(fmt.get("format_name", ""))[:100])
    try:
        facts.duration_seconds = round(float(fmt["duration"]), 3)
    except (KeyError, TypeError, ValueError):
        facts.notes.append("No duration in the container.")
    video = next((s for s in streams if s.get("codec_type") == "video" and not _is_cover(s)), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None and audio is None:
        raise ProcessingFailed(_("The file has no video or audio stream."))
    if video is not None:
        facts.video_codec = str(video.get("codec_name", ""))[:40]
        facts.width, facts.height = video.get("width"), video.get("height")
    if audio is not None:
        facts.audio_codec = str(audio.get("codec_name", ""))[:40]
    tags = {k.lower(): v for k, v in (fmt.get("tags") or {}).items()}
    for stream in streams:
        for key, value in (stream.get("tags") or {}).items():
            tags.setdefault(key.lower(), value)
    if tags.get("creation_time"):
        facts.created_at = _parse_time(str(tags["creation_time"]))
    location = tags.get("location") or tags.get("com.apple.quicktime.location.iso6709") or ""
    match = ISO6709.match(str(location))
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
            facts.latitude = Decimal(str(lat)).quantize(Decimal("0.000001"))
            facts.longitude = Decimal(str(lon)).quantize(Decimal("0.000001"))
        else:
            facts.notes.append(f"Container position out of range ignored: {location}")
    make = str(tags.get("com.apple.quicktime.make") or tags.get("make") or "")
    model = str(tags.get("com.apple.quicktime.model") or tags.get("model") or "")
    facts.device = " ".join(p for p in (make, model) if p)[:200]
    return facts


def _is_cover(stream: dict) -> bool:
    return bool((stream.get("disposition") or {}).get("attached_pic"))


def keyframes(path: Path, *, max_frames: int, threshold: float = 0.3) -> list[Keyframe]:
    """The first frame and every scene change (ffmpeg's scene score above `threshold`), at most `max_frames`."""
    with tempfile.TemporaryDirectory(prefix="keyframes-") as tmp:
        pattern = str(Path(tmp) / "k%03d.png")
        result = _run(
            [
                *("ffmpeg", "-hide_banner", "-nostdin", "-v", "info", "-i", str(path), "-an", "-sn", "-dn"),
                *("-vf", f"select='eq(n\\,0)+gt(scene\\,{threshold})',showinfo,scale=480:-2"),
                *("-fps_mode", "vfr", "-frames:v", str(max_frames), pattern),
            ],
            settings.EVIDENCE_FFMPEG_TIMEOUT,
        )
        frames = sorted(Path(tmp).glob("k*.png"))
        if result.returncode != 0 and not frames:
            raise ProcessingFailed(_("ffmpeg could not decode the video: %(error)s") % {"error": _tail(result.stderr)})
        times = [float(t) for t in PTS_TIME.findall(result.stderr.decode("utf-8", "replace"))]
        found = []
        for index, frame in enumerate(frames):
            with Image.open(frame) as image:
                image.load()
                found.append(
                    Keyframe(
                        time_seconds=round(times[index], 3) if index < len(times) else 0.0,
                        thumbnail=make_thumbnail(image),
                        perceptual_hash=str(imagehash.phash(image)),
                    )
                )
        return found


def analyse(path: Path, *, size_bytes: int, is_video: bool) -> MediaFacts:
    limit = settings.EVIDENCE_MEDIA_MAX_BYTES
    if size_bytes > limit:
        raise ProcessingFailed(
            _("The file is %(size)s bytes, more than the analysis limit of %(limit)s bytes; it is kept, not analysed.")
            % {"size": f"{size_bytes:,}", "limit": f"{limit:,}"}
        )
    facts = probe(path)
    if is_video and facts.video_codec:
        facts.keyframes = keyframes(path, max_frames=settings.EVIDENCE_MAX_KEYFRAMES)
        if not facts.keyframes:
            facts.notes.append("No frame could be decoded.")
    return facts
