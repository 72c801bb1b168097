"""The one Chromium for every browser test (Playwright driving Debian's
/usr/bin/chromium: no browser download).

Environment variables are set with `monkeypatch` only, so they end with the
test: nothing a browser test needs leaks into the rest of the run (a
DJANGO_ALLOW_ASYNC_UNSAFE left behind made `manage.py check --deploy` fail
with async.E001 in every later subprocess; tests/nadsite/test_settings.py
checks it).
"""

from pathlib import Path

import pytest
from django.db import connections

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = "pass-for-tests"  # tests.factories.UserFactory's
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium. The live server answers in another thread while
    Playwright's event loop runs in this one, so Django's async-safety check
    is lifted for the test only. Django keeps a connection per context, and
    the test's ORM calls inside Playwright's context open one that
    pytest-django never sees: it is closed here, or PostgreSQL refused to
    drop the test database at the end of the run ("being accessed by other
    users")."""
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (make system-deps)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def browser_page(browser):
    """A desktop-sized tab."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    yield page
    page.close()


@pytest.fixture
def screenshots() -> Path:
    """Where screenshots go (tests/artifacts, ignored by git): look at them."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def log_in(live_server):
    """`log_in(page, user)`: sign `user` in to the Wagtail admin in this tab."""

    def log_in(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return log_in
