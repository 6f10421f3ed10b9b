"""Web capture and keyframe benchmarks (issue 16). Prints figures; asserts nothing.

    .venv/bin/python bench/capture.py

1. Capture of a local page (a test HTTP server on 127.0.0.1) with ten images and a 50 MB video
   (BENCH_VIDEO_MIB): the total time of one capture through the service (browser, WARC, storing every file as
   evidence), and the share of it spent with Chromium open.
2. Keyframe extraction (verify/evidence/media.py: scene detection, thumbnails, perceptual hashes) on a 60-second
   720p video, against plain ffmpeg decoding the same file (`ffmpeg -i f -f null -`).
"""

import functools
import http.server
import os
import random
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import run  # noqa: F401 (bench/run.py: Django set up on a throwaway database)
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from PIL import Image

from verify.evidence import media, services
from verify.evidence.models import WebCapture

VIDEO_MIB = int(os.environ.get("BENCH_VIDEO_MIB", "50"))


def sh(argv: list[str]) -> None:
    subprocess.run(argv, check=True)  # noqa: S603 (a fixed argv, no shell)


def site(root: Path) -> None:
    rng = random.Random(1)
    images = []
    for i in range(10):
        image = Image.new("RGB", (400, 300))
        image.putdata([(rng.randrange(256), rng.randrange(256), i * 20) for _ in range(400 * 300)])
        image.save(root / f"img{i}.png")
        images.append(f'<img src="img{i}.png" width="200">')
    header = bytes.fromhex("0000001c667479706d703432000000006d7034316d70343269736f6d")  # an MP4 'ftyp' box
    with (root / "video.mp4").open("wb") as fh:
        fh.write(header)
        fh.write(os.urandom(VIDEO_MIB * 1024 * 1024))
    (root / "index.html").write_text(
        "<html><head><title>Bench page</title></head><body><h1>Ten images and a video</h1>"
        + "".join(images)
        + '<video src="video.mp4" controls></video></body></html>'
    )


def bench_capture() -> None:
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-capture")
    user.groups.add(Group.objects.get(name="Researcher"))
    settings.CAPTURE_ALLOW_PRIVATE = True
    settings.CAPTURE_MAX_BYTES = 1024**3
    settings.CAPTURE_TIMEOUT = 900  # a 50 MB video on a shared machine
    settings.CELERY_TASK_ALWAYS_EAGER = False  # run the capture here, not through on_commit
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site(root)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
        handler.log_message = lambda *a: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/index.html"
        for round_ in range(3):
            capture = WebCapture.objects.create(requested_url=url, requested_by=user)
            t0 = time.perf_counter()
            result = services.webcapture.capture(
                url, root / f"work{round_}", policy=services.capture_policy(), limits=services.capture_limits()
            )
            browser = time.perf_counter() - t0
            services._capture_store(capture, result)
            total = time.perf_counter() - t0
            services.webcapture.discard(root / f"work{round_}")
            items = capture.capture_items.count()
            mib = result.bytes_fetched / 2**20
            print(
                f"capture {round_ + 1}: {total:.2f} s total for {items} files, {mib:.1f} MiB fetched; "
                f"Chromium open {browser:.2f} s ({100 * browser / total:.0f} %), storing {total - browser:.2f} s"
            )
        server.shutdown()


def bench_keyframes() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "scenes.mp4"
        sources = []
        for src in ["testsrc", "smptebars", "mandelbrot", "rgbtestsrc", "testsrc2", "cellauto"]:
            sources += ["-f", "lavfi", "-i", f"{src}=size=1280x720:rate=25"]
        inputs = "".join(
            f"[{i}:v]trim=duration=10,setpts=PTS-STARTPTS,scale=1280:720,setsar=1[v{i}];" for i in range(6)
        )
        concat = inputs + "".join(f"[v{i}]" for i in range(6)) + "concat=n=6:v=1[out]"
        sh(["ffmpeg", "-loglevel", "error", "-y", *sources, "-filter_complex", concat, "-map", "[out]",
            "-pix_fmt", "yuv420p", str(video)])  # fmt: skip
        size = video.stat().st_size / 2**20
        t0 = time.perf_counter()
        sh(["ffmpeg", "-loglevel", "error", "-i", str(video), "-f", "null", "-"])
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        frames = media.keyframes(video, max_frames=settings.EVIDENCE_MAX_KEYFRAMES)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        media.probe(video)
        probe = time.perf_counter() - t0
        print(f"keyframes of a 60 s 720p video ({size:.1f} MiB): {len(frames)} frames in {ours:.2f} s; plain ffmpeg "
              f"decode {plain:.2f} s (ratio {ours / plain:.2f}); ffprobe {probe * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    bench_capture()
    bench_keyframes()
