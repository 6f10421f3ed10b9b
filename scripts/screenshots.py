"""Take screenshots of the main screens of a running verify (make run) with the system Chromium.

Usage: .venv/bin/python scripts/screenshots.py [base_url] [out_dir]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto(f"{BASE}/accounts/login/")
        page.screenshot(path=OUT / "login.png")
        page.get_by_label("Username").fill("researcher")
        page.get_by_label("Password").fill("demo-researcher-2015")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{BASE}/")
        page.screenshot(path=OUT / "dashboard.png", full_page=True)
        page.goto(f"{BASE}/incidents/")
        page.screenshot(path=OUT / "incident-list.png", full_page=True)
        page.goto(f"{BASE}/incidents/SYR-2015-0001/")
        page.screenshot(path=OUT / "incident-detail.png", full_page=True)
        page.goto(f"{BASE}/incidents/SYR-2015-0001/claims/new/")
        page.screenshot(path=OUT / "claim-form.png", full_page=True)
        page.goto(f"{BASE}/map/")
        page.wait_for_timeout(1500)  # the markers and the timeline load after the page
        page.screenshot(path=OUT / "map.png", full_page=True)
        for name, path in [
            ("evidence-list", "/evidence/"),
            ("duplicates", "/incidents/duplicates/"),
            ("sources", "/claims/sources/"),
            ("import", "/import/"),
            ("my-work", "/review/mine/"),
        ]:
            page.goto(f"{BASE}{path}")
            page.screenshot(path=OUT / f"{name}.png", full_page=True)

        reviewer = browser.new_page(viewport={"width": 1360, "height": 900})
        reviewer.goto(f"{BASE}/accounts/login/")
        reviewer.get_by_label("Username").fill("reviewer")
        reviewer.get_by_label("Password").fill("demo-reviewer-2015")
        reviewer.get_by_role("button", name="Sign in").click()
        reviewer.wait_for_url(f"{BASE}/")
        reviewer.goto(f"{BASE}/review/")
        reviewer.screenshot(path=OUT / "review-queue.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
