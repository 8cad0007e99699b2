"""Take the documentation screenshots with headless Chromium (Debian's) driven by Playwright.

Run against a server with the demo book loaded (``make run``, or any URL):

    .venv/bin/python docs/development/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "arrears-demo-2026"


def login(browser, base: str, username: str, lang: str):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    if lang == "en":
        page.click("form.lang button[value=en]")
        page.wait_for_load_state()
    return page


def workbench(browser, base: str, out: Path) -> None:
    """The collector's queue, the dossier, the outcome form; the team lead's view. Calls must be
    allowed at the moment this runs (the debtors' daytime), or the outcome form does not open."""
    for lang in ("zh-hans", "en"):
        suffix = "" if lang == "zh-hans" else "-en"
        page = login(browser, base, "collector1", lang)
        page.wait_for_selector("table.queue")
        page.screenshot(path=out / f"workbench-queue{suffix}.png", full_page=False)
        page.click("a[data-key=n]")
        page.wait_for_selector("#key-facts")
        page.screenshot(path=out / f"workbench-dossier{suffix}.png", full_page=False)
        page.click("[data-call]")
        page.wait_for_selector("form.outcome")
        page.select_option("form.outcome [name=outcome]", "right_party")
        page.select_option("form.outcome [name=result]", "promise")
        page.fill("form.outcome [name=promise_amount]", "2000.00")
        page.screenshot(path=out / f"workbench-outcome{suffix}.png", full_page=False)
        page.context.close()
    page = login(browser, base, "lead1", "zh-hans")
    page.goto(f"{base}/workbench/team/")
    page.screenshot(path=out / "workbench-team.png", full_page=False)
    page.context.close()


def broken_promise(browser, base: str, out: Path) -> None:
    """A case whose promises were broken: the key facts warn, the promises list says so."""
    page = login(browser, base, "manager", "zh-hans")
    page.goto(f"{base}/cases/?status=broken_promise")
    page.click("table.grid tbody tr:first-child td a")
    page.wait_for_selector("#key-facts")
    page.screenshot(path=out / "broken-promise.png", full_page=True)
    page.context.close()


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        workbench(browser, base, out)
        broken_promise(browser, base, out)
        for lang in ("zh-hans", "en"):
            page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
            page.goto(f"{base}/login/")
            page.fill("input[name=username]", "manager")
            page.fill("input[name=password]", PASSWORD)
            page.click("button.primary")
            page.wait_for_selector("table.grid")
            if lang == "en":
                page.click("form.lang button[value=en]")
                page.wait_for_selector("text=Total owed")
            suffix = "" if lang == "zh-hans" else "-en"
            page.screenshot(path=out / f"case-list{suffix}.png", full_page=False)
            page.click("table.grid tbody tr:nth-child(3) td a")
            page.wait_for_selector("#key-facts")
            page.screenshot(path=out / f"case-page{suffix}.png", full_page=True)
            page.goto(f"{base}/intake/")
            page.screenshot(path=out / f"intake{suffix}.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
