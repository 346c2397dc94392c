"""The foundation journey in a real browser: the board invites, the newcomer signs up,
logs in and finds the directory and their circle."""

import re

import pytest
from django.core import mail

from members.models import Member, Municipality
from tests.conftest import TOTP_SECRET, give_mfa
from tests.members.factories import PASSWORD, BoardMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submit(page, field_name: str) -> None:
    """Submit the form that holds the named field."""
    page.locator(f"form:has([name='{field_name}']) [type='submit']").first.click()


def log_in(page, check_page, email: str, password: str, label: str = "login") -> None:
    page.goto("/accounts/login/")
    check_page(page, label)
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    submit(page, "password")
    page.wait_for_load_state()


def test_the_board_invites_and_the_newcomer_signs_up_and_finds_the_directory_and_circle(
    new_page, check_page, totp_code
):
    board = BoardMemberFactory(first_name="Birgitte", last_name="Holm")
    give_mfa(board)
    colleague = MemberFactory(
        first_name="Jens",
        last_name="Overgaard",
        municipality=Municipality.objects.get(name="Aalborg"),
    )

    visitor = new_page()
    visitor.goto("/")
    check_page(visitor, "landing")
    visitor.goto("/om/")
    check_page(visitor, "about")

    board_page = new_page()
    log_in(board_page, check_page, board.email, PASSWORD)
    assert "/accounts/2fa/authenticate/" in board_page.url
    check_page(board_page, "mfa-authenticate")
    board_page.fill("input[name='code']", totp_code(TOTP_SECRET))
    submit(board_page, "code")
    board_page.wait_for_load_state()

    board_page.goto("/medlemmer/invitationer/")
    check_page(board_page, "invitations")
    board_page.fill("input[name='email']", "karen.nielsen@aalborg.example")
    submit(board_page, "email")
    board_page.wait_for_load_state()
    assert "karen.nielsen@aalborg.example" in board_page.locator("main").inner_text()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+?(/invitation/[^/\s]+/)", mail.outbox[0].body).group(1)

    newcomer = new_page()
    newcomer.goto(link)
    check_page(newcomer, "invitation")
    newcomer.get_by_role("link", name=re.compile("Opret", re.IGNORECASE)).first.click()
    newcomer.wait_for_load_state()
    check_page(newcomer, "signup")
    assert newcomer.input_value("input[name='email']") == "karen.nielsen@aalborg.example"
    newcomer.fill("input[name='first_name']", "Karen")
    newcomer.fill("input[name='last_name']", "Nielsen")
    newcomer.select_option("select[name='municipality']", label="Aalborg")
    newcomer.fill("input[name='password1']", "Et-godt-kodeord-2026")
    newcomer.fill("input[name='password2']", "Et-godt-kodeord-2026")
    submit(newcomer, "password1")
    newcomer.wait_for_load_state()
    assert Member.objects.filter(email="karen.nielsen@aalborg.example").exists()
    check_page(newcomer, "member-home")

    newcomer.goto("/medlemmer/")
    check_page(newcomer, "directory")
    directory = newcomer.locator("main").inner_text()
    assert colleague.get_full_name() in directory and "Karen Nielsen" in directory

    newcomer.goto("/kredse/")
    check_page(newcomer, "circles")
    newcomer.goto("/kredse/nordjylland/")
    check_page(newcomer, "circle")
    circle = newcomer.locator("main").inner_text()
    assert "Karen Nielsen" in circle and colleague.get_full_name() in circle

    newcomer.goto(f"/medlemmer/{colleague.pk}/")
    check_page(newcomer, "profile")
    newcomer.goto("/profil/")
    check_page(newcomer, "own-profile")


def test_a_board_member_without_mfa_is_sent_to_set_it_up_in_the_browser(
    page, check_page, totp_code
):
    board = BoardMemberFactory()
    log_in(page, check_page, board.email, PASSWORD)
    assert "/accounts/2fa/totp/activate/" in page.url
    check_page(page, "mfa-setup")
    secret = page.input_value("#authenticator_secret")
    field = page.locator("#authenticator_secret")
    assert field.evaluate("field => field.scrollWidth <= field.clientWidth"), "all of it shows"
    assert page.get_by_role("button", name="Kopiér nøglen").count() == 1
    page.fill("input[name='code']", totp_code(secret))
    submit(page, "code")
    page.wait_for_load_state()
    # The code that set the app up was the second factor: the board's pages open.
    page.goto("/medlemmer/invitationer/")
    assert page.url.endswith("/medlemmer/invitationer/")
    check_page(page, "invitations-right-after-setup")
