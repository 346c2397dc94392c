import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from circles.models import CircleMembership
from members.models import Invitation, Member, Municipality
from members.services import invitation_create
from tests.members.factories import issue_invitation

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "Kommunal-direktion-2026"


def signup_data(email: str, municipality: Municipality) -> dict:
    return {
        "email": email,
        "password1": SIGNUP_PASSWORD,
        "password2": SIGNUP_PASSWORD,
        "first_name": "Karen",
        "last_name": "Nielsen",
        "job_title": "Kommunaldirektør",
        "municipality": municipality.pk,
    }


def link_from_mail(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_board_invites_and_the_newcomer_signs_up_logs_in_and_joins_the_home_circle(
    board_client, django_capture_on_commit_callbacks, client_class
):
    aarhus = Municipality.objects.get(name="Aarhus")
    with django_capture_on_commit_callbacks(execute=True):
        response = board_client.post(
            reverse("members:invitations"), {"email": "Karen.Nielsen@Aarhus.example"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation_mail = mail.outbox[0]
    assert invitation_mail.to == ["karen.nielsen@aarhus.example"]
    assert invitation_mail.alternatives, "the invitation is multipart: text and HTML"
    link = link_from_mail(invitation_mail)

    newcomer = client_class()
    response = newcomer.get(link)
    assert response.status_code == 200
    assert reverse("account_signup") in response.content.decode()
    response = newcomer.post(
        reverse("account_signup"), signup_data("karen.nielsen@aarhus.example", aarhus)
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    karen = Member.objects.get(email="karen.nielsen@aarhus.example")
    assert karen.get_full_name() == "Karen Nielsen"
    assert karen.municipality == aarhus
    assert EmailAddress.objects.get(user=karen).verified, "the invitation link proved the address"
    assert CircleMembership.objects.filter(member=karen, circle__slug="midtjylland").exists()
    invitation = Invitation.objects.get(email="karen.nielsen@aarhus.example")
    assert invitation.accepted_by == karen and invitation.accepted_at is not None

    newcomer.logout()
    response = newcomer.post(
        reverse("account_login"),
        {"login": "karen.nielsen@aarhus.example", "password": SIGNUP_PASSWORD},
    )
    assert response.status_code == 302
    assert newcomer.get(reverse("members:directory")).status_code == 200
    circle_page = newcomer.get(reverse("circles:detail", args=["midtjylland"]))
    assert "Karen Nielsen" in circle_page.content.decode()


def test_the_token_is_stored_only_as_a_hash():
    issued = issue_invitation()
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert issued.token not in stored.token_hash
    assert len(issued.token) >= 43, "at least 256 bits of randomness"
    assert not Invitation.objects.filter(token_hash=issued.token).exists()


def test_an_invitation_works_only_once(client, client_class):
    issued = issue_invitation("en.gang@kommune.example")
    municipality = Municipality.objects.get(name="Odense")
    client.get(reverse("invitation_accept", args=[issued.token]))
    response = client.post(
        reverse("account_signup"), signup_data("en.gang@kommune.example", municipality)
    )
    assert response.status_code == 302

    second = client_class()
    response = second.get(reverse("invitation_accept", args=[issued.token]))
    assert response.status_code == 410
    assert "allerede brugt" in response.content.decode()
    assert Member.objects.filter(email="en.gang@kommune.example").count() == 1


def test_an_expired_invitation_is_refused_with_an_explanation(client):
    issued = issue_invitation()
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(reverse("invitation_accept", args=[issued.token]))
    assert response.status_code == 410
    assert "udløbet" in response.content.decode()


def test_an_invitation_expires_after_fourteen_days():
    issued = issue_invitation()
    lifetime = issued.invitation.expires_at - issued.invitation.created_at
    assert lifetime == timedelta(days=14)


def test_a_tampered_token_is_unknown(client):
    issued = issue_invitation()
    tampered = issued.token[:-2] + ("aa" if not issued.token.endswith("aa") else "bb")
    response = client.get(reverse("invitation_accept", args=[tampered]))
    assert response.status_code == 404
    assert client.get(reverse("account_signup")).status_code == 200
    assert "invitation" in client.get(reverse("account_signup")).content.decode().lower()


def test_a_new_invitation_revokes_the_earlier_one(client):
    first = issue_invitation("to.gange@kommune.example")
    issue_invitation("to.gange@kommune.example")
    response = client.get(reverse("invitation_accept", args=[first.token]))
    assert response.status_code == 410


def test_signup_without_an_invitation_is_closed_and_creates_nothing(client):
    municipality = Municipality.objects.get(name="Aalborg")
    before = Member.objects.count()
    page = client.get(reverse("account_signup"))
    assert "kun ved invitation" in page.content.decode().lower()
    client.post(reverse("account_signup"), signup_data("ubuden@kommune.example", municipality))
    assert Member.objects.count() == before
    assert not Member.objects.filter(email="ubuden@kommune.example").exists()


def test_the_signup_must_use_the_invited_address(client):
    issued = issue_invitation("inviteret@kommune.example")
    municipality = Municipality.objects.get(name="Aalborg")
    client.get(reverse("invitation_accept", args=[issued.token]))
    response = client.post(
        reverse("account_signup"), signup_data("en.anden@kommune.example", municipality)
    )
    assert response.status_code == 200
    assert "inviteret@kommune.example" in response.content.decode()
    assert not Member.objects.filter(email="en.anden@kommune.example").exists()
    assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is None


def test_inviting_an_existing_member_is_refused_with_a_message(board_client, member):
    response = board_client.post(reverse("members:invitations"), {"email": member.email.upper()})
    assert response.status_code == 200
    assert "findes allerede" in response.content.decode()
    assert not Invitation.objects.filter(email=member.email).exists()


def test_an_ordinary_member_cannot_invite(member_client):
    response = member_client.post(reverse("members:invitations"), {"email": "x@kommune.example"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_admin_action_sends_a_fresh_invitation(
    staff_client, staff, django_capture_on_commit_callbacks
):
    old = invitation_create(email="glemt@kommune.example", invited_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:members_invitation_changelist"),
            {"action": "send_invitation", "_selected_action": [old.invitation.pk]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert Invitation.objects.pending().filter(email="glemt@kommune.example").count() == 1
    assert Invitation.objects.get(pk=old.invitation.pk).revoked_at is not None


def test_the_admin_adds_an_invitation_that_is_hashed_and_mailed(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:members_invitation_add"),
            {"email": "Fra.Admin@Kommune.example", "message": "Velkommen"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="fra.admin@kommune.example")
    assert len(invitation.token_hash) == 64
    assert len(mail.outbox) == 1 and "Velkommen" in mail.outbox[0].body


def test_the_admin_cannot_invite_an_existing_member(staff_client, member):
    response = staff_client.post(reverse("admin:members_invitation_add"), {"email": member.email})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_mail_server_failure_loses_no_invitation_the_outbox_sends_it_later(
    board_client, settings, django_capture_on_commit_callbacks
):
    from core.models import OutgoingMail
    from core.outbox import outbox_send_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = board_client.post(
            reverse("members:invitations"), {"email": "nede@kommune.example"}, follow=True
        )
    assert response.status_code == 200
    invitation = Invitation.objects.get(email="nede@kommune.example")
    assert invitation.sent_at is None and invitation.revoked_at is None
    row = OutgoingMail.objects.get(to_address="nede@kommune.example")
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.priority == OutgoingMail.Priority.ACCOUNT
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_send_due(clock=lambda: row.due_at)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert [m.to for m in mail.outbox] == [["nede@kommune.example"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id


def test_a_member_added_in_the_admin_can_log_in_and_sits_in_their_circle(staff_client):
    aarhus = Municipality.objects.get(name="Aarhus")
    response = staff_client.post(
        reverse("admin:members_member_add"),
        {
            "email": "Ny.Fra.Admin@Kommune.example",
            "first_name": "Ny",
            "last_name": "Admin",
            "municipality": aarhus.pk,
            "usable_password": "true",
            "circle_memberships-TOTAL_FORMS": "0",
            "circle_memberships-INITIAL_FORMS": "0",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(email="ny.fra.admin@kommune.example")
    assert EmailAddress.objects.get(user=member).verified
    assert list(member.circles.values_list("slug", flat=True)) == ["midtjylland"]


def test_the_municipality_the_invitation_names_is_chosen_on_the_signup_form(client):
    vejle = Municipality.objects.get(name="Vejle")
    issued = issue_invitation("ny.direktoer@vejle.example", municipality=vejle)
    client.get(reverse("invitation_accept", args=[issued.token]))
    page = client.get(reverse("account_signup")).content.decode()
    assert re.search(rf'<option value="{vejle.pk}"[^>]*selected', page)
