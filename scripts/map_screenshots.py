"""Screenshots of the map with every request beyond the app refused (as on a machine with no network), in English
and Arabic: docs/screenshots/map-offline.png and map-offline-ar.png.

Usage, against a running demo (make run): .venv/bin/python scripts/map_screenshots.py [base_url] [out_dir]
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL = {urlsplit(BASE).hostname, "127.0.0.1", "localhost"}


def offline(route) -> None:
    if urlsplit(route.request.url).hostname in LOCAL:
        route.continue_()
    else:
        route.abort()


def shoot(browser, language: str, name: str) -> None:
    context = browser.new_context(
        viewport={"width": 1360, "height": 1000}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.route("**/*", offline)
    page.goto(f"{BASE}/accounts/login/")
    page.locator("#id_login").fill("researcher")
    page.locator("#id_password").fill("demo-researcher-2015")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{BASE}/")
    page.goto(f"{BASE}/map/")
    page.locator("path.basemap-governorate").nth(13).wait_for(state="attached")
    page.wait_for_timeout(1500)  # the markers, the town labels and the timeline load after the page
    # Page coordinates (the page is not scrolled), as a full-page screenshot's clip takes them.
    box = page.locator(".map-layout").bounding_box()
    timeline = page.locator(".timeline-card").bounding_box()
    page.screenshot(
        path=OUT / name,
        full_page=True,
        clip={"x": 0, "y": box["y"] - 50, "width": 1360, "height": timeline["y"] + timeline["height"] - box["y"] + 60},
    )
    context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        shoot(browser, "en", "map-offline.png")
        shoot(browser, "ar", "map-offline-ar.png")
        browser.close()


if __name__ == "__main__":
    main()
