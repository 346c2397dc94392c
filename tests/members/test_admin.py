"""A member's status changed in the admin goes through members.services, as the
admin's "Mark as former member" action does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Member
from tests.admin_forms import admin_form_data
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(monkeypatch):
    """The members member_mark_former was called for."""
    calls = []
    original = services.member_mark_former

    def spy(*, member):
        calls.append(member.pk)
        return original(member=member)

    monkeypatch.setattr(services, "member_mark_former", spy)
    return calls


def leaving_state(member: Member) -> tuple:
    member.refresh_from_db()
    return member.status, member.left_on, member.is_active


def test_setting_a_member_to_former_in_the_change_form_is_the_mark_former_action(
    staff_client, marked
):
    by_action, by_form = MemberFactory(), MemberFactory()
    response = staff_client.post(
        reverse("admin:members_member_changelist"),
        {"action": "mark_former", "_selected_action": [by_action.pk]},
    )
    assert response.status_code == 302
    url = reverse("admin:members_member_change", args=[by_form.pk])
    data = admin_form_data(staff_client.get(url), form_id="member_form", status="former")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert marked == [by_action.pk, by_form.pk]
    today = timezone.localdate()
    assert leaving_state(by_form) == leaving_state(by_action) == ("former", today, False)


def test_other_changes_in_the_member_form_do_not_mark_anyone_former(staff_client, marked):
    member = MemberFactory(job_title="Kommunaldirektør")
    url = reverse("admin:members_member_change", args=[member.pk])
    data = admin_form_data(staff_client.get(url), form_id="member_form", job_title="Direktør")
    assert staff_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.job_title, member.status, member.is_active) == ("Direktør", "active", True)
    assert marked == []
    # The form that marks a former member is the one place it happens (and it happened).
    data = admin_form_data(staff_client.get(url), form_id="member_form", status="former")
    staff_client.post(url, data)
    assert marked == [member.pk]


def test_the_admin_does_not_delete_a_member_around_the_erasure(staff_client):
    member = MemberFactory()
    url = reverse("admin:members_member_delete", args=[member.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:members_member_changelist")
    staff_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"},
    )
    assert Member.objects.filter(pk=member.pk).exists()
    # Leaving and erasure are the actions, through members.services.
    page = staff_client.get(changelist)
    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"mark_former", "anonymise"} <= set(actions)


def test_the_two_step_methods_list_in_danish_and_never_shows_a_secret(staff_client, member):
    from allauth.mfa.models import Authenticator

    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"
    method = Authenticator.objects.create(
        user=member, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    listing = staff_client.get(
        reverse("admin:members_twostepmethod_changelist"), HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    assert "Totrinsmetoder" in listing and "Godkendelsesapp (TOTP)" in listing
    assert "Authenticator" not in listing
    page = staff_client.get(
        reverse("admin:members_twostepmethod_change", args=[method.pk])
    ).content.decode()
    assert member.last_name in page and secret not in page
    assert staff_client.get(reverse("admin:index")).content.decode().count("mfa/authenticator") == 0
