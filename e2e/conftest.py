"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser. Without /usr/bin/chromium the tests are skipped with a notice,
unless GANDAN_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("GANDAN_REQUIRE_BROWSER") == "1":
        return  # let the browser fixture fail loudly
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "Chromium not found" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(
            f"NOTICE: {len(skipped)} browser test(s) skipped — install Debian's chromium to run them.", yellow=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _warm(live_server) -> None:
    """The live server's first request imports the URL map (the API's schemas, SciPy): many seconds
    on a busy machine, which would count against the first page's timeout. Made once, before any."""
    import urllib.request

    urllib.request.urlopen(live_server.url + "/favicon.ico", timeout=300).read()  # no database: outside any test


@pytest.fixture
def csp_reports() -> list[str]:
    """What the browser refused under the Content-Security-Policy during the test, each with its page:
    any one fails the test (see `page`); a test that provokes one on purpose clears it."""
    return []


@pytest.fixture
def page(browser, live_server, _warm, _clock, csp_reports):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    if _clock:  # the server runs "on another day" (see the root conftest): so does the phone
        context.clock.set_system_time(dt.datetime.now(dt.UTC))
    context.on("console", lambda message: csp_reports.append(f"{message.page and message.page.url}: {message.text}")
               if "Content Security Policy" in message.text else None)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert csp_reports == [], "the Content-Security-Policy refused:\n" + "\n".join(csp_reports)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
