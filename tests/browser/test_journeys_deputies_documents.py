"""A member and their deputy, and an event's documents, in a real browser: the member
invites a deputy on their profile, sends the deputy to a circle meeting in their place,
the deputy sees that they are going; the circle lead uploads the agenda's appendix and
a new version of it, and the member downloads it. axe at both widths on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from circles.models import Circle, CircleMembership
from core.outbox import outbox_send_due
from documents.models import Document
from events.models import RSVP
from members.models import Member, Municipality
from members.services.deputies import deputy_link
from tests.browser.test_journeys_members import log_in, submit
from tests.documents.factories import PDF_BYTES
from tests.events.conftest import schedule
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_member_sends_their_deputy_and_the_lead_shares_the_meetings_documents(
    new_page, check_page
):
    circle = Circle.objects.get(slug="hovedstaden")
    home = Municipality.objects.get(name="Gentofte")
    lead = MemberFactory(first_name="Søren", last_name="Kragh", municipality=home)
    CircleMembership.objects.filter(member=lead, circle=circle).update(
        role=CircleMembership.Role.LEAD
    )
    karen = MemberFactory(first_name="Karen", last_name="Holm", municipality=home)
    meeting = schedule(
        organiser=lead,
        circle=circle,
        title="Kredsmøde om digitalisering",
        starts_at=timezone.now() + timedelta(days=20),
    )

    member_page = new_page()
    log_in(member_page, check_page, karen.email, PASSWORD)
    member_page.goto("/profil/stedfortraeder/")
    check_page(member_page, "deputy-none")
    member_page.fill("input[name='name']", "Dorte Dahl")
    member_page.fill("input[name='email']", "dorte.dahl@gentofte.dk")
    mail.outbox.clear()
    submit(member_page, "email")
    member_page.wait_for_load_state()
    check_page(member_page, "deputy-invited")
    outbox_send_due()
    assert ["dorte.dahl@gentofte.dk"] in [message.to for message in mail.outbox]
    # The deputy's signup is the invitation flow's own journey (test_journeys_members);
    # here the account is linked as accepting it does.
    dorte = MemberFactory(
        first_name="Dorte", last_name="Dahl", email="dorte.dahl@gentofte.dk", municipality=home
    )
    deputy_link(deputy=dorte, member=karen)
    member_page.goto("/profil/stedfortraeder/")
    check_page(member_page, "deputy-linked")
    assert "Dorte Dahl" in member_page.locator("main").inner_text()

    member_page.goto(meeting.get_absolute_url())
    member_page.get_by_role("button", name="Jeg sender min stedfortræder").click()
    member_page.wait_for_selector("#rsvp [aria-pressed='true']")
    check_page(member_page, "event-deputy-sent")
    assert "Dorte Dahl" in member_page.locator("#rsvp").inner_text()
    assert RSVP.objects.get(event=meeting, member=dorte).stands_in_for_id == karen.pk

    deputy_page = new_page()
    log_in(deputy_page, check_page, dorte.email, PASSWORD, label="login-deputy")
    deputy_page.goto(meeting.get_absolute_url())
    check_page(deputy_page, "event-as-deputy")
    assert "stedfortræder for Karen Holm" in deputy_page.locator("main").inner_text()
    deputy_page.goto("/medlemmer/?q=Dahl")
    check_page(deputy_page, "directory-deputy")
    assert "stedfortræder for Karen Holm" in deputy_page.locator("main").inner_text()

    lead_page = new_page()
    log_in(lead_page, check_page, lead.email, PASSWORD, label="login-lead")
    lead_page.goto(f"/arrangementer/{meeting.pk}/dokumenter/ny/")
    check_page(lead_page, "document-new")
    lead_page.fill("input[name='title']", "Bilag til dagsordenen")
    lead_page.set_input_files(
        "input[name='file']",
        files=[{"name": "bilag.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    submit(lead_page, "title")
    lead_page.wait_for_load_state()
    document = Document.objects.get(event=meeting)
    check_page(lead_page, "event-with-document")
    assert "Bilag til dagsordenen" in lead_page.locator("main").inner_text()
    lead_page.goto(f"/dokumenter/{document.pk}/versioner/")
    check_page(lead_page, "document-versions")
    lead_page.set_input_files(
        "input[name='file']",
        files=[{"name": "bilag-2.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    submit(lead_page, "file")
    lead_page.wait_for_load_state()
    check_page(lead_page, "document-two-versions")
    assert document.versions.count() == 2

    member_page.goto(meeting.get_absolute_url())
    check_page(member_page, "event-documents-member")
    download = member_page.request.get(f"/dokumenter/{document.pk}/")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.body() == PDF_BYTES
    # Somebody outside the circle learns nothing of the meeting or its documents.
    outsider = MemberFactory(municipality=Municipality.objects.get(name="Aalborg"))
    assert not Member.objects.filter(pk=outsider.pk, circle_memberships__circle=circle).exists()
    outsider_page = new_page()
    log_in(outsider_page, check_page, outsider.email, PASSWORD, label="login-outsider")
    assert outsider_page.request.get(f"/dokumenter/{document.pk}/").status == 404
