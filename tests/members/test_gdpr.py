import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import models
from django.urls import reverse

from circles.models import CircleMembership
from members.models import Member
from tests.conftest import give_mfa, login
from tests.members.factories import MemberFactory, issue_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_member(db):
    member = MemberFactory(
        first_name="Ingeborg",
        last_name="Fjeldsø",
        phone="+45 21 43 65 87",
        bio="Kommunaldirektør med hjerte for nærdemokrati.",
        job_title="Kommunaldirektør",
    )
    give_mfa(member)
    issue_invitation("kollega@kommune.example", invited_by=member)
    contribution_and_comment_by(member)
    return member


def contribution_and_comment_by(member):
    """A contribution by the member (with a comment by a colleague), a comment by the
    member on a colleague's contribution, and follows."""
    from focusareas import services
    from focusareas.models import FocusArea

    own = services.contribution_create(
        author=member,
        title="Min erfaring med frivillige",
        body="Vi samarbejdede med foreningerne.",
        tags=["Frivillighed"],
        publish=True,
    )
    services.comment_create(contribution=own, author=MemberFactory(), body="Tak for det.")
    colleagues = services.contribution_create(
        author=MemberFactory(), title="Kollegas erfaring", body="Tekst.", tags=[], publish=True
    )
    services.comment_create(contribution=colleagues, author=member, body="Min kommentar.")
    services.focusarea_follow(
        member=member, focus_area=FocusArea.objects.get(slug="civilsamfund"), follow=True
    )
    services.tag_follow(member=member, tag=own.tags.get(), follow=True)


def test_the_export_holds_every_piece_of_the_members_data(client, rich_member):
    login(client, rich_member)
    response = client.get(reverse("members:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    profile = data["profile"]
    for field in ("email", "first_name", "last_name", "phone", "bio", "job_title"):
        assert profile[field] == getattr(rich_member, field)
    assert profile["municipality"] == rich_member.municipality.name
    assert data["email_addresses"] == [
        {"email": rich_member.email, "verified": True, "primary": True}
    ]
    assert [a["type"] for a in data["mfa_authenticators"]] == ["totp"]
    assert "secret" not in json.dumps(data["mfa_authenticators"])
    assert [m["circle"] for m in data["circle_memberships"]] == [
        rich_member.municipality.region.circle.name
    ]
    assert [i["email"] for i in data["invitations_sent"]] == ["kollega@kommune.example"]
    for section in ("contributions", "comments", "follows", "rsvps", "reminders"):
        assert section in data
    assert [c["title"] for c in data["contributions"]] == ["Min erfaring med frivillige"]
    assert data["contributions"][0]["tags"] == ["Frivillighed"]
    assert [c["body"] for c in data["comments"]] == ["Min kommentar."]
    assert data["follows"]["focus_areas"] == ["Civilsamfund"]
    assert data["follows"]["tags"] == ["Frivillighed"]


def test_every_field_of_the_member_model_is_considered_by_the_export(client, rich_member):
    """A new personal field on Member must be added to the export (or here, with a reason)."""
    not_personal = {
        "id",
        "password",
        "is_superuser",
        "groups",
        "user_permissions",
        "is_active",
        "anonymised_at",
        "logentry",
    }
    login(client, rich_member)
    exported = set(json.loads(client.get(reverse("members:data_export")).content)["profile"])
    concrete = {f.name for f in Member._meta.get_fields() if f.concrete and not f.many_to_many}
    assert concrete - exported - not_personal == set()


def personal_strings(member) -> set[str]:
    return {member.email, member.first_name, member.last_name, member.phone, member.bio}


def rows_containing(strings: set[str]) -> list[str]:
    """Every text value in every table of the project and allauth that holds one of the strings."""
    hits = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.get_fields()
            if f.concrete and isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not text_fields:
            continue
        for row in model.objects.values(*text_fields):
            for value in row.values():
                if any(s and s in str(value) for s in strings):
                    hits.append(f"{model._meta.label}: {value!r}")
    return hits


def test_erasure_after_reauthentication_leaves_no_personal_data(client, rich_member):
    secrets = personal_strings(rich_member)
    member_id = rich_member.pk
    login(client, rich_member)
    response = client.get(reverse("members:erase"))
    assert response.status_code == 302, "erasure asks for the password again first"
    assert "reauthenticate" in response.url

    client.post(response.url, {"password": "correct-horse-battery"})
    response = client.post(
        reverse("members:erase"), {"contributions": "anonymise", "confirm": "on"}
    )
    assert response.status_code == 302

    assert rows_containing(secrets) == []
    erased = Member.objects.get(pk=member_id)
    assert not erased.is_active and not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user_id=member_id).exists()
    assert not Authenticator.objects.filter(user_id=member_id).exists()
    assert not CircleMembership.objects.filter(member_id=member_id).exists()
    assert client.get(reverse("members:directory")).status_code == 302, "logged out"
    from focusareas.models import Comment, Contribution, FocusAreaFollow, TagFollow

    kept = Contribution.objects.get(title="Min erfaring med frivillige")
    assert kept.author is None, "anonymised: the text stays, the author goes"
    assert Comment.objects.get(body="Min kommentar.").author is None
    assert not Contribution.objects.filter(author_id=member_id).exists()
    assert not FocusAreaFollow.objects.filter(member_id=member_id).exists()
    assert not TagFollow.objects.filter(member_id=member_id).exists()
    login(client, MemberFactory())
    assert "Tidligere medlem" in client.get(kept.get_absolute_url()).content.decode()


def test_erasure_can_delete_the_members_contributions_and_comments(client, rich_member):
    from focusareas.models import Comment, Contribution

    secrets = personal_strings(rich_member)
    login(client, rich_member)
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    response = client.post(reverse("members:erase"), {"contributions": "delete", "confirm": "on"})
    assert response.status_code == 302
    assert not Contribution.objects.filter(title="Min erfaring med frivillige").exists()
    assert not Comment.objects.filter(body__in=["Min kommentar.", "Tak for det."]).exists()
    assert Contribution.objects.filter(title="Kollegas erfaring").exists()
    assert rows_containing(secrets) == []


def test_erasure_without_the_confirmation_changes_nothing(client, rich_member):
    login(client, rich_member)
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    response = client.post(reverse("members:erase"), {"contributions": "anonymise"})
    assert response.status_code == 200
    rich_member.refresh_from_db()
    assert rich_member.is_active and rich_member.email.endswith("@kommune.example")


def test_the_admin_anonymises_a_former_member(staff_client, rich_member):
    from members.services import member_mark_former

    member_mark_former(member=rich_member)
    secrets = personal_strings(rich_member)
    response = staff_client.post(
        reverse("admin:members_member_changelist"),
        {"action": "anonymise", "_selected_action": [rich_member.pk]},
    )
    assert response.status_code == 302
    assert rows_containing(secrets) == []


def test_erasure_rewrites_the_admin_log_and_ends_cached_sessions(client, rich_member, staff):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.cached_db import SessionStore

    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(rich_member.pk),
        object_repr=str(rich_member),
        action_flag=CHANGE,
        change_message="Changed phone.",
    )
    secrets = personal_strings(rich_member)
    other = type(client)()
    login(other, rich_member)
    session_key = other.session.session_key
    from members.services import member_erase

    member_erase(member=rich_member, contributions="anonymise")
    assert rows_containing(secrets) == []
    assert SessionStore(session_key=session_key).load() == {}
    assert other.get(reverse("members:directory")).status_code == 302


def test_an_erased_member_is_shown_as_a_former_member(rich_member):
    from members.services import member_erase

    member_erase(member=rich_member, contributions="anonymise")
    rich_member.refresh_from_db()
    assert str(rich_member) == "Tidligere medlem"
