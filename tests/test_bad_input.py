"""Bad input and unexpected data never give a 500: each is refused with a clear Danish
message (or a 404), and nothing is saved."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse

from core.time import COPENHAGEN
from events.models import Event
from focusareas.models import FocusArea
from tests.conftest import login
from tests.events.factories import EventFactory
from tests.events.test_views import form_data

pytestmark = pytest.mark.django_db


def test_an_event_tag_longer_than_100_characters_is_a_form_error(client, circle_lead, circle):
    login(client, circle_lead)
    response = client.post(reverse("events:create"), form_data(circle, tags="x" * 101))
    assert response.status_code == 200
    assert response.context["form"].errors["tags"] == ["Et tag må højst være 100 tegn langt."]
    assert not Event.objects.exists()


OUT_OF_RANGE = "Angiv en dato mellem år 2000 og 2100."


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_an_event_outside_the_years_2000_to_2100_is_a_form_error(client, circle_lead, circle, day):
    login(client, circle_lead)
    data = form_data(circle, starts_at=f"{day}T10:00", ends_at=f"{day}T13:00")
    response = client.post(reverse("events:create"), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["starts_at"]
    assert not Event.objects.exists()


def test_an_rsvp_deadline_in_year_one_is_a_form_error(client, circle_lead, circle):
    login(client, circle_lead)
    response = client.post(reverse("events:create"), form_data(circle, rsvp_deadline="0001-01-01"))
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["rsvp_deadline"]
    assert not Event.objects.exists()


def test_the_services_refuse_an_event_in_year_one(circle_lead, circle):
    from events import services

    start = datetime(1, 1, 1, 10, tzinfo=COPENHAGEN)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=circle_lead,
            organiser=circle_lead,
            kind=Event.Kind.CIRCLE_MEETING,
            circle=circle,
            title="Møde",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            location="Rådhuset",
        )
    assert OUT_OF_RANGE in error.value.message_dict["starts_at"]
    assert not Event.objects.exists()

    event = EventFactory(circle=circle, organiser=circle_lead)
    with pytest.raises(ValidationError):
        services.event_update(
            actor=circle_lead, event=event, ends_at=datetime(9999, 12, 31, tzinfo=COPENHAGEN)
        )
    event.refresh_from_db()
    assert event.ends_at.year < 2100 and event.sequence == 0


def test_the_admin_refuses_an_event_in_year_one(rf, staff, circle):
    from django.contrib import admin

    request = rf.get("/")
    request.user = staff
    form_class = admin.site._registry[Event].get_form(request)
    form = form_class(
        {
            "kind": Event.Kind.CIRCLE_MEETING,
            "circle": circle.pk,
            "title": "Møde",
            "starts_at_0": "0001-01-01",
            "starts_at_1": "10:00",
            "ends_at_0": "0001-01-01",
            "ends_at_1": "12:00",
            "status": Event.Status.SCHEDULED,
            "reminder_offsets": "[]",
        }
    )
    assert not form.is_valid()
    assert OUT_OF_RANGE in form.errors["starts_at"]


@pytest.mark.parametrize("month", ["9999-12", "1-1", "0001-01", "1999-12", "2101-01"])
def test_a_month_outside_the_years_2000_to_2100_is_not_found(member_client, month):
    response = member_client.get(reverse("events:list"), {"maaned": month})
    assert response.status_code == 404


def test_the_months_at_the_ends_of_the_range_show(member_client):
    for month in ["2000-01", "2100-12"]:
        assert member_client.get(reverse("events:list"), {"maaned": month}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/tags/\x00/",
        "/tags/a\x00b/foelg/",
        "/kalender/" + "a" * 40 + "\x00.ics",
        "/invitation/" + "a" * 40 + "\x00/",
    ],
)
def test_an_address_with_a_nul_byte_is_not_found(member_client, path):
    with pytest.raises(Resolver404):
        resolve(path)
    response = member_client.get(path.replace("\x00", "%00"))
    assert response.status_code == 404


def test_a_query_parameter_with_a_nul_byte_counts_as_not_given(member_client):
    url = reverse("focusareas:tag_suggestions")
    response = member_client.get(url, {"tags": "\x00"})
    assert response.status_code == 200
    assert response.content == member_client.get(url).content

    from core.inputs import query_text

    assert query_text(QueryDict("tags=a%00b"), "tags") == ""
    assert query_text(QueryDict("tags=ab"), "tags") == "ab"


@pytest.mark.parametrize("value", ["9" * 40, str(2**63), "-9223372036854775809"])
def test_a_huge_id_is_refused_before_it_reaches_the_database(
    member_client, django_assert_num_queries, value
):
    from focusareas.forms import NotificationSettingsForm
    from focusareas.selectors import current_focus_areas

    offered = current_focus_areas()
    form = NotificationSettingsForm(
        {"frequency": "weekly", "focus_areas": [value]}, offered=offered
    )
    with django_assert_num_queries(0):
        assert not form.is_valid()
    assert "focus_areas" in form.errors

    url = reverse("focusareas:notifications")
    response = member_client.post(url, {"frequency": "weekly", "focus_areas": [value]})
    assert response.status_code == 200
    assert response.context["form"].errors["focus_areas"]

    from core.inputs import parse_id

    assert parse_id(value) is None
    assert parse_id("12") == 12
    assert parse_id(str(2**63 - 1)) == 2**63 - 1


ONE_LINE = "Linjeskift er ikke tilladt her."


def _one_line_forms(circle_lead):
    from events.forms import EventForm
    from focusareas.forms import ContributionForm, FocusAreaForm, StrategyPeriodForm
    from members.forms import ProfileForm, SignupProfileForm

    area = FocusArea.objects.first()
    return [
        (lambda data: EventForm(data, user=circle_lead), ["title", "location"]),
        (lambda data: ContributionForm(data, author=circle_lead), ["title"]),
        (lambda data: FocusAreaForm(data, instance=area), ["title", "note"]),
        (lambda data: StrategyPeriodForm(data), ["title"]),
        (
            lambda data: ProfileForm(data, instance=circle_lead),
            ["first_name", "last_name", "job_title", "phone"],
        ),
        (lambda data: SignupProfileForm(data), ["first_name", "last_name", "job_title"]),
    ]


@pytest.mark.parametrize("text", ["Første\nanden", "Første\r\nanden", "Første\u2028anden"])
def test_a_line_break_in_a_one_line_field_is_a_form_error(circle_lead, text):
    for make_form, names in _one_line_forms(circle_lead):
        form = make_form(dict.fromkeys(names, text))
        assert not form.is_valid()
        for name in names:
            assert ONE_LINE in form.errors.get(name, []), (type(form).__name__, name)
        # Line breaks at the ends are whitespace, which the fields strip.
        form = make_form(dict.fromkeys(names, "Første\n"))
        form.is_valid()
        for name in names:
            assert ONE_LINE not in form.errors.get(name, []), (type(form).__name__, name)


def test_an_event_title_with_a_line_break_is_refused_and_nothing_is_saved(
    client, circle_lead, circle
):
    login(client, circle_lead)
    response = client.post(reverse("events:create"), form_data(circle, title="Møde\nom x"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [ONE_LINE]
    assert not Event.objects.exists()


def test_a_line_break_already_in_a_title_is_escaped_in_the_calendar_name(
    client, circle_lead, circle
):
    event = EventFactory(circle=circle, organiser=circle_lead, title="Møde\nom klima")
    login(client, circle_lead)
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response.status_code == 200
    assert "X-WR-CALNAME:Møde\\nom klima\r\n" in response.content.decode()

    type(circle).objects.filter(pk=circle.pk).update(name="Kreds\r\nHovedstaden")
    response = client.get(reverse("events:circle_feed", args=[circle.slug]))
    assert response.status_code == 200
    assert "X-WR-CALNAME:KOMDIR: Kreds\\nHovedstaden\r\n" in response.content.decode()
