"""A member sends their deputy: the deputy takes the seat, the mails and the reminders."""

import csv
import io

import pytest
from django.urls import reverse

from events import services
from events.models import RSVP
from members import services as member_services
from tests.conftest import login
from tests.events.conftest import deliver_outbox, member_of
from tests.events.test_services import make_due, sweep
from tests.members.factories import make_deputy

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(hovedstaden):
    return member_of(hovedstaden, first_name="Karen", last_name="Principal")


@pytest.fixture
def deputy(principal):
    return make_deputy(principal, first_name="Dorte", last_name="Deputeret")


def pending_reminders(event, member) -> int:
    return event.reminders.pending().filter(member=member).count()


def test_a_deputy_is_not_invited_on_their_own(meeting, deputy, principal):
    assert principal in meeting.invitees()
    assert deputy not in meeting.invitees()
    services.reminders_plan(event=meeting)
    assert pending_reminders(meeting, deputy) == 0
    assert not deputy.has_perm("events.rsvp_event", meeting)
    assert deputy.has_perm("events.view_event", meeting), "a deputy reads as a member does"


def test_sending_the_deputy_moves_the_seat_the_invitation_and_the_reminders(
    meeting, principal, deputy, django_capture_on_commit_callbacks, mailoutbox
):
    services.event_update(actor=None, event=meeting, capacity=1)
    services.rsvp_answer(event=meeting, member=principal, answer="yes")
    assert pending_reminders(meeting, principal) == 2
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    stand_in = RSVP.objects.get(event=meeting, member=deputy)
    assert stand_in.answer == "yes" and not stand_in.waitlisted
    assert stand_in.stands_in_for == principal
    assert RSVP.objects.filter(event=meeting).attending().count() == 1, "capacity counts one"
    assert deputy in meeting.invitees()
    assert [m.to for m in mailoutbox] == [[deputy.email]]
    assert "Invitation" in mailoutbox[0].subject
    assert pending_reminders(meeting, principal) == 0
    assert pending_reminders(meeting, deputy) == 2
    make_due(meeting)
    mailoutbox.clear()
    sweep()
    assert {m.to[0] for m in mailoutbox if "Påmindelse" in m.subject} == {
        meeting.organiser.email,
        deputy.email,
    }


def test_the_member_still_gets_the_cancellation(
    meeting, principal, deputy, django_capture_on_commit_callbacks, mailoutbox
):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    deliver_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=None, event=meeting)
    assert {principal.email, deputy.email} <= {m.to[0] for m in mailoutbox}


def test_a_waitlisted_member_sends_the_deputy_who_keeps_the_turn(
    meeting, hovedstaden, principal, deputy
):
    services.event_update(actor=None, event=meeting, capacity=1)
    first, later = member_of(hovedstaden), member_of(hovedstaden)
    services.rsvp_answer(event=meeting, member=first, answer="yes")
    services.rsvp_answer(event=meeting, member=principal, answer="yes")
    services.rsvp_answer(event=meeting, member=later, answer="yes")
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    waitlist = list(RSVP.objects.filter(event=meeting).waitlist().values_list("member", flat=True))
    assert waitlist == [deputy.pk, later.pk]
    assert pending_reminders(meeting, deputy) == 0
    services.rsvp_answer(event=meeting, member=first, answer="no")
    assert RSVP.objects.get(event=meeting, member=deputy).waitlisted is False
    assert pending_reminders(meeting, deputy) == 2


def test_a_sent_deputy_on_a_full_event_joins_the_waitlist(meeting, hovedstaden, principal, deputy):
    services.event_update(actor=None, event=meeting, capacity=1)
    services.rsvp_answer(event=meeting, member=member_of(hovedstaden), answer="yes")
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    assert RSVP.objects.get(event=meeting, member=deputy).waitlisted is True


def test_answering_again_takes_the_seat_back_from_the_deputy(meeting, principal, deputy):
    services.event_update(actor=None, event=meeting, capacity=1)
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    services.rsvp_answer(event=meeting, member=principal, answer="yes")
    assert not RSVP.objects.filter(event=meeting, member=deputy).exists()
    own = RSVP.objects.get(event=meeting, member=principal)
    assert own.answer == "yes" and not own.waitlisted
    assert deputy not in meeting.invitees()
    assert pending_reminders(meeting, deputy) == 0
    assert pending_reminders(meeting, principal) == 2


def test_answering_no_after_sending_the_deputy_frees_the_seat_for_the_waitlist(
    meeting, hovedstaden, principal, deputy
):
    services.event_update(actor=None, event=meeting, capacity=1)
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    waiting = member_of(hovedstaden)
    services.rsvp_answer(event=meeting, member=waiting, answer="yes")
    assert RSVP.objects.get(event=meeting, member=waiting).waitlisted
    services.rsvp_answer(event=meeting, member=principal, answer="no")
    assert not RSVP.objects.get(event=meeting, member=waiting).waitlisted
    assert not RSVP.objects.filter(event=meeting, member=deputy).exists()


def test_a_member_without_a_deputy_cannot_send_one(meeting, principal):
    with pytest.raises(services.RSVPNoDeputy):
        services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    assert not RSVP.objects.filter(event=meeting).exists()


def test_removing_the_deputy_gives_the_member_their_reminders_back(meeting, principal, deputy):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    member_services.deputy_remove(member=principal)
    assert not RSVP.objects.filter(event=meeting).exists()
    assert pending_reminders(meeting, principal) == 2
    assert pending_reminders(meeting, deputy) == 0


def test_erasing_the_member_withdraws_the_deputys_seat_but_keeps_the_deputy(
    meeting, principal, deputy
):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    member_services.member_erase(member=principal, contributions="anonymise")
    deputy.refresh_from_db()
    assert deputy.is_active
    assert not RSVP.objects.filter(event=meeting).exists()
    assert pending_reminders(meeting, deputy) == 0


def test_erasing_the_deputy_gives_the_member_back_their_reminders(meeting, principal, deputy):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    member_services.member_erase(member=deputy, contributions="delete")
    principal.refresh_from_db()
    assert principal.is_active
    assert not RSVP.objects.filter(event=meeting).exists()
    assert pending_reminders(meeting, principal) == 2


def test_the_page_offers_the_deputy_button_only_to_a_member_with_a_deputy(
    client, meeting, principal, hovedstaden
):
    login(client, principal)
    url = reverse("events:detail", args=[meeting.pk])
    assert "Jeg sender min stedfortræder" not in client.get(url).content.decode()
    deputy = make_deputy(principal, first_name="Dorte", last_name="Deputeret")
    body = client.get(url).content.decode()
    assert "Jeg sender min stedfortræder" in body
    response = client.post(
        reverse("events:rsvp", args=[meeting.pk]), {"answer": "deputy"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Du sender din stedfortræder, Dorte Deputeret" in body
    assert "Dorte Deputeret (stedfortræder for Karen Principal)" in body
    assert RSVP.objects.get(event=meeting, member=deputy).stands_in_for == principal


def test_a_member_without_a_deputy_posting_the_answer_gets_a_danish_message(
    client, meeting, principal
):
    login(client, principal)
    response = client.post(
        reverse("events:rsvp", args=[meeting.pk]), {"answer": "deputy"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Du har ingen stedfortræder at sende" in response.content.decode()


def test_the_deputy_sees_whom_they_stand_in_for_and_cannot_answer(
    client, meeting, principal, deputy
):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    login(client, deputy)
    body = client.get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert "Du deltager som stedfortræder for Karen Principal" in body
    response = client.post(reverse("events:rsvp", args=[meeting.pk]), {"answer": "no"})
    assert response.status_code == 404


def test_the_attendee_csv_says_whom_the_deputy_stands_in_for(
    client, lead, meeting, principal, deputy
):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    login(client, lead)
    response = client.get(reverse("events:attendees_csv", args=[meeting.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Dorte Deputeret"][3] == "Ja"
    assert by_name["Dorte Deputeret"][-1] == "stedfortræder for Karen Principal"
    assert by_name["Karen Principal"][3] == "Jeg sender min stedfortræder"
    body = client.get(reverse("events:detail", args=[meeting.pk])).content.decode()
    assert "Dorte Deputeret (stedfortræder for Karen Principal)" in body


def test_the_admin_records_sending_the_deputy_through_the_service(
    staff_client, meeting, hovedstaden, principal, deputy
):
    from tests.events.test_admin import post_change

    RSVP.objects.create(event=meeting, member=principal, answer=RSVP.Answer.YES)
    post_change(staff_client, meeting, **{"rsvps-0-answer": RSVP.Answer.DEPUTY})
    stand_in = RSVP.objects.get(event=meeting, member=deputy)
    assert stand_in.stands_in_for == principal and not stand_in.waitlisted
    assert pending_reminders(meeting, deputy) == 2


def test_the_admin_refuses_sending_a_deputy_the_member_does_not_have(
    staff_client, meeting, hovedstaden
):
    from tests.events.test_admin import admin_form_data, change_page

    alone = member_of(hovedstaden)
    RSVP.objects.create(event=meeting, member=alone, answer=RSVP.Answer.YES)
    data = admin_form_data(
        change_page(staff_client, meeting),
        form_id="event_form",
        **{"rsvps-0-answer": RSVP.Answer.DEPUTY},
    )
    response = staff_client.post(reverse("admin:events_event_change", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "ingen stedfortræder" in response.content.decode()
    assert RSVP.objects.get(event=meeting, member=alone).answer == "yes"


def test_the_export_names_whom_the_deputy_stood_in_for(meeting, principal, deputy):
    from members.selectors import member_data_export

    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    rsvps = member_data_export(member=deputy)["rsvps"]
    assert rsvps[0]["deputy_for"] == "Karen Principal"


def test_the_event_page_query_count_does_not_grow_with_a_deputy(
    client, meeting, principal, deputy, django_assert_num_queries, no_page_cache
):
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    login(client, principal)
    url = reverse("events:detail", args=[meeting.pk])
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_a_deputys_home_page_and_feed_show_only_the_events_they_are_sent_to(
    meeting, principal, deputy
):
    from events.selectors import personal_feed_events, upcoming_for_member

    assert upcoming_for_member(member=deputy) == []
    assert personal_feed_events(member=deputy) == []
    services.rsvp_answer(event=meeting, member=principal, answer="deputy")
    assert [e.pk for e in upcoming_for_member(member=deputy)] == [meeting.pk]
    assert [e.pk for e in personal_feed_events(member=deputy)] == [meeting.pk]
