"""The remaining journeys in a real browser: a newcomer invited, signed up and made a board
member sets up two-factor authentication; a member's experience is found by search and
commented on by another; a member exports their data and erases their account."""

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.db import models

from focusareas.models import Comment, Contribution, FocusArea
from members.models import Member
from tests.browser.test_journeys_members import log_in, submit
from tests.conftest import TOTP_SECRET, give_mfa
from tests.focusareas.factories import CommentFactory, ContributionFactory
from tests.members.factories import PASSWORD, MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEWCOMER_EMAIL = "mette.lund@odense.example"
NEWCOMER_PASSWORD = "Et-godt-kodeord-2026"


def sign_in_with_code(page, check_page, code: str, label: str) -> None:
    """Answer the two-factor prompt the page is showing."""
    check_page(page, label)
    page.fill("input[name='code']", code)
    submit(page, "code")
    page.wait_for_load_state()


def log_out(page, check_page, label: str = "logout") -> None:
    page.goto("/accounts/logout/")
    check_page(page, label)
    page.locator("main form [type='submit']").first.click()
    page.wait_for_load_state()


def test_an_invited_newcomer_made_a_board_member_sets_up_two_factor_and_reaches_the_invitations(
    new_page, check_page, totp_code
):
    admin = StaffFactory(first_name="Birgitte", last_name="Holm")
    give_mfa(admin)

    admin_page = new_page()
    log_in(admin_page, check_page, admin.email, PASSWORD, label="admin-login")
    assert "/accounts/2fa/authenticate/" in admin_page.url
    sign_in_with_code(admin_page, check_page, totp_code(TOTP_SECRET), "admin-mfa")
    admin_page.goto("/medlemmer/invitationer/")
    check_page(admin_page, "invitations")
    admin_page.fill("input[name='email']", NEWCOMER_EMAIL)
    submit(admin_page, "email")
    admin_page.wait_for_load_state()
    check_page(admin_page, "invitation-sent")
    assert NEWCOMER_EMAIL in admin_page.locator("main").inner_text()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [NEWCOMER_EMAIL]
    link = re.search(r"https?://\S+?(/invitation/[^/\s]+/)", mail.outbox[0].body).group(1)

    newcomer = new_page()
    newcomer.goto(link)
    check_page(newcomer, "invitation")
    newcomer.get_by_role("link", name=re.compile("Opret", re.IGNORECASE)).first.click()
    newcomer.wait_for_load_state()
    check_page(newcomer, "signup")
    newcomer.fill("input[name='first_name']", "Mette")
    newcomer.fill("input[name='last_name']", "Lund")
    newcomer.select_option("select[name='municipality']", label="Odense")
    newcomer.fill("input[name='password1']", NEWCOMER_PASSWORD)
    newcomer.fill("input[name='password2']", NEWCOMER_PASSWORD)
    submit(newcomer, "password1")
    newcomer.wait_for_load_state()
    check_page(newcomer, "member-home")
    member = Member.objects.get(email=NEWCOMER_EMAIL)
    assert not member.groups.exists()

    # Staff makes the newcomer a board member through the Django admin.
    admin_page.goto(f"/admin/members/member/?q={NEWCOMER_EMAIL}")
    check_page(admin_page, "admin-members")
    admin_page.get_by_role("link", name=NEWCOMER_EMAIL).click()
    admin_page.wait_for_load_state()
    check_page(admin_page, "admin-member-change")
    admin_page.get_by_label("Bestyrelse").check()
    admin_page.locator("input[name='_save']").click()
    admin_page.wait_for_load_state()
    check_page(admin_page, "admin-member-saved")
    assert list(member.groups.values_list("name", flat=True)) == ["Bestyrelse"]

    log_out(newcomer, check_page)
    log_in(newcomer, check_page, NEWCOMER_EMAIL, NEWCOMER_PASSWORD, label="login-again")
    assert "/accounts/2fa/totp/activate/" in newcomer.url
    check_page(newcomer, "mfa-setup")
    secret = newcomer.input_value("#authenticator_secret")
    newcomer.fill("input[name='code']", totp_code(secret))
    submit(newcomer, "code")
    newcomer.wait_for_load_state()
    assert "/accounts/2fa/recovery-codes/" in newcomer.url
    check_page(newcomer, "recovery-codes")
    codes = newcomer.input_value("#recovery_codes").split()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{8}", code) for code in codes)

    log_out(newcomer, check_page, label="logout-after-setup")
    log_in(newcomer, check_page, NEWCOMER_EMAIL, NEWCOMER_PASSWORD, label="login-with-mfa")
    assert "/accounts/2fa/authenticate/" in newcomer.url
    sign_in_with_code(newcomer, check_page, totp_code(secret), "mfa-authenticate")
    newcomer.goto("/medlemmer/invitationer/")
    assert newcomer.url.endswith("/medlemmer/invitationer/")
    check_page(newcomer, "invitations-as-board")
    assert NEWCOMER_EMAIL in newcomer.locator("main").inner_text()


def test_a_member_shares_an_experience_and_another_finds_it_by_search_and_comments(
    new_page, check_page
):
    author = MemberFactory(first_name="Anne", last_name="Kjær")
    reader = MemberFactory(first_name="Peter", last_name="Skov")
    area = FocusArea.objects.get(slug="civilsamfund")
    tag = area.tags.order_by("name").first()

    author_page = new_page()
    log_in(author_page, check_page, author.email, PASSWORD, label="login-author")
    author_page.goto("/bidrag/ny/")
    check_page(author_page, "contribution-new")
    author_page.fill("input[name='title']", "Borgerbudgetter i lokalområderne")
    author_page.fill(
        "textarea[name='body']",
        "Vi lod borgerne fordele **to millioner** kroner.\n\n- Seks lokalråd\n- Ét borgermøde",
    )
    author_page.fill("input[name='tags']", tag.name)
    author_page.get_by_role("button", name="Offentliggør").click()
    author_page.wait_for_load_state()
    check_page(author_page, "contribution-detail-author")
    contribution = Contribution.objects.get(title="Borgerbudgetter i lokalområderne")
    assert contribution.status == Contribution.Status.PUBLISHED
    assert [t.name for t in contribution.tags.all()] == [tag.name]

    reader_page = new_page()
    log_in(reader_page, check_page, reader.email, PASSWORD, label="login-reader")
    reader_page.goto("/bidrag/?q=lokalråd")
    check_page(reader_page, "contribution-search")
    results = reader_page.locator("#contribution-results")
    assert "Borgerbudgetter i lokalområderne" in results.inner_text()
    results.get_by_role("link", name="Borgerbudgetter i lokalområderne").click()
    reader_page.wait_for_load_state()
    check_page(reader_page, "contribution-detail-reader")
    assert reader_page.url.endswith(contribution.get_absolute_url())
    assert reader_page.locator("main strong").first.inner_text() == "to millioner"
    reader_page.fill("textarea[name='body']", "Hvordan valgte I lokalrådene?")
    submit(reader_page, "body")
    reader_page.wait_for_load_state()
    check_page(reader_page, "contribution-commented")
    assert Comment.objects.get(contribution=contribution).author == reader

    author_page.reload()
    check_page(author_page, "contribution-with-comment")
    comments = author_page.locator("#kommentarer").inner_text()
    assert "Hvordan valgte I lokalrådene?" in comments and "Peter Skov" in comments


def fields_holding(value: str) -> list[str]:
    """Every text column in the database that holds `value`, as model.field."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.attname}__icontains": value}
                if model._base_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def test_a_member_exports_their_data_then_erases_the_account_and_stays_only_as_former_member(
    new_page, check_page, settings
):
    # A short reauthentication window, so that erasing asks for the password again.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 10
    leaving = MemberFactory(
        first_name="Hanne", last_name="Brask", email="hanne.brask@kommune.example"
    )
    colleague = MemberFactory(first_name="Ole", last_name="Vang")
    contribution = ContributionFactory(
        author=leaving, title="Sammenhængende borgerforløb", body="Vi samlede tre forvaltninger."
    )
    CommentFactory(
        contribution=ContributionFactory(author=colleague, title="Nye ledelsesformer"),
        author=leaving,
        body="Det har vi også prøvet i vores kommune.",
    )

    page = new_page()
    log_in(page, check_page, leaving.email, PASSWORD)
    page.goto("/profil/")
    check_page(page, "own-profile")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent mine data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("komdir-mine-data-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "hanne.brask@kommune.example"
    exported = json.dumps(data, ensure_ascii=False)
    assert "Sammenhængende borgerforløb" in exported
    assert "Det har vi også prøvet i vores kommune." in exported

    page.wait_for_timeout(10_500)
    page.get_by_role("link", name="Slet min konto").click()
    page.wait_for_load_state()
    assert "/accounts/reauthenticate/" in page.url
    check_page(page, "reauthenticate")
    page.fill("input[name='password']", PASSWORD)
    submit(page, "password")
    page.wait_for_load_state()
    assert page.url.endswith("/profil/slet/")
    check_page(page, "erase")
    page.get_by_label("Anonymisér dem: teksten bliver, dit navn fjernes").check()
    page.locator("input[name='confirm']").check()
    page.get_by_role("button", name="Slet min konto for altid").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/"
    check_page(page, "erased-home")
    assert "Din konto er slettet" in page.locator("main").inner_text()
    page.goto("/profil/")
    assert "/accounts/login/" in page.url

    other = new_page()
    log_in(other, check_page, colleague.email, PASSWORD, label="login-colleague")
    other.goto(contribution.get_absolute_url())
    check_page(other, "anonymised-contribution")
    main = other.locator("main").inner_text()
    assert "Tidligere medlem" in main and "Hanne Brask" not in main
    assert not Member.objects.filter(email__iexact="hanne.brask@kommune.example").exists()
    assert not EmailAddress.objects.filter(email__iexact="hanne.brask@kommune.example").exists()
    assert fields_holding("hanne.brask@kommune.example") == []
    assert Contribution.objects.get(pk=contribution.pk).author is None
