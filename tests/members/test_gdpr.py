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


def test_the_export_holds_what_the_member_wrote_hid_and_did_in_the_admin(client, rich_member):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from circles.models import Circle
    from events.models import Event
    from events.services import event_minutes_save
    from focusareas import services
    from focusareas.models import Comment, Contribution, FocusArea, GuidingQuestion
    from focusareas.services import focusarea_snapshot
    from tests.events.conftest import schedule

    circle = Circle.objects.get(memberships__member=rich_member)
    question = GuidingQuestion.objects.filter(focus_area__slug="civilsamfund").first()
    services.contribution_create(
        author=rich_member,
        title="Kun for kredsen",
        body="Tekst.",
        tags=[],
        visibility=Contribution.Visibility.CIRCLE,
        circle=circle,
        guiding_question=question,
        publish=True,
    )
    meeting = schedule(actor=None, organiser=rich_member, circle=circle, title="Kredsmøde")
    event_minutes_save(actor=rich_member, event=meeting, minutes="Referat skrevet af Ingeborg")
    area = FocusArea.objects.get(slug="civilsamfund")
    snapshot = focusarea_snapshot(focus_area=area)
    services.focusarea_update(
        focus_area=area,
        author=rich_member,
        title=area.title,
        summary="Et nyt resumé af Ingeborg",
        body=area.body,
        questions=[
            services.QuestionInput(id=q["id"], text=q["text"]) for q in snapshot["questions"]
        ],
        tags=snapshot["tags"],
        note="Resumé skrevet om",
    )
    colleagues = Contribution.objects.exclude(author=rich_member).get()
    services.contribution_hide(contribution=colleagues, hidden_by=rich_member, reason="Krænkende")
    comment = Comment.objects.exclude(author=rich_member).get()
    services.comment_hide(comment=comment, hidden_by=rich_member, reason="Uden for emnet")
    LogEntry.objects.create(
        user=rich_member,
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(meeting.pk),
        object_repr=str(meeting),
        action_flag=CHANGE,
        change_message="Ændrede titlen",
    )
    invitation = issue_invitation(
        "ingeborg@kommune.example", invited_by=MemberFactory(), message="Velkommen, Ingeborg!"
    ).invitation
    invitation.accepted_by = rich_member
    invitation.accepted_at = timezone.now()
    invitation.save()

    login(client, rich_member)
    data = json.loads(client.get(reverse("members:data_export")).content)

    by_title = {c["title"]: c for c in data["contributions"]}
    assert by_title["Kun for kredsen"]["circle"] == circle.name
    assert by_title["Kun for kredsen"]["guiding_question"] == question.text
    assert by_title["Min erfaring med frivillige"]["circle"] is None
    assert by_title["Min erfaring med frivillige"]["guiding_question"] is None
    assert [m["text"] for m in data["minutes_written"]] == ["Referat skrevet af Ingeborg"]
    assert data["minutes_written"][0]["event"] == "Kredsmøde"
    [revision] = data["focus_area_revisions"]
    assert revision["focus_area"] == area.title and revision["note"] == "Resumé skrevet om"
    assert revision["content"]["summary"] == "Et nyt resumé af Ingeborg"
    hidden = data["hidden_by_member"]
    assert [(c["title"], c["reason"]) for c in hidden["contributions"]] == [
        ("Kollegas erfaring", "Krænkende")
    ]
    assert [(c["contribution"], c["reason"]) for c in hidden["comments"]] == [
        ("Min erfaring med frivillige", "Uden for emnet")
    ]
    assert all(c["hidden_at"] for c in hidden["contributions"] + hidden["comments"])
    [entry] = data["admin_log"]
    assert entry["object"] == str(meeting) and entry["action"] == "change"
    assert "Ændrede titlen" in entry["change_message"]
    assert [i["greeting"] for i in data["invitation_received"]] == ["Velkommen, Ingeborg!"]


def test_no_fragment_cached_before_the_erasure_shows_the_name_after_it(
    client, rich_member, settings
):
    from events.models import RSVP
    from focusareas.models import Contribution
    from members.services import ContributionChoice, member_erase
    from tests.events.conftest import schedule

    settings.PAGE_CACHE = True
    circle = rich_member.circle_memberships.get().circle
    meeting = schedule(actor=None, organiser=MemberFactory(), circle=circle, title="Kredsmøde")
    RSVP.objects.create(event=meeting, member=rich_member, answer="yes")
    colleague = MemberFactory(municipality=rich_member.municipality)
    CircleMembership.objects.get_or_create(member=colleague, circle=circle)
    login(client, colleague)
    own = Contribution.objects.get(author=rich_member)
    commented = Contribution.objects.exclude(author=rich_member).get()
    pages = [
        reverse("focusareas:contribution_list"),
        own.get_absolute_url(),
        commented.get_absolute_url(),
        reverse("members:directory"),
        reverse("members:detail", args=[rich_member.pk]),
        meeting.get_absolute_url(),
        reverse("circles:detail", args=[circle.slug]),
    ]
    for url in pages:  # twice: the second visit is made of the fragments the first stored
        client.get(url)
        assert "Fjeldsø" in client.get(url).content.decode(), url

    member_erase(member=rich_member, contributions=ContributionChoice.ANONYMISE)

    for url in pages:
        assert "Fjeldsø" not in client.get(url).content.decode(), url
