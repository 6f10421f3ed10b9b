"""Capturing a web page in headless Chromium: screenshot, PDF, final HTML, a WARC of every response, and media.

Chromium never reaches the network itself. Every request it makes is intercepted (Playwright's route) and fetched
here, in Python, by `SafeFetcher`: the URL and every address of its host are checked (netguard), the connection
goes to the checked address, and the response is handed back to the browser. A redirect is handed back as a
redirect, so the browser's next request is intercepted and checked in turn. Chromium also runs with a host
resolver that resolves nothing, so that anything not intercepted cannot reach a named host.

No database access here: the capture is written to a work directory, and the service stores it afterwards, in
one transaction, or not at all.
"""

import contextlib
import http.client
import io
import os
import re
import shutil
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from verify.evidence.netguard import Policy, Refused, check_url, resolve_checked

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Defence in depth: whatever the interception misses cannot resolve a name or reach an address.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection", "trailer"}
MEDIA_PREFIXES = ("image/", "video/", "audio/")
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


class CaptureFailed(Exception):
    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    request_timeout_s: float = 20.0
    max_bytes: int = 500 * 1024 * 1024
    max_redirects: int = 10
    max_requests: int = 500
    media_min_bytes: int = 10 * 1024


@dataclass
class Exchange:
    """One request and its response, as fetched: what the WARC records."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int = 0
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    address: str = ""
    error: str = ""
    error_code: str = ""

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";", 1)[0].strip().lower()
        return ""

    def header(self, wanted: str) -> str:
        return next((v for n, v in self.headers if n.lower() == wanted), "")


@dataclass
class CapturedFile:
    role: str  # screenshot, pdf, html, warc, media
    path: Path
    filename: str
    url: str = ""


@dataclass
class CaptureResult:
    requested_url: str
    final_url: str = ""
    http_status: int | None = None
    title: str = ""
    user_agent: str = ""
    captured_at: datetime | None = None
    redirects: list[dict] = field(default_factory=list)
    files: list[CapturedFile] = field(default_factory=list)
    blocked: list[dict] = field(default_factory=list)
    requests: int = 0
    bytes_fetched: int = 0
    browser_seconds: float = 0.0


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class SafeFetcher:
    """Fetches for the browser, within the policy and the limits, and keeps every exchange."""

    def __init__(self, policy: Policy, limits: Limits, deadline: float):
        self.policy, self.limits, self.deadline = policy, limits, deadline
        self.exchanges: list[Exchange] = []
        self.blocked: list[dict] = []
        self.total_bytes = 0
        self.failure: CaptureFailed | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def fetch(self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None, body=None) -> Exchange:
        sent = [(k, v) for k, v in (headers or {}).items() if k.lower() not in HOP_HEADERS and not k.startswith(":")]
        sent = [(k, v) for k, v in sent if k.lower() not in {"host", "accept-encoding", "range", "cookie"}]
        exchange = Exchange(url=url, method=method, request_headers=sent)
        try:
            self._fetch(exchange, body)
        except Refused as exc:
            exchange.error_code, exchange.error = exc.code, str(exc)
            self.blocked.append({"url": url[:500], "code": exc.code})
        self.exchanges.append(exchange)
        return exchange

    def _fetch(self, exchange: Exchange, body) -> None:
        if len(self.exchanges) >= self.limits.max_requests:
            raise Refused("too_many_requests", _("The page made more requests than the limit."))
        scheme, host, port = check_url(exchange.url, self.policy, top_level=False)
        timeout = min(self.limits.request_timeout_s, self.remaining())
        if timeout <= 0:
            raise Refused("timeout", _("The capture ran out of time."))
        exchange.address = resolve_checked(host, port, self.policy)
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = cls(host, port, exchange.address, timeout)
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = host if port in (80, 443) else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
        request_headers = dict(exchange.request_headers) | {"Host": host_header, "Accept-Encoding": "identity"}
        try:
            conn.request(exchange.method, target, body=body, headers=request_headers)
            response = conn.getresponse()
            exchange.status, exchange.reason = response.status, response.reason
            exchange.headers = list(response.getheaders())
            chunks, size = [], 0
            while True:
                if self.remaining() <= 0:
                    raise Refused("timeout", _("The capture ran out of time."))
                chunk = response.read(256 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if self.total_bytes + size > self.limits.max_bytes:
                    raise Refused(
                        "too_large",
                        _("The page and its resources are larger than the limit of %(limit)s bytes.")
                        % {"limit": f"{self.limits.max_bytes:,}"},
                    )
                chunks.append(chunk)
            exchange.body = b"".join(chunks)
            self.total_bytes += size
        except TimeoutError as exc:
            raise Refused("timeout", _("The server did not answer in time.")) from exc
        except ssl.SSLError as exc:
            raise Refused("tls", _("The secure connection failed: %(error)s") % {"error": exc}) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise Refused("connection", _("The connection failed: %(error)s") % {"error": exc}) from exc
        finally:
            conn.close()


def _safe_name(url: str, content_type: str, index: int) -> str:
    base = os.path.basename(urlsplit(url).path) or "file"
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:80] or "file"
    return f"{index:02d}-{base}"


def capture(url: str, workdir: Path, *, policy: Policy, limits: Limits, user_agent: str = "") -> CaptureResult:
    """Capture one page into `workdir`. Raises Refused or CaptureFailed with a reason; nothing is kept then."""
    check_url(url, policy, top_level=True)
    if not chromium_available():
        raise CaptureFailed("no_browser", _("Web capture is not available: install chromium."))
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    result = CaptureResult(requested_url=url)
    started = time.monotonic()
    fetcher = SafeFetcher(policy, limits, started + limits.timeout_s)
    navigation: dict = {"failure": None, "next": None}

    def handle(route) -> None:
        request = route.request
        scheme = urlsplit(request.url).scheme.lower()
        if scheme in {"data", "blob", "about"}:
            route.continue_()
            return
        is_navigation = request.is_navigation_request() and request.frame.parent_frame is None
        exchange = fetcher.fetch(
            request.url, method=request.method, headers=request.headers, body=request.post_data_buffer
        )
        hops = 0
        # A redirect handed back to Chromium would be followed by Chromium itself, outside the interception: so
        # the page's own redirects are followed by navigating again (below), and a resource's are followed here,
        # each hop checked like the first.
        while not is_navigation and exchange.status in REDIRECT_STATUSES and exchange.header("location"):
            hops += 1
            if hops > limits.max_redirects:
                exchange.error_code, exchange.error = "too_many_redirects", "redirect loop"
                break
            target = urljoin(exchange.url, exchange.header("location"))
            exchange = fetcher.fetch(target, headers=request.headers)
        if exchange.error_code:
            if is_navigation:
                navigation["failure"] = CaptureFailed(exchange.error_code, exchange.error)
            elif exchange.error_code in {"too_large", "timeout"}:
                fetcher.failure = CaptureFailed(exchange.error_code, exchange.error)
            route.abort("blockedbyclient" if exchange.error_code == "blocked_address" else "failed")
            return
        if request.resource_type == "media":
            # Kept whole (WARC, media items) but not handed to the browser: a screenshot needs no video bytes, and
            # passing tens of megabytes through the driver's pipe took minutes (bench/capture.py).
            route.abort("aborted")
            return
        if is_navigation:
            result.redirects.append({"url": request.url, "status": exchange.status})
            if exchange.status in REDIRECT_STATUSES and exchange.header("location"):
                navigation["next"] = urljoin(request.url, exchange.header("location"))
                route.fulfill(status=200, headers={"content-type": "text/plain"}, body=b"")
                return
        headers = {}
        for name, value in exchange.headers:
            lower = name.lower()
            if lower in HOP_HEADERS or lower == "content-length":
                continue
            headers[lower] = f"{headers[lower]}\n{value}" if lower in headers else value
        route.fulfill(status=exchange.status, headers=headers, body=exchange.body)

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(
                    service_workers="block",
                    accept_downloads=False,
                    viewport={"width": 1280, "height": 900},
                    **({"user_agent": user_agent} if user_agent else {}),
                )
                context.route_web_socket(re.compile(".*"), lambda ws: ws.close())
                context.route("**/*", handle)
                page = context.new_page()
                result.user_agent = page.evaluate("navigator.userAgent")
                target = url
                for hop in range(limits.max_redirects + 2):
                    if hop > limits.max_redirects:
                        raise CaptureFailed(
                            "too_many_redirects",
                            _("The page redirected more than %(n)d times.") % {"n": limits.max_redirects},
                        )
                    navigation["next"] = None
                    remaining_ms = max(1000, int(fetcher.remaining() * 1000))
                    try:
                        response = page.goto(target, wait_until="load", timeout=remaining_ms)
                    except PlaywrightError as exc:
                        if navigation["failure"] is not None:
                            raise navigation["failure"] from exc
                        if "Timeout" in str(exc):
                            raise CaptureFailed("timeout", _("The page did not finish loading in time.")) from exc
                        error = str(exc).splitlines()[0][:300]
                        raise CaptureFailed(
                            "navigation", _("The page could not be loaded: %(error)s") % {"error": error}
                        ) from exc
                    if navigation["next"] is None:
                        break
                    target = navigation["next"]
                    check_url(target, policy, top_level=False)
                if navigation["failure"] is not None:
                    raise navigation["failure"]
                if response is None:
                    raise CaptureFailed("navigation", _("The page could not be loaded."))
                result.http_status = response.status
                result.final_url = page.url
                if response.status >= 400:
                    raise CaptureFailed(
                        "http_error", _("The server answered HTTP %(status)d.") % {"status": response.status}
                    )
                # A page that keeps polling is captured as it is shortly after the load event.
                with contextlib.suppress(PlaywrightError):
                    page.wait_for_load_state("networkidle", timeout=min(3000, max(1, int(fetcher.remaining() * 1000))))
                # Videos are often only fetched in part by the browser: fetch every embedded source whole.
                sources = page.evaluate(
                    "() => Array.from(document.querySelectorAll('video[src], audio[src], video source[src],"
                    " audio source[src]')).map(e => e.src)"
                )
                fetched = {e.url for e in fetcher.exchanges if e.status == 200 and len(e.body)}
                for src in sources:
                    if isinstance(src, str) and src.startswith(("http:", "https:")) and src not in fetched:
                        fetcher.fetch(src, headers={"User-Agent": result.user_agent})
                if fetcher.failure is not None:
                    raise fetcher.failure
                result.title = (page.title() or "")[:500]
                result.captured_at = datetime.now(UTC)
                workdir.mkdir(parents=True, exist_ok=True)
                shot = workdir / "screenshot.png"
                page.screenshot(path=str(shot), full_page=True, timeout=max(1000, int(fetcher.remaining() * 1000)))
                pdf = workdir / "page.pdf"
                page.pdf(path=str(pdf), print_background=True)
                html = workdir / "page.html"
                html.write_text(page.content(), encoding="utf-8")
                result.files += [
                    CapturedFile("screenshot", shot, "screenshot.png"),
                    CapturedFile("pdf", pdf, "page.pdf"),
                    CapturedFile("html", html, "page.html"),
                ]
            finally:
                browser.close()
    except (Refused, CaptureFailed):
        raise
    except PlaywrightError as exc:
        raise CaptureFailed(
            "browser", _("The browser failed: %(error)s") % {"error": str(exc).splitlines()[0][:300]}
        ) from exc
    result.browser_seconds = time.monotonic() - started
    if fetcher.remaining() <= 0:
        raise CaptureFailed("timeout", _("The page did not finish loading in time."))

    result.blocked = fetcher.blocked
    result.requests = len(fetcher.exchanges)
    result.bytes_fetched = fetcher.total_bytes
    warc = workdir / "capture.warc"
    write_warc(warc, fetcher.exchanges, result)
    result.files.append(CapturedFile("warc", warc, "capture.warc"))
    seen: set[bytes] = set()
    for index, exchange in enumerate(fetcher.exchanges):
        if (
            exchange.status == 200
            and exchange.content_type.startswith(MEDIA_PREFIXES)
            and len(exchange.body) >= limits.media_min_bytes
            and exchange.body not in seen
        ):
            seen.add(exchange.body)
            name = _safe_name(exchange.url, exchange.content_type, index)
            path = workdir / "media" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(exchange.body)
            result.files.append(CapturedFile("media", path, name.split("-", 1)[1], url=exchange.url))
    return result


def write_warc(path: Path, exchanges: list[Exchange], result: CaptureResult) -> None:
    """A WARC/1.0 file: a warcinfo record, then a request and a response record (with the HTTP headers as
    received) for every exchange that got an answer. Uncompressed, so that its type is recognised as WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        info = writer.create_warcinfo_record(
            "capture.warc",
            {
                "software": "verify web capture",
                "format": "WARC File Format 1.0",
                "http-header-user-agent": result.user_agent,
                "requested-url": result.requested_url,
                "final-url": result.final_url,
            },
        )
        writer.write_record(info)
        for exchange in exchanges:
            if not exchange.status:
                continue
            target = urlsplit(exchange.url)
            request_line = f"{exchange.method} {(target.path or '/')}{'?' + target.query if target.query else ''}"
            request = writer.create_warc_record(
                exchange.url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(request_line, exchange.request_headers, is_http_request=True),
            )
            headers = StatusAndHeaders(f"{exchange.status} {exchange.reason}", exchange.headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(
                exchange.url,
                "response",
                payload=io.BytesIO(exchange.body),
                http_headers=headers,
                warc_headers_dict={"WARC-IP-Address": exchange.address},
            )
            writer.write_record(request)
            writer.write_record(response)


def discard(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
