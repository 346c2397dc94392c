"""Every page a user can reach, checked with axe at a phone and a desktop width, in
Danish and in English, as each role sees it: the visitor, a member, a circle lead, a
board member and an administrator (the admin's list and change page of every model).

One browser context per role and language, signed in once by a session cookie made
the way a password login (and, for the board and staff, the second factor) makes it.
The last test compares the resolver's URL names with the pages the checks of this run
saw: a new URL without an axe check fails there."""

import os
import time
from urllib.parse import urlparse

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.browser.conftest import COVERAGE_TEST, VIEWPORTS, PageChecker
from tests.browser.world import PASSWORD, World, admin_pages, build_world
from tests.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOCALES = {"da": "da-DK", "en": "en-GB"}
per_language = pytest.mark.parametrize("language", list(LOCALES))

# Names no axe check visits, each with why. Only what is no HTML page of its own.
EXEMPT = {
    "healthz": "plain-text health probe for the load balancer",
    "favicon": "redirect to the SVG icon",
    "set_language": "POST-only language switch that redirects back",
    "events:ics": "iCalendar file of one event",
    "events:personal_feed": "iCalendar feed",
    "events:circle_feed": "iCalendar feed",
    "events:circle_feed_by_token": "iCalendar feed",
    "events:attendees_csv": "CSV download",
    "events:rsvp": "POST-only answer; replies with the RSVP fragment or redirects",
    "events:invitation_resend": "POST-only action that redirects to the event",
    "events:calendar_token": "POST-only action that redirects to the profile",
    "events:minutes": (
        "same path as assemblies:minutes, which resolves first and hands a meeting's "
        "minutes to this view: checked under that name with a circle meeting"
    ),
    "documents:download": "file download",
    "documents:version": "file download",
    "members:data_export": "JSON download",
    "assemblies:index": "redirects to the next assembly's agenda or to the archive",
    "assemblies:attendance_check_in": "POST-only action that redirects to the register",
    "assemblies:attendance_undo": "POST-only action that redirects to the register",
    "focusareas:follow": "POST-only action that redirects back",
    "focusareas:tag_follow": "POST-only action that redirects back",
    "focusareas:restore": "POST-only action that redirects to the history",
    "focusareas:comment_create": "POST-only action that redirects to the contribution",
    "focusareas:comment_delete": "POST-only action that redirects to the contribution",
    "focusareas:tag_suggestions": "HTMX fragment of the contribution form, no page",
    "mfa_download_recovery_codes": "text file download",
    "account_confirm_login_code": (
        "only in a login by code, which the portal does not enable: without one it "
        "redirects to the login"
    ),
    "account_request_reauthentication_code": "reauthentication by code is not enabled (404)",
    "account_confirm_reauthentication_code": "reauthentication by code is not enabled (404)",
    "admin:login": "redirects to allauth's login (komdir/urls.py), which is checked",
    "admin:logout": "POST-only logout",
    "admin:jsi18n": "JavaScript catalog",
    "admin:autocomplete": "JSON for autocomplete widgets",
    "admin:view_on_site": "redirect to the object's portal page",
}
# The admin's add, delete and history pages of each model are Django's templates of the
# change page with fewer fields (add), a list of what goes (delete) or a table (history):
# the change page of every model is checked, these as a group are not (but for the
# member admin's add page, a form of its own). Checking them all, in both languages, would
# add about three minutes to the suite.
ADMIN_GROUP_EXEMPT = ("_add", "_delete", "_history")


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL of the resolver, with its namespaces (admin:events_event_change)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def world(live_server) -> World:
    return build_world()


@pytest.fixture
def checker(request, axe_record):
    checker = PageChecker(request.node.name, axe_record, full_page=False, settle="load")
    yield checker
    # Ran, passed or not: the coverage test judges only a run with every one of these.
    axe_record.finished.add(request.node.nodeid)


class Visitor:
    """One browser context of a role in a language, signed in once."""

    def __init__(self, browser, live_server, checker, language: str, person=None, mfa=False):
        self.language = language
        self.checker = checker
        self.context = browser.new_context(
            viewport=VIEWPORTS["desktop"], locale=LOCALES[language], base_url=live_server.url
        )
        self.context.set_default_timeout(15_000)
        if person is not None:
            client = login(Client(), person, mfa=mfa)
            if person.has_usable_password():
                # As if they had just given their password again: allauth asks for it
                # before the account's sensitive pages (erase, email, two-factor).
                session = client.session
                session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                    *session[AUTHENTICATION_METHODS_SESSION_KEY],
                    {"method": "password", "at": time.time(), "reauthenticated": True},
                ]
                session.save()
            self.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        # A host-only cookie (a __Host- one may name no domain): Playwright
                        # makes one of a domain without a dot; a url would drop Secure.
                        "domain": urlparse(live_server.url).hostname,
                        "path": "/",
                        "secure": settings.SESSION_COOKIE_SECURE,
                        "httpOnly": True,
                    }
                ]
            )
        self.page = self.context.new_page()
        self.page.console_errors = []
        self.page.on(
            "console",
            lambda msg: self.page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        # Which resource failed, for the report: the console message does not say.
        self.failed: list[str] = []
        self.page.on(
            "response",
            lambda response: (
                self.failed.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def check(self, label: str, path: str, *, status: int = 200) -> None:
        """Open `path`, expect it to answer `status` in this language without leaving for
        another page, and check it."""
        self.page.console_errors.clear()
        self.failed.clear()
        response = self.page.goto(path)
        assert response.status == status, f"{label}: {path} answered {response.status}"
        if status == 200:
            shown = resolve(urlparse(self.page.url).path).view_name
            assert shown == resolve(urlparse(path).path).view_name, (
                f"{label}: {path} went on to {self.page.url}"
            )
        else:
            # Chromium reports the error page's own status as a console error, once;
            # any other failed resource on it still counts.
            self.page.wait_for_load_state("load")
            own = f"Failed to load resource: the server responded with a status of {status}"
            errors = self.page.console_errors
            if any(error.startswith(own) for error in errors):
                errors.remove(next(error for error in errors if error.startswith(own)))
        lang = self.page.evaluate("() => document.documentElement.lang")
        assert lang.startswith(self.language), f"{label}: <html lang={lang!r}>"
        try:
            self.checker(self.page, f"{self.language}-{label}")
        except AssertionError as failure:
            message = str(failure).split("\nassert ")[0]
            if self.failed:
                message += f"\nfailed requests: {self.failed}"
            raise AssertionError(message) from None

    def visit(self, pages: list[tuple[str, str]]) -> None:
        """Check each page; report every page that fails, not only the first."""
        failures = []
        for label, path in pages:
            try:
                self.check(label, path)
            except AssertionError as failure:
                failures.append(str(failure).split("\nassert ")[0])
        assert not failures, f"{len(failures)} of {len(pages)} pages:\n\n" + "\n\n".join(failures)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor_for(browser, live_server, checker, language):
    visitors = []

    def open_visitor(person=None, *, mfa: bool = False) -> Visitor:
        visitor = Visitor(browser, live_server, checker, language, person, mfa)
        visitors.append(visitor)
        return visitor

    yield open_visitor
    for visitor in visitors:
        visitor.close()


def event_path(name: str, event, *args) -> str:
    return reverse(name, args=[event.pk, *args])


@per_language
def test_every_page_a_visitor_reaches_passes_axe(world, visitor_for):
    visitor = visitor_for()
    visitor.visit(
        [
            ("home", reverse("home")),
            ("about", reverse("about")),
            ("focusareas", reverse("focusareas:list")),
            ("focusarea", reverse("focusareas:detail", args=[world.focus_area.slug])),
            ("login", reverse("account_login")),
            ("signup", reverse("account_signup")),
            ("invitation", reverse("invitation_accept", args=[world.invitation_token])),
            ("password-reset", reverse("account_reset_password")),
            ("password-reset-done", reverse("account_reset_password_done")),
            ("password-reset-key", world.password_reset_path),
            ("password-reset-key-done", reverse("account_reset_password_from_key_done")),
            ("email-confirm", world.email_confirmation_path),
            ("email-verification-sent", reverse("account_email_verification_sent")),
            ("account-inactive", reverse("account_inactive")),
        ]
    )
    visitor.check("404", "/findes-ikke/", status=404)
    # The second step of a board member's login: the password is given, the code asked.
    visitor.page.goto(reverse("account_login"))
    visitor.page.fill("input[name='login']", world.board.email)
    visitor.page.fill("input[name='password']", PASSWORD)
    visitor.page.locator("form:has([name='password']) [type='submit']").first.click()
    visitor.page.wait_for_url("**/accounts/2fa/authenticate/")
    visitor.check("mfa-authenticate", reverse("mfa_authenticate"))


@per_language
def test_every_page_a_member_reaches_passes_axe(world, visitor_for):
    member = visitor_for(world.member)
    contribution = world.contribution
    # First the pages that want a recent login (allauth's reauthentication window).
    member.visit(
        [
            ("email", reverse("account_email")),
            ("password-change", reverse("account_change_password")),
            ("reauthenticate", reverse("account_reauthenticate")),
            ("erase", reverse("members:erase")),
            ("mfa", reverse("mfa_index")),
            ("mfa-totp-activate", reverse("mfa_activate_totp")),
            ("mfa-webauthn-add", reverse("mfa_add_webauthn")),
            ("home", reverse("home")),
            ("profile", reverse("members:profile")),
            ("directory", reverse("members:directory")),
            ("member", reverse("members:detail", args=[world.other.pk])),
            ("deputy", reverse("members:deputy")),
            ("notifications", reverse("focusareas:notifications")),
            ("circles", reverse("circles:list")),
            ("circle", reverse("circles:detail", args=["hovedstaden"])),
            ("events", reverse("events:list")),
            ("event", event_path("events:detail", world.meeting)),
            ("event-cancelled", event_path("events:detail", world.cancelled)),
            ("document-versions", reverse("documents:versions", args=[world.meeting_document_id])),
            ("assembly-agenda", event_path("assemblies:agenda", world.assembly.event)),
            ("assembly-motions", event_path("assemblies:motions", world.assembly.event)),
            ("motion-new", event_path("assemblies:motion_create", world.assembly.event)),
            ("candidacy", event_path("assemblies:candidacy", world.assembly.event)),
            ("proxy", event_path("assemblies:proxy", world.assembly.event)),
            ("assembly-minutes", event_path("assemblies:minutes", world.last_year.event)),
            ("assembly-archive", reverse("assemblies:archive")),
            ("decision-search", reverse("assemblies:decision_search") + "?q=regnskab"),
            ("contributions", reverse("focusareas:contribution_list")),
            ("contribution-new", reverse("focusareas:contribution_create")),
            ("contribution", contribution.get_absolute_url()),
            ("contribution-edit", reverse("focusareas:contribution_edit", args=[contribution.pk])),
            (
                "contribution-withdraw",
                reverse("focusareas:contribution_withdraw", args=[contribution.pk]),
            ),
            (
                "contribution-delete",
                reverse("focusareas:contribution_delete", args=[contribution.pk]),
            ),
            ("comment-edit", reverse("focusareas:comment_edit", args=[world.comment.pk])),
            ("tag", reverse("focusareas:tag_detail", args=[world.tag.slug])),
            ("logout", reverse("account_logout")),
        ]
    )
    member.check("403", reverse("members:invitations"), status=403)
    member.check("404", reverse("events:detail", args=[999_999]), status=404)


@per_language
def test_every_page_a_circle_lead_reaches_passes_axe(world, visitor_for):
    lead = visitor_for(world.lead)
    meeting = world.meeting
    lead.visit(
        [
            ("password-set", reverse("account_set_password")),
            ("home", reverse("home")),
            ("event-new", reverse("events:create")),
            ("event", event_path("events:detail", meeting)),
            ("event-edit", event_path("events:edit", meeting)),
            ("event-cancel", event_path("events:cancel", meeting)),
            ("event-history", event_path("events:history", meeting)),
            ("event-minutes", event_path("assemblies:minutes", meeting)),
            ("document-upload", event_path("documents:upload", meeting)),
            ("document-versions", reverse("documents:versions", args=[world.meeting_document_id])),
            ("document-delete", reverse("documents:delete", args=[world.meeting_document_id])),
            ("circle", reverse("circles:detail", args=["hovedstaden"])),
        ]
    )


@per_language
def test_every_page_a_board_member_reaches_passes_axe(world, visitor_for):
    board = visitor_for(world.board, mfa=True)
    area = world.focus_area
    event = world.assembly.event
    item = world.assembly.items.order_by("position").first()
    key = world.security_key_id
    board.visit(
        [
            ("mfa", reverse("mfa_index")),
            ("mfa-totp-deactivate", reverse("mfa_deactivate_totp")),
            ("recovery-codes", reverse("mfa_view_recovery_codes")),
            ("recovery-codes-generate", reverse("mfa_generate_recovery_codes")),
            ("mfa-reauthenticate", reverse("mfa_reauthenticate")),
            ("webauthn-reauthenticate", reverse("mfa_reauthenticate_webauthn")),
            ("webauthn-keys", reverse("mfa_list_webauthn")),
            ("webauthn-key-edit", reverse("mfa_edit_webauthn", kwargs={"pk": key})),
            ("webauthn-key-remove", reverse("mfa_remove_webauthn", kwargs={"pk": key})),
            ("invitations", reverse("members:invitations")),
            ("municipality-changes", reverse("members:municipality_changes")),
            ("period-new", reverse("focusareas:period_create")),
            ("focusarea-edit", reverse("focusareas:edit", args=[area.slug])),
            ("focusarea-history", reverse("focusareas:history", args=[area.slug])),
            (
                "contribution-hide",
                reverse("focusareas:contribution_hide", args=[world.contribution.pk]),
            ),
            ("comment-hide", reverse("focusareas:comment_hide", args=[world.comment.pk])),
            ("event-new", reverse("events:create")),
            ("assembly-agenda", event_path("assemblies:agenda", event)),
            ("agenda-edit", event_path("assemblies:agenda_edit", event)),
            ("agenda-item-edit", event_path("assemblies:item_edit", event, item.pk)),
            ("notice", event_path("assemblies:notice", event)),
            ("assembly-motions", event_path("assemblies:motions", event)),
            ("proxies", event_path("assemblies:proxy_overview", event)),
            ("attendance", event_path("assemblies:attendance", event)),
            ("decisions", event_path("assemblies:decisions", event)),
            ("assembly-minutes", event_path("assemblies:minutes", event)),
            ("last-year-decisions", event_path("assemblies:decisions", world.last_year.event)),
            (
                "document-versions",
                reverse("documents:versions", args=[world.assembly_document_id]),
            ),
            ("document-delete", reverse("documents:delete", args=[world.assembly_document_id])),
            ("document-upload", event_path("documents:upload", event)),
        ]
    )


@per_language
def test_every_admin_page_passes_axe(world, visitor_for):
    staff = visitor_for(world.admin, mfa=True)
    staff.visit(admin_pages(world))
    # The tag merge asks for the merged tag's name on a page of its own, the answer to the
    # action posted from the list.
    page = staff.page
    page.goto(reverse("admin:taggit_tag_changelist"))
    page.locator("input[name='_selected_action']").nth(0).check()
    page.locator("input[name='_selected_action']").nth(1).check()
    page.select_option("select[name='action']", "merge_tags")
    page.locator("button[name='index']").click()
    page.wait_for_load_state("load")
    assert page.locator("input[name='into_name']").is_visible()
    staff.checker(page, f"{staff.language}-admin-taggit-merge")


@pytest.fixture
def server_error_url(settings):
    """A URL that fails, in a test URLconf (tests/browser/urls_with_error.py) that is the
    portal's plus this one URL: the live server answers it with the portal's 500 page."""
    settings.ROOT_URLCONF = "tests.browser.urls_with_error"
    return reverse("test_server_error")


@per_language
def test_the_server_error_page_passes_axe(world, visitor_for, server_error_url):
    visitor_for().check("500", server_error_url, status=500)
    visitor_for(world.member).check("500-member", server_error_url, status=500)


def test_every_url_name_has_an_axe_check(request, axe_record):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("each xdist worker sees only its own checks; run the browser tests serially")
    here = request.module
    expected = {
        f"{request.node.nodeid.split('::')[0]}::{name}[{language}]"
        for name in dir(here)
        if name.startswith("test_") and name != COVERAGE_TEST
        for language in LOCALES
    }
    not_run = sorted(expected - axe_record.finished)
    if not_run:
        pytest.skip(
            "URL coverage needs every every-page test in the run; these did not run: "
            + ", ".join(nodeid.split("::")[1] for nodeid in not_run)
        )
    names = url_names()
    checked = set(axe_record.names)
    required = {
        name
        for name in names - EXEMPT.keys()
        if not (name.startswith("admin:") and name.endswith(ADMIN_GROUP_EXEMPT))
    }
    missing = sorted(required - checked)
    assert not missing, "URL names without an axe check in this run:\n" + "\n".join(missing)
    stale = sorted(name for name in EXEMPT if name not in names or name in checked)
    assert not stale, f"exempt names that no longer exist or are checked after all: {stale}"
    error_pages = {403, 404, 500} - axe_record.errors.keys()
    assert not error_pages, f"error pages without an axe check: {sorted(error_pages)}"
