"""Videos and sounds through the real upload and processing, with Debian's ffprobe and ffmpeg: facts from the
container, keyframes at scene changes, near-duplicate videos, and files that cannot or may not be analysed."""

import io
import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import need
from tests.evidence.conftest import upload
from verify.evidence import media, storage
from verify.evidence.models import CustodyAction, EvidenceItem, ProcessingStatus

pytestmark = pytest.mark.django_db

SCENES = [
    "-f",
    "lavfi",
    "-i",
    "testsrc=duration=2:size=320x240:rate=10",
    "-f",
    "lavfi",
    "-i",
    "smptebars=duration=2:size=320x240:rate=10",
    "-f",
    "lavfi",
    "-i",
    "mandelbrot=size=320x240:rate=10",
    "-filter_complex",
    "[0:v][1:v][2:v]concat=n=3:v=1[v]",
    "-map",
    "[v]",
    "-t",
    "6",
]


def ffmpeg(tmp: Path, name: str, *args: str) -> bytes:
    out = tmp / name
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args, str(out)], check=True, timeout=120)
    return out.read_bytes()


@pytest.fixture(scope="module")
def videos(tmp_path_factory) -> dict[str, bytes]:
    need(bool(shutil.which("ffmpeg") and shutil.which("ffprobe")), "ffmpeg is not installed")
    tmp = tmp_path_factory.mktemp("videos")
    original = ffmpeg(
        tmp,
        "original.mp4",
        *SCENES,
        *("-pix_fmt", "yuv420p", "-metadata", "creation_time=2015-03-01T10:00:00Z"),
        *("-metadata", "location=+36.2021+037.1343/", "-movflags", "use_metadata_tags"),
    )
    # The same footage re-encoded smaller and trimmed, as a re-upload would be.
    copy = ffmpeg(tmp, "copy.mp4", "-i", str(tmp / "original.mp4"), "-ss", "0.5", "-vf", "scale=240:180", "-crf", "35")
    other = ffmpeg(
        tmp, "other.mp4", "-f", "lavfi", "-i", "life=size=320x240:rate=10:seed=7", "-t", "3", "-pix_fmt", "yuv420p"
    )
    sound = ffmpeg(tmp, "tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2.5")
    return {"original": original, "copy": copy, "other": other, "sound": sound}


def store(client, django_capture_on_commit_callbacks, name: str, content: bytes, kind: str = "video") -> EvidenceItem:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, [(name, content)], kind=kind)
    [result] = response.json()["results"]
    assert result["status"] == "stored", result
    return EvidenceItem.objects.get(pk=result["id"])


def test_video_facts_keyframes_and_custody(client, researcher, videos, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "strike.mp4", videos["original"])
    item.refresh_from_db()
    assert item.processing_status == ProcessingStatus.DONE, item.processing_error
    assert item.duration_seconds == pytest.approx(6.0, abs=0.2)
    assert item.media_info["video_codec"] == "h264"
    assert (item.media_info["width"], item.media_info["height"]) == (320, 240)
    assert item.captured_at == datetime(2015, 3, 1, 10, 0, tzinfo=UTC)
    assert (item.gps_latitude, item.gps_longitude) == (Decimal("36.202100"), Decimal("37.134300"))
    frames = list(item.keyframes.all())
    # The first frame and the two cuts, in order, each with a thumbnail and a 64-bit perceptual hash.
    assert 3 <= len(frames) <= 12
    assert frames[0].time_seconds == 0
    assert any(abs(f.time_seconds - 2) < 0.3 for f in frames) and any(abs(f.time_seconds - 4) < 0.3 for f in frames)
    assert all(len(f.perceptual_hash) == 16 and storage.exists(f.thumbnail_name) for f in frames)
    assert len({f.perceptual_hash for f in frames}) == len(frames)
    processed = item.custody_events.get(action=CustodyAction.PROCESSED)
    assert processed.detail["keyframe_hashes"] == [f.perceptual_hash for f in frames]
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'id="keyframes"' in page and f"/evidence/{item.pk}/keyframes/1/" in page
    frame = client.get(f"/evidence/{item.pk}/keyframes/1/")
    assert frame.status_code == 200 and frame["Content-Type"] == "image/jpeg"
    assert client.get(f"/evidence/{item.pk}/keyframes/99/").status_code == 404


def test_keyframes_are_capped(client, researcher, videos, settings, django_capture_on_commit_callbacks):
    settings.EVIDENCE_MAX_KEYFRAMES = 2
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "strike.mp4", videos["original"])
    assert item.keyframes.count() == 2


def test_a_reencoded_trimmed_copy_is_flagged_and_an_unrelated_video_is_not(
    client, researcher, videos, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    original = store(client, django_capture_on_commit_callbacks, "original.mp4", videos["original"])
    copy = store(client, django_capture_on_commit_callbacks, "reupload.mp4", videos["copy"])
    other = store(client, django_capture_on_commit_callbacks, "other.mp4", videos["other"])
    assert copy.sha256 != original.sha256
    page = client.get(copy.get_absolute_url()).content.decode()
    assert 'id="video-duplicates"' in page and original.get_absolute_url() in page
    assert other.get_absolute_url() not in page
    assert 'id="video-duplicates"' not in client.get(other.get_absolute_url()).content.decode()


def test_audio_duration_and_codec(client, researcher, videos, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "call.wav", videos["sound"], kind="audio")
    item.refresh_from_db()
    assert item.processing_status == ProcessingStatus.DONE, item.processing_error
    assert item.duration_seconds == pytest.approx(2.5, abs=0.1)
    assert item.media_info["audio_codec"] == "pcm_s16le" and item.media_info["video_codec"] == ""
    assert item.keyframes.count() == 0


def test_a_corrupt_video_fails_with_the_reason(client, researcher, videos, django_capture_on_commit_callbacks):
    client.force_login(researcher)
    broken = videos["original"][:64] + os.urandom(20_000)  # an MP4 header, then noise
    item = store(client, django_capture_on_commit_callbacks, "broken.mp4", broken)
    item.refresh_from_db()
    assert item.mime_type == "video/mp4"
    assert item.processing_status == ProcessingStatus.FAILED
    assert "ffprobe could not read the file" in item.processing_error or "ffmpeg" in item.processing_error
    assert item.keyframes.count() == 0
    assert item.processing_error in client.get(item.get_absolute_url()).content.decode()


def test_a_video_over_the_analysis_limit_is_kept_but_not_analysed(
    client, researcher, videos, settings, django_capture_on_commit_callbacks
):
    """The limit stands in for a 2 GB video: the same check, without writing 2 GB in a test."""
    settings.EVIDENCE_MEDIA_MAX_BYTES = 10_000
    client.force_login(researcher)
    item = store(client, django_capture_on_commit_callbacks, "long.mp4", videos["original"])
    item.refresh_from_db()
    assert item.processing_status == ProcessingStatus.FAILED
    assert "analysis limit of 10,000 bytes" in item.processing_error
    assert storage.exists(item.storage_name)


def test_a_zip_bomb_named_as_a_video_is_refused_at_upload(client, researcher):
    client.force_login(researcher)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 50_000_000)
    response = upload(client, [("video.mp4", buffer.getvalue())], kind="video")
    [result] = response.json()["results"]
    assert result["status"] == "rejected" and "application/zip" in result["message"]
    assert EvidenceItem.objects.count() == 0


def test_without_ffmpeg_processing_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(media.ProcessingFailed, match="install ffmpeg"):
        media.probe(tmp_path / "any.mp4")
