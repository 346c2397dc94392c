from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.models import Assembly
from core.models import OutgoingMail
from core.outbox import outbox_send_due
from core.time import COPENHAGEN
from tests.assemblies.factories import schedule_assembly
from tests.conftest import login
from tests.members.factories import MemberFactory, make_deputy

pytestmark = pytest.mark.django_db


def ics_of(message) -> str:
    for part in message.attachments:
        if getattr(part, "get_content_type", lambda: "")() == "text/calendar":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no calendar attachment")


def test_the_notice_goes_to_counted_members_only_through_the_outbox_with_the_invitation(
    assembly, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    deputy = make_deputy(member)
    former = MemberFactory()
    from members.services import member_mark_former

    member_mark_former(member=former)
    outbox_send_due()
    mailoutbox.clear()
    rows_before = OutgoingMail.objects.count()
    services.assembly_notice_send(actor=board_member, assembly=assembly)
    # One row in the request, however many members there are.
    assert OutgoingMail.objects.count() == rows_before + 1
    assert mailoutbox == []
    outbox_send_due()
    outbox_send_due()
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert member.email in recipients and board_member.email in recipients
    assert deputy.email not in recipients and former.email not in recipients
    assert len(recipients) == len(set(recipients))
    notice = next(m for m in mailoutbox if member.email in m.to)
    assert "Indkaldelse" in notice.subject
    assert "Valg af dirigent" in notice.body and "Eventuelt" in notice.body
    ics = ics_of(notice)
    assert "METHOD:REQUEST" in ics
    assert str(assembly.event.uid) in ics
    assert f"mailto:{member.email}" in ics.replace("\r\n ", "")
    assembly.refresh_from_db()
    assert assembly.notice_sent_at is not None


def test_the_notice_writes_the_day_and_the_deadline_in_danish(board_member, mailoutbox):
    year = timezone.localdate().year + 1
    starts = datetime(year, 12, 2, 10, tzinfo=COPENHAGEN)
    assembly = schedule_assembly(organiser=board_member, starts_at=starts)
    outbox_send_due()
    mailoutbox.clear()
    services.assembly_notice_send(actor=board_member, assembly=assembly)
    outbox_send_due()
    notice = mailoutbox[0]
    html = notice.alternatives[0][0]
    day = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    when = f"{day[starts.weekday()]} den 2. december {year} kl. 10:00\N{EN DASH}15:00"
    assert when in notice.body and when in html
    deadline = timezone.localtime(assembly.motion_deadline)
    month = "januar februar marts april maj juni juli august september oktober november december"
    written = f"{deadline.day}. {month.split()[deadline.month - 1]} {deadline.year} kl. "
    assert written + f"{deadline:%H:%M}" in notice.body


def test_the_board_page_warns_when_the_notice_is_late_and_asks_to_confirm(
    client, board_member, mailoutbox
):
    assembly = schedule_assembly(organiser=board_member, days=10)
    assert services.notice_is_late(assembly)
    login(client, board_member, mfa=True)
    url = reverse("assemblies:notice", args=[assembly.event_id])
    page = client.get(url).content.decode()
    due = timezone.localtime(assembly.notice_due)
    assert "Indkaldelsen sendes senere end vedtægterne tillader: senest" in page
    assert f"{due.day}." in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert Assembly.objects.get(pk=assembly.pk).notice_sent_at is None
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert Assembly.objects.get(pk=assembly.pk).notice_sent_at is not None


def test_a_notice_in_time_goes_without_confirmation_but_a_second_one_asks(
    client, assembly, board_member
):
    assert not services.notice_is_late(assembly)
    login(client, board_member, mfa=True)
    url = reverse("assemblies:notice", args=[assembly.event_id])
    assert "senere end vedtægterne" not in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302
    first = Assembly.objects.get(pk=assembly.pk).notice_sent_at
    assert client.post(url, {}).status_code == 200  # not confirmed
    assert Assembly.objects.get(pk=assembly.pk).notice_sent_at == first
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Assembly.objects.get(pk=assembly.pk).notice_sent_at > first


def test_a_member_cannot_send_the_notice(client, assembly, member):
    login(client, member)
    url = reverse("assemblies:notice", args=[assembly.event_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404


def test_no_notice_for_a_cancelled_assembly(assembly, board_member):
    from django.core.exceptions import ValidationError

    from events import services as event_services

    event_services.event_cancel(actor=board_member, event=assembly.event)
    assembly.refresh_from_db()
    with pytest.raises(ValidationError):
        services.assembly_notice_send(actor=board_member, assembly=assembly)


def test_the_deadline_and_notice_follow_the_assembly_settings(assembly):
    start = assembly.event.starts_at
    assert assembly.notice_due == start - timedelta(days=28)
    assert assembly.motion_deadline == start - timedelta(days=14)
