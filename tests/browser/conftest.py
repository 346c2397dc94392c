"""Browser tests: Playwright for Python driving Chromium against a live server.

Every page a journey visits is checked with axe (no serious or critical violation)
at a phone and a desktop width, and saved as a screenshot under test-artifacts/.
Each check records the URL name of the page it saw, so that the URL-coverage test
(tests/browser/test_every_page.py) can tell which pages no check has seen."""

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
BLOCKING_IMPACTS = {"serious", "critical"}


COVERAGE_TEST = "test_every_url_name_has_an_axe_check"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    # The URL-coverage test judges what the checks before it saw: it runs last.
    items.sort(key=lambda item: getattr(item, "originalname", None) == COVERAGE_TEST)


@dataclass
class AxeRecord:
    """What the axe checks of this test session saw: the URL names of the pages that
    answered 200, the labels of the error pages by status, and the every-page tests
    that ran (passed or failed)."""

    names: dict[str, set[str]] = field(default_factory=dict)
    errors: dict[int, set[str]] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)

    def add(self, page, label: str) -> None:
        from django.urls import Resolver404, resolve

        # The status of the response the page shows (after any redirects), not of
        # an HTMX request made since.
        status = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"
        )
        if status != 200:
            self.errors.setdefault(status, set()).add(label)
            return
        try:
            name = resolve(urlparse(page.url).path).view_name
        except Resolver404:
            name = None
        self.names.setdefault(name, set()).add(label)


AXE_RECORD = pytest.StashKey[AxeRecord]()


@pytest.fixture(scope="session")
def axe_record(pytestconfig) -> AxeRecord:
    return pytestconfig.stash.setdefault(AXE_RECORD, AxeRecord())


def chromium_executable() -> str | None:
    """Debian's Chromium where it is installed; otherwise Playwright's own download."""
    explicit = os.environ.get("PLAYWRIGHT_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    # The migration data survives Playwright's fresh connection objects through
    # tests/conftest.py's django_db_setup, which keeps it on the backend class.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser (own cookies) at desktop width; closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(
            viewport=VIEWPORTS["desktop"], locale="da-DK", base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


class PageChecker:
    """Runs axe at both widths and saves screenshots of every page a test visits.

    Journeys wait for the network to rest (an HTMX swap they started) and keep
    full-page screenshots; the every-page module, which sees several hundred freshly
    loaded pages (none of which loads more by itself), waits for the load event and
    takes the viewport only."""

    def __init__(
        self,
        test_name: str,
        record: AxeRecord,
        *,
        full_page: bool = True,
        settle: str = "networkidle",
    ):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.test_name = re.sub(r"[^a-z0-9_]+", "-", test_name.lower())
        self.record = record
        self.full_page = full_page
        self.settle = settle
        self.checked: list[str] = []

    def run_axe(self, page) -> dict:
        # Injected once per document: the second width reuses the first one's axe.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe.axe_script)
        return page.evaluate("() => axe.run({resultTypes: ['violations']})")

    def __call__(self, page, label: str) -> None:
        page.wait_for_load_state(self.settle)
        assert not page.console_errors, f"{label}: console errors {page.console_errors}"
        self.record.add(page, label)
        original = page.viewport_size
        for width_name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            before = len(page.console_errors)
            results = self.run_axe(page)
            # axe itself sets inline styles while it measures some pages (the admin's),
            # which the portal's CSP rightly refuses: those reports are not the page's.
            page.console_errors[before:] = [
                error
                for error in page.console_errors[before:]
                if not error.startswith("Applying inline style violates")
            ]
            blocking = [
                f"{v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(node["target"][0] for node in v["nodes"][:3])
                for v in results["violations"]
                if v["impact"] in BLOCKING_IMPACTS
            ]
            assert not blocking, f"axe on {label} at {width_name} width:\n" + "\n".join(blocking)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=SCREENSHOTS / f"{self.test_name}--{label}--{width_name}.png",
                full_page=self.full_page,
            )
        page.set_viewport_size(original)
        self.checked.append(label)


@pytest.fixture
def check_page(request, axe_record):
    return PageChecker(request.node.name, axe_record)


@pytest.fixture
def totp_code():
    """The current TOTP code for a secret, waiting for a fresh period if the
    current one was already used (allauth refuses a code twice)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    used: set[int] = set()

    def code(secret: str) -> str:
        counter = int(time.time()) // 30
        while counter in used:
            time.sleep(1)
            counter = int(time.time()) // 30
        used.add(counter)
        return format_hotp_value(hotp_value(secret, counter))

    return code
