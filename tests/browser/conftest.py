"""The browser tests' server, browser and pages: Playwright drives Debian's Chromium against
a live server (the real app under uvicorn in a thread, on the suite of ``tests/conftest.py``,
the connector in its own thread). Without /usr/bin/chromium the tests are skipped, except
under CI=true, where a missing browser fails.

Screenshots go to ``test-output/screens/`` (or ``$LIENTHONG_SCREENSHOTS``), named after the
test, the step and the viewport.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from lienthong.web.app import create_app
from tests.conftest import ADMIN

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000  # a wait for the page, not a measure of it: a loaded CI machine is slow
SCREENS = Path(os.environ.get("LIENTHONG_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-output" / "screens"))
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _unavailable(why: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (scripts/browser installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (scripts/setup)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(suite):
    """The whole product on a free local port; its URL."""
    suite.connector.start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(suite), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(15)
    sock.close()


def _page(browser, server, viewport):
    context = browser.new_context(base_url=server, locale="vi-VN", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, server):
    """A desktop browser tab (1366×768)."""
    context, pg = _page(browser, server, DESKTOP)
    yield pg
    context.close()


@pytest.fixture
def phone(browser, server):
    """A phone's browser tab (390×844)."""
    context, pg = _page(browser, server, PHONE)
    yield pg
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, step): a full-page screenshot named after the test, the step and the width."""

    def take(pg, step: str) -> Path:
        SCREENS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
        path = SCREENS / f"{name}-{step}-{pg.viewport_size['width']}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


def api(server: str, method: str, path: str, **kw):
    r = httpx.request(method, server + path, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30, **kw)
    assert r.status_code < 300, (r.status_code, r.text)
    return r.json() if r.content else None


def sign_in(page, token: str = ADMIN) -> None:
    page.goto("/")
    page.click("details.with-token summary")
    page.fill("input[name=token]", token)
    page.click("details.with-token button[type=submit]")
    page.wait_for_load_state()


def reload_until(page, url: str, selector: str, seconds: float = 15) -> None:
    """The connector works in its thread: reload ``url`` until ``selector`` shows."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url)
        if page.locator(selector).count():
            return
        assert time.monotonic() < deadline, f"{selector} did not appear on {url}"
        time.sleep(0.2)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
