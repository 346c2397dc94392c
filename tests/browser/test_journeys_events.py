"""The meetings journey in a real browser: a circle lead schedules a meeting, two
members answer (one seat: the second lands on the waitlist), the lead moves the
meeting, and the members get the update and see the new time."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from circles.models import Circle, CircleMembership
from events.models import RSVP, Event
from members.models import Municipality
from tests.browser.test_journeys_members import log_in, submit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_lead_schedules_members_answer_with_a_waitlist_and_the_move_reaches_them(
    new_page, check_page
):
    circle = Circle.objects.get(slug="hovedstaden")
    home = Municipality.objects.get(name="Gentofte")
    lead = MemberFactory(first_name="Søren", last_name="Kragh", municipality=home)
    CircleMembership.objects.filter(member=lead, circle=circle).update(
        role=CircleMembership.Role.LEAD
    )
    anders = MemberFactory(first_name="Anders", last_name="Bech", municipality=home)
    lone = MemberFactory(first_name="Lone", last_name="Dahl", municipality=home)
    day = timezone.localdate() + timedelta(days=12)

    lead_page = new_page()
    log_in(lead_page, check_page, lead.email, PASSWORD)
    lead_page.goto("/arrangementer/")
    check_page(lead_page, "events-empty")
    lead_page.goto("/arrangementer/ny/")
    check_page(lead_page, "event-new")
    lead_page.select_option("select[name='circle']", label=circle.name)
    lead_page.fill("input[name='title']", "Kredsmøde om rekruttering")
    lead_page.fill("input[name='starts_at']", f"{day.isoformat()}T10:00")
    lead_page.fill("input[name='ends_at']", f"{day.isoformat()}T13:00")
    lead_page.fill("input[name='location']", "Gentofte Rådhus")
    lead_page.fill("input[name='capacity']", "1")
    lead_page.fill("textarea[name='agenda']", "1. Velkomst\n2. Rekruttering af ledere")
    submit(lead_page, "title")
    lead_page.wait_for_load_state()
    event = Event.objects.get()
    assert lead_page.url.endswith(event.get_absolute_url())
    check_page(lead_page, "event-detail-lead")

    for person, label in ((anders, "anders"), (lone, "lone")):
        page = new_page()
        log_in(page, check_page, person.email, PASSWORD, label=f"login-{label}")
        page.goto(event.get_absolute_url())
        page.get_by_role("button", name="Ja").click()
        page.wait_for_selector("#rsvp [aria-pressed='true']")
        check_page(page, f"event-answered-{label}")
    assert RSVP.objects.get(member=anders).waitlisted is False
    assert RSVP.objects.get(member=lone).waitlisted is True
    assert "venteliste" in page.locator("#rsvp").inner_text().lower()

    mail.outbox.clear()
    lead_page.goto(f"/arrangementer/{event.pk}/rediger/")
    check_page(lead_page, "event-edit")
    lead_page.fill("input[name='starts_at']", f"{day.isoformat()}T14:00")
    lead_page.fill("input[name='ends_at']", f"{day.isoformat()}T16:30")
    submit(lead_page, "title")
    lead_page.wait_for_load_state()
    check_page(lead_page, "event-moved")
    lead_page.goto(f"/arrangementer/{event.pk}/historik/")
    check_page(lead_page, "event-history")
    assert "Rekruttering af ledere" in lead_page.locator("main details").first.text_content()

    updates = {message.to[0]: message for message in mail.outbox}
    # Every invitee who has not declined, the lead among them.
    assert set(updates) == {lead.email, anders.email, lone.email}
    ics = updates[anders.email].attachments[0].get_payload(decode=True).decode()
    assert "SEQUENCE:1" in ics and "METHOD:REQUEST" in ics
    assert f"DTSTART;TZID=Europe/Copenhagen:{day:%Y%m%d}T140000" in ics

    member_page = new_page()
    log_in(member_page, check_page, anders.email, PASSWORD, label="login-again")
    member_page.goto(event.get_absolute_url())
    check_page(member_page, "event-detail-member")
    assert re.search(r"14[:.]00", member_page.locator("main").inner_text())
    member_page.goto(f"/arrangementer/?maaned={day:%Y-%m}")
    check_page(member_page, "event-month")
    member_page.goto("/")
    check_page(member_page, "member-home-with-meetings")
    assert "Kredsmøde om rekruttering" in member_page.locator("main").inner_text()


def test_the_event_list_is_cards_on_a_phone_and_never_scrolls_sideways(new_page, check_page):
    from tests.events.conftest import schedule

    circle = Circle.objects.get(slug="hovedstaden")
    home = Municipality.objects.get(name="Gentofte")
    lead = MemberFactory(municipality=home)
    CircleMembership.objects.filter(member=lead, circle=circle).update(
        role=CircleMembership.Role.LEAD
    )
    for number in range(3):
        schedule(
            organiser=lead,
            circle=circle,
            title=f"Kredsmøde om den lange række af emner nummer {number}",
            starts_at=timezone.now() + timedelta(days=5 + number),
            location="Gentofte Rådhus, mødelokale 2, indgang fra Bernstorffsvej",
        )
    page = new_page()
    log_in(page, check_page, lead.email, PASSWORD)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/arrangementer/")
    check_page(page, "events-phone")
    region = page.locator(".table--responsive-scroll").first
    assert region.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    label = region.locator("td[data-label]").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert "Hvornår" in label  # each cell says which column it is
