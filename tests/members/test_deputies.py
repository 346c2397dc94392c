import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from circles.models import Circle, CircleMembership
from circles.services import circle_membership_set_role
from members import services
from members.models import Invitation, Member, Municipality
from members.selectors import member_data_export
from tests.conftest import login
from tests.members.factories import MemberFactory, make_deputy
from tests.members.test_invitations import link_from_mail, signup_data

pytestmark = pytest.mark.django_db


def circles_of(member) -> set[int]:
    return set(CircleMembership.objects.filter(member=member).values_list("circle_id", flat=True))


def test_an_invited_deputy_signs_up_and_is_linked_in_the_members_municipality_and_circles(
    member_client, member, client_class, django_capture_on_commit_callbacks
):
    other_circle = Circle.objects.exclude(region_id=member.municipality.region_id).first()
    circle_membership_set_role(member=member, circle=other_circle, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("members:deputy"),
            {"invite": "1", "name": "Søren Stedfortræder", "email": "Soeren@Kommune.example"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="soeren@kommune.example")
    assert invitation.deputy_for == member and invitation.invited_by == member
    assert invitation.municipality == member.municipality
    assert len(mail.outbox) == 1
    assert "stedfortræder" in mail.outbox[0].body

    newcomer = client_class()
    page = newcomer.get(link_from_mail(mail.outbox[0])).content.decode()
    assert f"inviteret som stedfortræder for {member.get_full_name()}" in page
    elsewhere = Municipality.objects.exclude(pk=member.municipality_id).first()
    response = newcomer.post(
        reverse("account_signup"), signup_data("soeren@kommune.example", elsewhere)
    )
    assert response.status_code == 302
    deputy = Member.objects.get(email="soeren@kommune.example")
    assert deputy.is_deputy and deputy.deputy_for == member
    assert deputy.municipality == member.municipality, "the member's, not the form's"
    assert circles_of(deputy) == circles_of(member)
    assert set(CircleMembership.objects.filter(member=deputy).values_list("role", flat=True)) == {
        "member"
    }


def test_a_member_has_at_most_one_deputy(member):
    make_deputy(member)
    with pytest.raises(services.DeputyError) as error:
        services.deputy_invite(
            member=member, name="Anden", email="anden@kommune.example", invited_by=member
        )
    assert error.value.reason == services.DeputyError.HAS_DEPUTY
    with pytest.raises(services.DeputyError):
        make_deputy(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=MemberFactory().pk).update(is_deputy=True, deputy_for=member)


def test_a_deputy_cannot_have_a_deputy(member):
    deputy = make_deputy(member)
    with pytest.raises(services.DeputyError) as error:
        services.deputy_invite(
            member=deputy, name="X", email="x@kommune.example", invited_by=deputy
        )
    assert error.value.reason == services.DeputyError.IS_DEPUTY


def test_the_page_refuses_a_second_deputy_with_a_danish_message(member_client, member):
    make_deputy(member)
    response = member_client.post(
        reverse("members:deputy"),
        {"invite": "1", "name": "Ny", "email": "ny@kommune.example"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Fjern din nuværende stedfortræder" in response.content.decode()
    assert not Invitation.objects.filter(email="ny@kommune.example").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"invite": "1", "name": "", "email": "ikke-en-adresse"},
        {"invite": "1", "name": "a\nb", "email": "a@b.example"},
        {"invite": "1", "name": "x" * 500, "email": "a@b.example"},
        {"remove": "1"},
        {"something": "else"},
    ],
)
def test_bad_input_on_the_deputy_page_is_no_error(member_client, data):
    response = member_client.post(reverse("members:deputy"), data)
    assert response.status_code in (200, 302)
    assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(member):
    first = services.deputy_invite(
        member=member, name="A", email="a@kommune.example", invited_by=member
    ).invitation
    services.deputy_invite(member=member, name="B", email="b@kommune.example", invited_by=member)
    first.refresh_from_db()
    assert first.revoked_at is not None


def test_the_deputys_circles_follow_the_members_circles(member):
    deputy = make_deputy(member)
    other = Circle.objects.exclude(pk__in=circles_of(member)).first()
    circle_membership_set_role(member=member, circle=other, role="lead")
    assert other.pk in circles_of(deputy)
    assert CircleMembership.objects.get(member=deputy, circle=other).role == "member"
    elsewhere = Municipality.objects.exclude(region_id=member.municipality.region_id).first()
    change = services.municipality_change_request(member=member, to_municipality=elsewhere)
    services.municipality_change_approve(request=change, decided_by=MemberFactory())
    deputy.refresh_from_db()
    assert deputy.municipality == elsewhere
    assert circles_of(deputy) == circles_of(member)


def test_a_deputy_is_not_counted_nor_invited_but_listed_as_deputy(member_client, member):
    deputy = make_deputy(member, first_name="Dorte", last_name="Deputeret")
    assert deputy in Member.objects.active()
    assert deputy not in Member.objects.counted()
    response = member_client.get(reverse("members:directory"), {"q": "Deputeret"})
    body = response.content.decode()
    assert "Dorte Deputeret" in body
    assert f"stedfortræder for {member.get_full_name()}" in body
    assert "0 medlemmer fundet" in body and "og 1 stedfortræder" in body
    response = member_client.get(reverse("members:detail", args=[deputy.pk]))
    assert f"stedfortræder for {member.get_full_name()}" in response.content.decode()


def test_circle_counts_leave_deputies_out(member_client, member):
    from circles.selectors import circle_list

    circle = Circle.objects.get(region_id=member.municipality.region_id)
    before = {c.pk: c.member_count for c in circle_list()}[circle.pk]
    make_deputy(member)
    assert {c.pk: c.member_count for c in circle_list()}[circle.pk] == before


def test_the_deputy_reads_as_a_member_does(client, member):
    deputy = make_deputy(member)
    login(client, deputy)
    assert client.get(reverse("members:directory")).status_code == 200
    assert client.get(reverse("focusareas:contribution_list")).status_code == 200
    response = client.get(reverse("members:deputy"))
    assert response.status_code == 200
    assert "Du er stedfortræder" in response.content.decode()
    response = client.post(
        reverse("members:deputy"), {"invite": "1", "name": "X", "email": "x@kommune.example"}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_removing_the_deputy_closes_their_account_and_unlinks(member_client, member):
    deputy = make_deputy(member)
    response = member_client.post(reverse("members:deputy"), {"remove": "1", "confirm": "on"})
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.deputy_for is None and not deputy.is_active
    assert deputy.status == Member.Status.FORMER
    assert deputy.is_deputy, "still not counted"
    services.deputy_invite(member=member, name="Ny", email="ny@kommune.example", invited_by=member)


def test_a_member_who_leaves_takes_their_deputy_and_pending_invitations_along(member):
    deputy = make_deputy(member)
    other = MemberFactory()
    services.deputy_invite(member=other, name="B", email="b@kommune.example", invited_by=other)
    services.member_mark_former(member=other)
    services.member_mark_former(member=member)
    deputy.refresh_from_db()
    assert deputy.status == Member.Status.FORMER and not deputy.is_active
    assert deputy.deputy_for is None and deputy.is_deputy
    assert Invitation.objects.get(email="b@kommune.example").revoked_at is not None


def test_erasing_the_member_keeps_the_deputy_intact(member):
    deputy = make_deputy(member)
    services.deputy_invite  # noqa: B018  (the member can no longer invite: erased)
    services.member_erase(member=member, contributions="anonymise")
    deputy.refresh_from_db()
    assert deputy.is_active and deputy.status == Member.Status.ACTIVE
    assert deputy.deputy_for is None and deputy.is_deputy
    assert deputy.email.endswith("@kommune.example")
    assert deputy not in Member.objects.counted()


def test_erasing_the_deputy_keeps_the_member_intact_and_free_to_invite_again(member):
    deputy = make_deputy(member)
    services.member_erase(member=deputy, contributions="delete")
    member.refresh_from_db()
    assert member.is_active and member.get_full_name()
    assert not Member.objects.filter(deputy_for=member).exists()
    services.deputy_invite(member=member, name="Ny", email="ny@kommune.example", invited_by=member)


def test_erasing_the_member_deletes_their_pending_deputy_invitation(member):
    services.deputy_invite(member=member, name="A", email="a@kommune.example", invited_by=member)
    services.member_erase(member=member, contributions="anonymise")
    assert not Invitation.objects.filter(email="a@kommune.example").exists()


def test_the_export_of_either_includes_the_link(member):
    deputy = make_deputy(member)
    assert member_data_export(member=member)["profile"]["deputy"]["id"] == deputy.pk
    exported = member_data_export(member=deputy)["profile"]
    assert exported["is_deputy"] and exported["deputy_for"]["id"] == member.pk


@pytest.mark.parametrize("with_deputy", [False, True])
def test_the_deputy_page_has_a_fixed_query_count(
    client, member, django_assert_num_queries, with_deputy
):
    MemberFactory.create_batch(5)
    if with_deputy:
        make_deputy(member)
    else:
        services.deputy_invite(
            member=member, name="A", email="a@kommune.example", invited_by=member
        )
    login(client, member)
    # The session's member, the deputy, the pending invitation (the session is cached).
    with django_assert_num_queries(3):
        assert client.get(reverse("members:deputy")).status_code == 200


def test_the_admin_shows_and_filters_deputies_and_invites_through_the_service(
    staff_client, member, django_capture_on_commit_callbacks
):
    deputy = make_deputy(member)
    response = staff_client.get(
        reverse("admin:members_member_changelist"), {"is_deputy__exact": "1"}
    )
    body = response.content.decode()
    assert deputy.email in body and f"stedfortræder for {member.get_full_name()}" in body
    assert (
        staff_client.get(reverse("admin:members_member_change", args=[member.pk])).status_code
        == 200
    )
    other = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:members_invitation_add"),
            {
                "email": "sted@kommune.example",
                "name": "Sted",
                "deputy_for": other.pk,
                "message": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    invitation = Invitation.objects.get(email="sted@kommune.example")
    assert invitation.deputy_for == other and invitation.municipality == other.municipality
    response = staff_client.get(reverse("admin:members_invitation_changelist"))
    assert other.get_full_name() in response.content.decode()
    # A member with a deputy is refused in the form, with a message.
    response = staff_client.post(
        reverse("admin:members_invitation_add"),
        {"email": "to@kommune.example", "name": "To", "deputy_for": member.pk, "message": ""},
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="to@kommune.example").exists()


def test_the_admin_action_removes_the_deputy(staff_client, member):
    deputy = make_deputy(member)
    response = staff_client.post(
        reverse("admin:members_member_changelist"),
        {"action": "remove_deputy", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.deputy_for is None and not deputy.is_active


def test_a_deputys_digest_covers_only_what_they_follow(member):
    from focusareas.models import FocusArea, FocusAreaFollow
    from focusareas.services.notifications import digest_recipients

    deputy = make_deputy(member)
    assert deputy not in digest_recipients(), "follows nothing: no digest"
    FocusAreaFollow.objects.create(member=deputy, focus_area=FocusArea.objects.first())
    assert deputy in digest_recipients()


def test_a_deputy_cannot_ask_to_move_to_another_municipality(client, member):
    from members.models import MunicipalityChangeRequest

    deputy = make_deputy(member)
    login(client, deputy)
    elsewhere = Municipality.objects.exclude(pk=member.municipality_id).first()
    response = client.post(
        reverse("members:profile"),
        {
            "first_name": "Dorte",
            "last_name": "Deputeret",
            "job_title": "Vicedirektør",
            "municipality": elsewhere.pk,
            "phone": "",
            "bio": "",
        },
    )
    assert response.status_code in (200, 302)
    assert not MunicipalityChangeRequest.objects.filter(member=deputy).exists()
    deputy.refresh_from_db()
    assert deputy.municipality == member.municipality


def test_circle_memberships_edited_in_the_admin_keep_the_deputy_in_step(staff_client, member):
    deputy = make_deputy(member)
    other = Circle.objects.exclude(pk__in=circles_of(member)).first()
    response = staff_client.post(
        reverse("admin:circles_circlemembership_add"),
        {"member": member.pk, "circle": other.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert other.pk in circles_of(deputy)
    membership = CircleMembership.objects.get(member=member, circle=other)
    staff_client.post(
        reverse("admin:circles_circlemembership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert other.pk not in circles_of(deputy)


def test_the_circle_page_and_the_invitation_list_say_whom_a_deputy_stands_in_for(
    board_client, member, client_class
):
    deputy = make_deputy(member)
    circle = Circle.objects.get(region_id=member.municipality.region_id)
    client = login(client_class(), deputy)
    body = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert f"stedfortræder for {member.get_full_name()}" in body
    services.deputy_invite(
        member=MemberFactory(), name="X", email="x@kommune.example", invited_by=None
    )
    body = board_client.get(reverse("members:invitations")).content.decode()
    assert "stedfortræder for" in body


def test_the_admin_does_not_move_a_deputy_away_from_their_members_municipality(
    staff_client, member
):
    deputy = make_deputy(member)
    response = staff_client.get(reverse("admin:members_member_change", args=[deputy.pk]))
    assert 'name="municipality"' not in response.content.decode()
