"""Web capture end to end: a page served by a local HTTP server started here, captured by the real Chromium
through the real view and task, stored as evidence with custody events; and every refusal and failure."""

import hashlib
import http.server
import io
import random
import shutil
import subprocess
import threading
import time
from collections import Counter

import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import need
from tests.evidence.conftest import tmp_files
from verify.evidence import netguard, storage, webcapture
from verify.evidence.models import (
    CaptureStatus,
    CustodyAction,
    EvidenceItem,
    EvidenceKind,
    IncidentEvidence,
    WebCapture,
)

pytestmark = pytest.mark.django_db(transaction=False)


def noise_png(seed: int, size: int = 160) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size))
    image.putdata([(rng.randrange(256), rng.randrange(256), 90) for _ in range(size * size)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory) -> bytes:
    if not shutil.which("ffmpeg"):
        return b""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    source = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "2", "-pix_fmt", "yuv420p"]
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", *source, str(path)],
        check=True,
        timeout=60,
    )
    return path.read_bytes()


class Site:
    """A small site on 127.0.0.1 with a page, an image, a video, redirects and misbehaving paths."""

    def __init__(self, video: bytes):
        self.image = noise_png(1)
        self.icon = noise_png(2, size=4)
        self.video = video
        self.hits: Counter = Counter()
        self.title = "Statement of the ministry — بيان الوزارة"
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, status: int, body: bytes, content_type: str, **headers) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Test-Site", "yes")
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                site.hits[path] += 1
                video = '<video src="/clip.mp4" controls></video>' if site.video else ""
                pages = {
                    "/page.html": f"<html><head><meta charset='utf-8'><title>{site.title}</title></head><body>"
                    f"<h1>Statement</h1><p>Strike on the market.</p><img src='/photo.png'><img src='/icon.png'>"
                    f"{video}<img src='http://169.254.169.254/latest/meta-data.png'></body></html>",
                }
                if path in pages:
                    self.send(200, pages[path].encode(), "text/html; charset=utf-8")
                elif path == "/photo.png":
                    self.send(200, site.image, "image/png")
                elif path == "/icon.png":
                    self.send(200, site.icon, "image/png")
                elif path == "/clip.mp4" and site.video:
                    self.send(200, site.video, "video/mp4")
                elif path == "/moved":
                    self.send(302, b"", "text/html", Location="/page.html")
                elif path == "/loop":
                    self.send(302, b"", "text/html", Location="/loop")
                elif path == "/to-metadata":
                    self.send(302, b"", "text/html", Location="http://169.254.169.254/latest/meta-data/")
                elif path == "/slow":
                    time.sleep(6)
                    self.send(200, b"<html>late</html>", "text/html")
                elif path == "/big":
                    self.send(200, b"<html>" + b"x" * 3_000_000 + b"</html>", "text/html")
                elif path == "/error":
                    self.send(503, b"<html>down</html>", "text/html")
                else:
                    self.send(404, b"<html>not found</html>", "text/html")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture
def site(video_bytes):
    served = Site(video_bytes)
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.fixture
def capture_settings(settings):
    need(webcapture.chromium_available(), f"Chromium is not installed at {webcapture.CHROMIUM}")
    settings.CAPTURE_ALLOW_PRIVATE = True
    settings.CAPTURE_MEDIA_MIN_BYTES = 1000
    settings.CAPTURE_TIMEOUT = 30
    settings.CAPTURE_REQUEST_TIMEOUT = 10
    return settings


def capture(client, django_capture_on_commit_callbacks, urls, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/evidence/captures/new/", {"urls": "\n".join(urls), **fields})


def stored_bytes(item: EvidenceItem) -> bytes:
    with storage.open_stored(item.storage_name) as fh:
        return fh.read()


def test_a_page_is_captured_with_its_redirect_image_video_and_warc(
    client, researcher, incident, site, capture_settings, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    response = capture(client, django_capture_on_commit_callbacks, [site.url("/moved")], incident=incident.reference)
    capture_row = WebCapture.objects.get()
    assert response.status_code == 302 and response["Location"] == capture_row.get_absolute_url()
    assert capture_row.status == CaptureStatus.DONE, capture_row.failure_detail
    assert capture_row.requested_url == site.url("/moved")
    assert capture_row.final_url == site.url("/page.html")
    assert capture_row.redirects == [
        {"url": site.url("/moved"), "status": 302},
        {"url": site.url("/page.html"), "status": 200},
    ]
    assert capture_row.http_status == 200
    assert capture_row.title == site.title
    assert "Chrome" in capture_row.user_agent
    assert capture_row.captured_at is not None and capture_row.captured_at.utcoffset().total_seconds() == 0
    # The cloud metadata address is refused even with private addresses allowed, and never fetched.
    assert {"url": "http://169.254.169.254/latest/meta-data.png", "code": "blocked_address"} in capture_row.blocked

    roles = {ci.role: ci.evidence for ci in capture_row.capture_items.select_related("evidence")}
    media = {ci.url: ci.evidence for ci in capture_row.capture_items.filter(role="media").select_related("evidence")}
    assert {"screenshot", "pdf", "html", "warc", "media"} <= set(roles)
    assert roles["screenshot"].mime_type == "image/png"
    assert roles["pdf"].mime_type == "application/pdf"
    assert roles["html"].mime_type == "text/html"
    assert roles["warc"].mime_type == "application/warc"
    assert all(item.kind == EvidenceKind.WEB_CAPTURE for item in (roles["screenshot"], roles["pdf"], roles["warc"]))
    # Embedded media above the threshold are kept whole; the 4×4 icon is not.
    assert stored_bytes(media[site.url("/photo.png")]) == site.image
    assert media[site.url("/photo.png")].kind == EvidenceKind.PHOTO
    assert site.url("/icon.png") not in media
    if site.video:
        assert stored_bytes(media[site.url("/clip.mp4")]) == site.video
        assert media[site.url("/clip.mp4")].kind == EvidenceKind.VIDEO
    assert "Strike on the market." in stored_bytes(roles["html"]).decode()

    for ci in capture_row.capture_items.select_related("evidence"):
        item = ci.evidence
        assert hashlib.sha256(stored_bytes(item)).hexdigest() == item.sha256
        actions = list(item.custody_events.values_list("action", flat=True))
        assert actions[:3] == [CustodyAction.UPLOADED, CustodyAction.LINKED, CustodyAction.CAPTURED]
        assert actions[3:] == [CustodyAction.PROCESSED]  # then processed, as every stored file
        captured = item.custody_events.get(action=CustodyAction.CAPTURED)
        assert captured.actor == researcher and captured.sha256 == item.sha256
        assert captured.detail["capture"] == capture_row.pk and captured.detail["role"] == ci.role
        assert captured.detail["final_url"] == site.url("/page.html")
        assert IncidentEvidence.objects.filter(incident=incident, evidence=item).exists()

    # The WARC holds every response with its headers as received.
    records, bodies = {}, {}
    for record in ArchiveIterator(io.BytesIO(stored_bytes(roles["warc"]))):
        if record.rec_type == "response":
            uri = record.rec_headers.get_header("WARC-Target-URI")
            records[uri], bodies[uri] = record, record.content_stream().read()
    assert set(records) >= {site.url("/moved"), site.url("/page.html"), site.url("/photo.png")}
    assert records[site.url("/moved")].http_headers.get_statuscode() == "302"
    assert records[site.url("/photo.png")].http_headers.get_header("X-Test-Site") == "yes"
    assert bodies[site.url("/photo.png")] == site.image
    assert records[site.url("/page.html")].rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert tmp_files() == []

    page = client.get(capture_row.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert site.url("/page.html") in html and roles["warc"].sha256 in html and "169.254.169.254" in html


def test_recapture_keeps_both_and_stores_identical_bytes_once(
    client, researcher, site, capture_settings, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    capture(client, django_capture_on_commit_callbacks, [site.url("/page.html")])
    capture(client, django_capture_on_commit_callbacks, [site.url("/page.html")])
    first, second = WebCapture.objects.order_by("pk")
    assert first.status == second.status == CaptureStatus.DONE
    photo = hashlib.sha256(site.image).hexdigest()
    assert EvidenceItem.objects.filter(sha256=photo).count() == 1
    assert first.capture_items.get(url=site.url("/photo.png")).evidence_id == (
        second.capture_items.get(url=site.url("/photo.png")).evidence_id
    )
    item = EvidenceItem.objects.get(sha256=photo)
    assert item.custody_events.filter(action=CustodyAction.CAPTURED).count() == 2
    assert client.get("/evidence/captures/").content.decode().count(site.url("/page.html")) == 2


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("javascript:alert(1)", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("data:text/html,<h1>x</h1>", "scheme"),
        ("http://user:secret@example.org/", "credentials"),
        ("https://@example.org/", "credentials"),
        ("http:///nohost", "invalid_url"),
    ],
)
def test_bad_urls_are_refused_before_anything_is_recorded(client, researcher, url, code, settings):
    client.force_login(researcher)
    response = client.post("/evidence/captures/new/", {"urls": f"https://example.org/\n{url}"})
    assert response.status_code == 400
    assert WebCapture.objects.count() == 0
    with pytest.raises(netguard.Refused) as refused:
        netguard.check_url(url, netguard.Policy())
    assert refused.value.code == code
    assert str(refused.value) in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_domain_lists(client, researcher, settings):
    settings.CAPTURE_DENY_DOMAINS = ["blocked.example"]
    client.force_login(researcher)
    response = client.post("/evidence/captures/new/", {"urls": "https://news.blocked.example/story"})
    assert response.status_code == 400 and "deny-list" in response.content.decode()
    settings.CAPTURE_DENY_DOMAINS = []
    settings.CAPTURE_ALLOW_DOMAINS = ["ministry.example"]
    assert client.post("/evidence/captures/new/", {"urls": "https://other.example/"}).status_code == 400
    policy = netguard.Policy(allow_domains=("ministry.example",), deny_domains=("ads.example",))
    assert netguard.check_url("https://www.ministry.example/a", policy)[1] == "www.ministry.example"
    # The allow-list is for the pages asked for; the deny-list holds for every request a page makes.
    assert netguard.check_url("https://cdn.other.example/x.png", policy, top_level=False)
    with pytest.raises(netguard.Refused):
        netguard.check_url("https://ads.example/x.js", policy, top_level=False)
    assert WebCapture.objects.count() == 0


@pytest.mark.parametrize(
    ("address", "default", "with_private"),
    [
        ("8.8.8.8", True, True),
        ("2001:4860:4860::8888", True, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("10.1.2.3", False, True),
        ("192.168.0.1", False, True),
        ("172.16.5.4", False, True),
        ("::ffff:127.0.0.1", False, True),
        ("169.254.169.254", False, False),
        ("169.254.1.1", False, False),
        ("fe80::1", False, False),
        ("fd00:ec2::254", False, False),
        ("100.100.100.200", False, False),
        ("100.64.0.1", False, False),
        ("0.0.0.0", False, False),  # noqa: S104
        ("224.0.0.1", False, False),
    ],
)
def test_addresses(address, default, with_private):
    assert netguard.address_allowed(address, netguard.Policy()) is default
    assert netguard.address_allowed(address, netguard.Policy(allow_private=True)) is with_private


def run_one(client, researcher, dcc, url) -> WebCapture:
    client.force_login(researcher)
    capture(client, dcc, [url])
    return WebCapture.objects.get()


def assert_failed_and_nothing_saved(row: WebCapture, code: str) -> None:
    assert row.status == CaptureStatus.FAILED, row
    assert row.failure_code == code, row.failure_detail
    assert row.failure_detail
    assert row.capture_items.count() == 0
    assert EvidenceItem.objects.count() == 0
    assert tmp_files() == []
    assert not [p for p in storage.root().rglob("*") if p.is_file()]


def test_loopback_is_refused_by_default_and_never_contacted(
    client, researcher, site, django_capture_on_commit_callbacks, settings
):
    need(webcapture.chromium_available(), "Chromium is not installed")
    settings.CAPTURE_ALLOW_PRIVATE = False
    row = run_one(client, researcher, django_capture_on_commit_callbacks, site.url("/page.html"))
    assert_failed_and_nothing_saved(row, "blocked_address")
    assert "127.0.0.1" in row.failure_detail
    assert sum(site.hits.values()) == 0
    page = client.get(row.get_absolute_url()).content.decode()
    assert "blocked_address" in page and "Nothing was stored" in page


def test_localhost_name_is_refused(settings):
    with pytest.raises(netguard.Refused) as refused:
        netguard.resolve_checked("localhost", 80, netguard.Policy())
    assert refused.value.code == "blocked_address"


def test_a_redirect_to_the_metadata_address_is_refused(
    client, researcher, site, capture_settings, django_capture_on_commit_callbacks
):
    row = run_one(client, researcher, django_capture_on_commit_callbacks, site.url("/to-metadata"))
    assert_failed_and_nothing_saved(row, "blocked_address")
    assert "169.254.169.254" in row.failure_detail


@pytest.mark.parametrize(
    ("path", "code", "limits"),
    [
        ("/missing", "http_error", {}),
        ("/error", "http_error", {}),
        ("/loop", "too_many_redirects", {"CAPTURE_MAX_REDIRECTS": 3}),
        ("/slow", "timeout", {"CAPTURE_TIMEOUT": 3, "CAPTURE_REQUEST_TIMEOUT": 2}),
        ("/big", "too_large", {"CAPTURE_MAX_BYTES": 1_000_000}),
    ],
)
def test_failures_are_reported_and_nothing_is_half_saved(
    client, researcher, site, capture_settings, django_capture_on_commit_callbacks, path, code, limits
):
    for name, value in limits.items():
        setattr(capture_settings, name, value)
    row = run_one(client, researcher, django_capture_on_commit_callbacks, site.url(path))
    assert_failed_and_nothing_saved(row, code)
    if path == "/loop":
        assert site.hits["/loop"] == 4  # the first request and three redirects, then it stops


def test_a_page_too_large_with_its_resources_fails_whole(
    client, researcher, site, capture_settings, django_capture_on_commit_callbacks
):
    capture_settings.CAPTURE_MAX_BYTES = len(site.image) // 2 + 2000  # the page fits, the photo does not
    row = run_one(client, researcher, django_capture_on_commit_callbacks, site.url("/page.html"))
    assert_failed_and_nothing_saved(row, "too_large")


def test_dns_failure(client, researcher, capture_settings, django_capture_on_commit_callbacks):
    row = run_one(client, researcher, django_capture_on_commit_callbacks, "http://no-such-host.invalid/")
    assert_failed_and_nothing_saved(row, "dns")


def test_without_chromium_the_page_says_so(client, researcher, monkeypatch):
    monkeypatch.setattr(webcapture, "CHROMIUM", "/nonexistent/chromium")
    client.force_login(researcher)
    assert "install chromium" in client.get("/evidence/").content.decode()
    response = client.post("/evidence/captures/new/", {"urls": "https://example.org/"})
    assert response.status_code == 400 and "install chromium" in response.content.decode()
    assert WebCapture.objects.count() == 0


def test_captures_of_a_restricted_incident_are_hidden_from_outsiders(client, researcher, viewer, incident, settings):
    incident.restricted = True
    incident.save()
    row = WebCapture.objects.create(requested_url="https://example.org/", incident=incident, requested_by=researcher)
    client.force_login(viewer)
    assert client.get(row.get_absolute_url()).status_code == 404
    assert "example.org" not in client.get("/evidence/captures/").content.decode()


def test_viewers_cannot_request_captures(client, viewer):
    client.force_login(viewer)
    assert client.post("/evidence/captures/new/", {"urls": "https://example.org/"}).status_code == 403
    assert WebCapture.objects.count() == 0
