"""Every edit page opens, and saves unchanged, for objects that carry every optional
relation: tags, a guiding question, a circle, a municipality, questions, minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Event, EventPreferences
from focusareas.models import Contribution, FocusArea
from tests.conftest import login
from tests.events.conftest import lead_of
from tests.focusareas.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(circle):
    """A circle meeting with tags, capacity, deadline, link, partners, agenda and minutes."""
    lead = lead_of(circle)
    starts = (timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    event = event_services.event_create(
        actor=lead,
        organiser=lead,
        kind=Event.Kind.CIRCLE_MEETING,
        circle=circle,
        title="Kredsmøde om klima",
        description="Vi taler om **klima**.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location="Gentofte Rådhus",
        online_url="https://example.dk/moede",
        external_partners="KL\nDanske Regioner",
        tags=["grøn omstilling", "ledelse"],
        capacity=30,
        rsvp_deadline=(starts - timedelta(days=2)).date(),
        agenda="1. Velkomst",
    )
    event_services.event_minutes_save(actor=lead, event=event, minutes="Referat.")
    return event


@pytest.fixture
def full_contribution(circle):
    """A circle-only contribution answering a guiding question, with tags and a comment."""
    area = FocusArea.objects.filter(tags__isnull=False, questions__isnull=False).first()
    question = area.questions.current().first()
    author = lead_of(circle)
    contribution = ContributionFactory(
        author=author,
        guiding_question=question,
        visibility=Contribution.Visibility.CIRCLE,
        circle=circle,
        tags=[area.tags.first().name, "egen tag"],
    )
    CommentFactory(contribution=contribution, author=author)
    return contribution


def test_the_edit_page_of_an_event_with_tags_and_every_option_opens_and_saves(client, full_event):
    login(client, full_event.organiser)
    url = reverse("events:edit", args=[full_event.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    data["starts_at"] = timezone.localtime(full_event.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(full_event.ends_at).strftime("%Y-%m-%dT%H:%M")
    data["rsvp_deadline"] = full_event.rsvp_deadline.isoformat()
    response = client.post(url, data)
    assert response.status_code == 302, page.context["form"].errors
    full_event.refresh_from_db()
    assert sorted(full_event.tags.names()) == ["grøn omstilling", "ledelse"]
    assert full_event.sequence == 0


@pytest.mark.parametrize("suffix", ["aflys/", "referat/"])
def test_the_other_pages_of_an_event_with_every_option_open(client, full_event, suffix):
    login(client, full_event.organiser)
    response = client.get(reverse("events:detail", args=[full_event.pk]) + suffix)
    assert response.status_code == 200


def test_the_edit_page_of_a_contribution_with_tags_question_and_circle_opens_and_saves(
    client, full_contribution
):
    login(client, full_contribution.author)
    url = reverse("focusareas:contribution_edit", args=[full_contribution.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    response = client.post(url, {**data, "publish": "1"})
    assert response.status_code == 302
    full_contribution.refresh_from_db()
    assert full_contribution.guiding_question is not None
    assert full_contribution.circle is not None
    assert "egen tag" in full_contribution.tags.names()


def test_the_edit_page_of_a_comment_opens(client, full_contribution):
    comment = full_contribution.comments.get()
    login(client, comment.author)
    assert client.get(reverse("focusareas:comment_edit", args=[comment.pk])).status_code == 200


def test_the_edit_page_of_a_focus_area_with_tags_and_questions_opens(board_client):
    area = FocusArea.objects.filter(tags__isnull=False, questions__isnull=False).first()
    response = board_client.get(reverse("focusareas:edit", args=[area.slug]))
    assert response.status_code == 200
    assert response.context["form"]["tags"].value()
    assert board_client.get(reverse("focusareas:history", args=[area.slug])).status_code == 200


def test_the_profile_page_of_a_member_with_every_option_opens_and_saves(client, circle):
    member = lead_of(
        circle,
        job_title="Kommunaldirektør",
        phone="+45 12 34 56 78",
        bio="Om mig.",
        calendar_assistant_email="sekretaer@example.dk",
        calendar_assistant_consent=True,
    )
    login(client, member)
    page = client.get(reverse("members:profile"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value not in (None, False)}
    response = client.post(reverse("members:profile"), data)
    assert response.status_code == 302
    assert 'value="sekretaer@example.dk"' in page.content.decode()
    response = client.post(
        reverse("events:calendar_token"),
        {
            "action": "save",
            "reminders_opt_out": "on",
            "calendar_assistant_email": "sekretaer@example.dk",
            "calendar_assistant_consent": "on",
        },
    )
    assert response.status_code == 302
    preferences = EventPreferences.objects.get(member=member)
    assert preferences.calendar_assistant_email == "sekretaer@example.dk"
    assert preferences.reminders_opt_out


def test_the_notification_page_of_a_member_following_areas_and_tags_opens(
    client, full_contribution
):
    from focusareas import services as focusarea_services

    member = full_contribution.author
    tag = full_contribution.tags.first()
    focusarea_services.tag_follow(member=member, tag=tag, follow=True)
    login(client, member)
    assert client.get(reverse("focusareas:notifications")).status_code == 200


def test_the_board_pages_for_a_new_period_and_invitations_open(board_client):
    assert board_client.get(reverse("focusareas:period_create")).status_code == 200
    assert board_client.get(reverse("members:invitations")).status_code == 200


def test_the_admin_change_pages_of_objects_with_every_relation_open(
    staff_client, full_event, full_contribution
):
    area = FocusArea.objects.filter(tags__isnull=False).first()
    for obj in [full_event, full_contribution, area, full_contribution.author]:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert staff_client.get(url).status_code == 200, url
