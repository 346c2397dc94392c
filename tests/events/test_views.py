from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import RSVP, Event
from tests.conftest import login
from tests.events.conftest import member_of, schedule

pytestmark = pytest.mark.django_db


def form_data(circle, **overrides) -> dict:
    start = timezone.localtime() + timedelta(days=10)
    data = {
        "kind": Event.Kind.CIRCLE_MEETING,
        "circle": circle.pk if circle else "",
        "title": "Kredsmøde om rekruttering",
        "description": "",
        "starts_at": start.strftime("%Y-%m-%dT10:00"),
        "ends_at": start.strftime("%Y-%m-%dT13:00"),
        "location": "Gentofte Rådhus",
        "online_url": "",
        "external_partners": "",
        "tags": "ledelse, rekruttering",
        "capacity": "",
        "rsvp_deadline": "",
        "agenda": "1. Velkomst",
        "reminder_offsets": ["10080", "1440"],
    }
    data.update(overrides)
    return data


def test_a_circle_lead_schedules_a_meeting_of_their_own_circle(client, lead, hovedstaden):
    login(client, lead)
    page = client.get(reverse("events:create"))
    assert page.status_code == 200
    circle_choices = [c for c, _ in page.context["form"].fields["circle"].choices if c]
    assert [c.value for c in circle_choices] == [hovedstaden.pk]
    response = client.post(reverse("events:create"), form_data(hovedstaden))
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert event.circle == hovedstaden and event.organiser == lead
    # Tags are case-insensitive: an existing "Rekruttering" tag is reused, not duplicated.
    assert sorted(name.lower() for name in event.tags.names()) == ["ledelse", "rekruttering"]
    assert event.reminders.exists()


def test_a_forged_circle_id_is_refused_with_a_form_error(client, lead, nordjylland):
    login(client, lead)
    response = client.post(reverse("events:create"), form_data(nordjylland))
    assert response.status_code == 200
    assert "circle" in response.context["form"].errors
    assert not Event.objects.exists()


def test_a_lead_cannot_schedule_association_wide_events(client, lead):
    login(client, lead)
    response = client.post(
        reverse("events:create"), form_data(None, kind=Event.Kind.GENERAL_ASSEMBLY)
    )
    assert "kind" in response.context["form"].errors


def test_another_circles_event_answers_404_to_edit_and_cancel(client, other_lead, meeting):
    login(client, other_lead)
    for name in ("events:edit", "events:cancel", "events:detail", "events:attendees_csv"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404, name
    assert (
        client.post(reverse("events:cancel", args=[meeting.pk]), {"confirm": "on"}).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == Event.Status.SCHEDULED


def test_a_plain_member_of_the_circle_sees_the_meeting_but_cannot_change_it(
    client, meeting, hovedstaden
):
    member = member_of(hovedstaden)
    login(client, member)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("events:edit", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("events:attendees_csv", args=[meeting.pk])).status_code == 404


def test_the_board_schedules_a_general_assembly_for_everyone(client, board_member):
    login(client, board_member, mfa=True)
    response = client.post(
        reverse("events:create"),
        form_data(None, kind=Event.Kind.GENERAL_ASSEMBLY, title="Generalforsamling"),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.kind == Event.Kind.GENERAL_ASSEMBLY and event.circle is None


def test_the_lead_moves_the_meeting_and_the_sequence_goes_up(
    client, lead, meeting, hovedstaden, django_capture_on_commit_callbacks, mailoutbox
):
    login(client, lead)
    new_start = timezone.localtime(meeting.starts_at) + timedelta(days=1)
    data = form_data(
        hovedstaden,
        starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_the_lead_cancels_the_meeting(client, lead, meeting):
    login(client, lead)
    assert client.get(reverse("events:cancel", args=[meeting.pk])).status_code == 200
    response = client.post(reverse("events:cancel", args=[meeting.pk]), {"confirm": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1


def test_a_member_answers_with_htmx_and_gets_the_partial(client, meeting, hovedstaden):
    member = member_of(hovedstaden)
    login(client, member)
    response = client.post(
        reverse("events:rsvp", args=[meeting.pk]), {"answer": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "events/_rsvp.html"
    assert RSVP.objects.get(member=member).answer == "yes"


def test_a_member_of_another_circle_gets_404_for_the_meeting_and_its_rsvp(
    client, meeting, nordjylland
):
    outsider = member_of(nordjylland)
    login(client, outsider)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("events:rsvp", args=[meeting.pk]), {"answer": "yes"}).status_code == 404
    )
    assert not RSVP.objects.exists()


def test_the_rsvp_deadline_closes_at_the_end_of_the_day_in_copenhagen(meeting):
    meeting.rsvp_deadline = timezone.localdate()
    assert meeting.rsvp_open
    meeting.rsvp_deadline = timezone.localdate() - timedelta(days=1)
    assert not meeting.rsvp_open


def test_the_attendee_list_downloads_as_csv_for_the_lead(client, lead, meeting, hovedstaden):
    member = member_of(hovedstaden, first_name="Anders", last_name="Bech")
    RSVP.objects.create(event=meeting, member=member, answer="yes")
    login(client, lead)
    response = client.get(reverse("events:attendees_csv", args=[meeting.pk]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Anders Bech" in text and member.email in text


def test_the_list_month_view_and_filters_answer(client, lead, meeting, hovedstaden):
    login(client, lead)
    assert meeting.title in client.get(reverse("events:list")).content.decode()
    month = timezone.localtime(meeting.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:list") + f"?maaned={month}&kreds=hovedstaden")
    assert page.status_code == 200 and meeting.title in page.content.decode()
    other = client.get(reverse("events:list") + "?type=general_assembly").content.decode()
    assert f'href="{meeting.get_absolute_url()}"' not in other


def test_minutes_are_kept_as_revisions(client, lead, meeting):
    login(client, lead)
    for text in ("Første udkast", "Referat, endelig"):
        client.post(reverse("events:minutes", args=[meeting.pk]), {"minutes": text})
    meeting.refresh_from_db()
    assert meeting.minutes == "Referat, endelig"
    assert list(meeting.minutes_revisions.values_list("text", flat=True)) == [
        "Referat, endelig",
        "Første udkast",
    ]


def test_the_event_page_renders_markdown_safely(client, lead, hovedstaden):
    event = schedule(
        organiser=lead,
        circle=hovedstaden,
        agenda="**Punkt** [x](javascript:alert(1)) <script>alert(1)</script>",
    )
    login(client, lead)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Punkt</strong>" in html
    assert 'href="javascript' not in html
    assert "<script>alert(1)</script>" not in html


def test_the_member_home_shows_the_next_meetings(client, meeting, hovedstaden):
    member = member_of(hovedstaden)
    login(client, member)
    assert meeting.title in client.get(reverse("home")).content.decode()


def test_the_list_shows_each_row_ready_printed_and_pages_the_past_by_key(client, hovedstaden):
    from tests.events.factories import EventFactory

    member = member_of(hovedstaden, first_name="Rikke")
    soon = EventFactory(title="Snart møde", capacity=12, location="")
    RSVP.objects.create(event=soon, member=member, answer=RSVP.Answer.MAYBE)
    full = EventFactory(title="Fuldt møde", capacity=1)
    RSVP.objects.create(event=full, member=member_of(hovedstaden), answer=RSVP.Answer.YES)
    RSVP.objects.create(
        event=full,
        member=member,
        answer=RSVP.Answer.YES,
        waitlisted=True,
        waitlisted_since=timezone.now(),
    )
    now = timezone.now()
    for days in range(1, 26):  # 25 past meetings, the latest "Fortid 1"
        EventFactory(
            title=f"Fortid {days}",
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days) + timedelta(hours=2),
        )
    login(client, member)
    page = client.get(reverse("events:list")).content.decode()
    soon_row = page.split(f'href="{soon.get_absolute_url()}"')[1].split("</tr>")[0]
    assert "Online" in soon_row and "Måske" in soon_row and "1 af 12" not in soon_row
    assert "0 af 12" in soon_row
    full_row = page.split(f'href="{full.get_absolute_url()}"')[1].split("</tr>")[0]
    assert "Venteliste" in full_row and "1 af 1" in full_row
    starts = timezone.localtime(soon.starts_at)
    assert f"{starts:%H:%M}\N{EN DASH}{timezone.localtime(soon.ends_at):%H:%M}" in page

    assert ">Fortid 1<" in page and ">Fortid 20<" in page and ">Fortid 21<" not in page
    older = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "efter=" in older and "side=" not in older
    second = client.get(reverse("events:list") + older.replace("&amp;", "&")).content.decode()
    assert ">Fortid 21<" in second and ">Fortid 25<" in second and ">Fortid 20<" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # A token nobody made shows the first page, never an error.
    broken = client.get(reverse("events:list") + "?efter=abc_x")
    assert broken.status_code == 200 and ">Fortid 1<" in broken.content.decode()


def test_one_seat_reads_in_the_singular(client, lead, hovedstaden):
    from tests.events.factories import EventFactory

    single = EventFactory(title="Et enkelt sæde", capacity=1)
    RSVP.objects.create(event=single, member=member_of(hovedstaden), answer=RSVP.Answer.YES)
    many = EventFactory(title="Mange sæder", capacity=10)
    login(client, lead)
    assert "1 af 1 plads er taget." in client.get(single.get_absolute_url()).content.decode()
    assert "0 af 10 pladser er taget." in client.get(many.get_absolute_url()).content.decode()


def test_the_event_form_says_what_is_needed_bounds_the_seats_and_warns_of_the_past(
    client, lead, hovedstaden
):
    login(client, lead)
    page = client.get(reverse("events:create")).content.decode()
    for label in ("Kreds", "Sted", "Link til onlinemøde"):
        assert f"{label}<span" not in page, f"{label} is not simply optional"
    assert "Skal udfyldes for et kredsmøde." in page

    huge = client.post(reverse("events:create"), form_data(hovedstaden, capacity="99999999"))
    assert huge.status_code == 200
    assert "Et arrangement har højst 5000 pladser." in huge.content.decode()
    assert not Event.objects.exists()

    past = timezone.localtime() - timedelta(days=3)
    response = client.post(
        reverse("events:create"),
        form_data(
            hovedstaden,
            starts_at=past.strftime("%Y-%m-%dT10:00"),
            ends_at=past.strftime("%Y-%m-%dT12:00"),
        ),
        follow=True,
    )
    assert Event.objects.count() == 1
    assert "Arrangementet begynder i fortiden." in response.content.decode()


def test_the_agenda_and_the_minutes_keep_every_version_and_the_organiser_restores_one(
    client, lead, hovedstaden, django_assert_max_num_queries
):
    from events import services
    from events.models import AgendaRevision
    from tests.events.conftest import schedule

    meeting = schedule(organiser=lead, circle=hovedstaden, agenda="1. Velkomst\n2. Ældreplejen")
    services.event_update(actor=lead, event=meeting, agenda="1. Velkomst\n2. Ældreplejen i 2027")
    services.event_minutes_save(actor=lead, event=meeting, minutes="Godt møde.")
    assert AgendaRevision.objects.filter(event=meeting).count() == 2
    login(client, lead)
    url = reverse("events:history", args=[meeting.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert '<ins class="diff-word diff-add"><span class="sr-only">Tilføjet: </span>i 2027' in page
    assert "@@" not in page

    first = AgendaRevision.objects.filter(event=meeting).order_by("created_at", "pk").first()
    response = client.post(url, {"kind": "agenda", "revision": first.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda == "1. Velkomst\n2. Ældreplejen"
    assert AgendaRevision.objects.filter(event=meeting).count() == 3, "the restore is a version"

    member = member_of(hovedstaden)
    login(client, member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "agenda", "revision": first.pk}).status_code == 404
    login(client, lead)
    assert client.post(url, {"kind": "agenda", "revision": "x"}).status_code == 404


def test_minutes_starting_with_their_own_heading_show_it_once(client, meeting, lead):
    from tests.conftest import login

    meeting.minutes = "# Referat\n\nVi talte om budgettet."
    meeting.agenda = "## Dagsorden\n\n1. Velkomst"
    meeting.save(update_fields=["minutes", "agenda"])
    login(client, lead)
    html = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert html.count(">Referat</h2>") == 1 and html.count(">Dagsorden</h2>") == 1
    assert "Vi talte om budgettet." in html and "Velkomst" in html
