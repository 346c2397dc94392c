from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.models import Assembly, Motion
from core.outbox import outbox_send_due
from tests.assemblies.factories import MotionFactory, schedule_assembly
from tests.conftest import login
from tests.members.factories import MemberFactory, make_deputy

pytestmark = pytest.mark.django_db

DANISH_MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def past_deadline(assembly: Assembly) -> Assembly:
    """Move the deadline for motions into the past (the assembly is still ahead)."""
    Assembly.objects.filter(pk=assembly.pk).update(motion_days=70)
    assembly.refresh_from_db()
    return assembly


def test_a_motion_on_time_is_taken(assembly, member):
    motion = services.motion_submit(
        actor=member, assembly=assembly, title="Mentorordning", text="Vi foreslår ..."
    )
    assert motion.proposer == member and motion.withdrawn_at is None


def test_a_late_motion_is_refused_with_the_deadline_in_danish(assembly, member):
    past_deadline(assembly)
    deadline = timezone.localtime(assembly.motion_deadline)
    with pytest.raises(ValidationError) as refused:
        services.motion_submit(actor=member, assembly=assembly, title="For sent", text="...")
    message = refused.value.messages[0]
    assert "Fristen for forslag var" in message
    month = DANISH_MONTHS[deadline.month - 1]
    assert f"{deadline.day}. {month} {deadline.year} kl. {deadline:%H:%M}" in message
    assert not Motion.objects.exists()


def test_the_motion_page_refuses_a_late_motion_and_shows_the_deadline(client, assembly, member):
    past_deadline(assembly)
    login(client, member)
    url = reverse("assemblies:motion_create", args=[assembly.event_id])
    response = client.post(url, {"title": "For sent", "text": "Tekst"})
    assert response.status_code == 200
    assert "Fristen for forslag var" in response.content.decode()
    assert not Motion.objects.exists()


def test_a_member_submits_a_motion_through_the_page(client, assembly, member):
    login(client, member)
    url = reverse("assemblies:motion_create", args=[assembly.event_id])
    response = client.post(url, {"title": "Mentorordning", "text": "Tekst", "reasoning": ""})
    assert response.status_code == 302
    assert Motion.objects.get().proposer == member


def test_a_deputy_may_not_propose(assembly, member):
    deputy = make_deputy(member)
    with pytest.raises(PermissionDenied):
        services.motion_submit(actor=deputy, assembly=assembly, title="x", text="y")


def test_the_proposer_sees_their_own_motion_and_others_do_not_until_published(
    client, assembly, member, board_member
):
    own = MotionFactory(assembly=assembly, proposer=member, title="Mit forslag")
    MotionFactory(assembly=assembly, title="Et andet forslag")
    url = reverse("assemblies:motions", args=[assembly.event_id])
    login(client, member)
    page = client.get(url).content.decode()
    assert own.title in page and "Et andet forslag" not in page
    client.logout()
    login(client, MemberFactory())
    page = client.get(url).content.decode()
    assert own.title not in page
    client.logout()
    login(client, board_member, mfa=True)
    page = client.get(url).content.decode()
    assert own.title in page and "Et andet forslag" in page


def test_the_proposer_withdraws_before_the_deadline_but_not_after(client, assembly, member):
    motion = MotionFactory(assembly=assembly, proposer=member)
    other = MotionFactory(assembly=assembly)
    login(client, member)
    url = reverse("assemblies:motions", args=[assembly.event_id])
    # Another's motion cannot be withdrawn.
    assert client.post(url, {"action": "withdraw", "motion": other.pk}).status_code == 404
    assert client.post(url, {"action": "withdraw", "motion": motion.pk}).status_code == 302
    motion.refresh_from_db()
    assert motion.withdrawn_at is not None
    late = MotionFactory(assembly=assembly, proposer=member)
    past_deadline(assembly)
    with pytest.raises(ValidationError):
        services.motion_withdraw(actor=member, motion=late)


def test_the_board_recommends_and_a_member_may_not(client, assembly, member, board_member):
    motion = MotionFactory(assembly=assembly)
    url = reverse("assemblies:motions", args=[assembly.event_id])
    field = f"forslag-{motion.pk}-recommendation"
    login(client, member)
    data = {"action": "recommend", "motion": motion.pk, field: "Nej"}
    assert client.post(url, data).status_code == 404
    client.logout()
    login(client, board_member, mfa=True)
    data[field] = "Bestyrelsen anbefaler forslaget."
    assert client.post(url, data).status_code == 302
    motion.refresh_from_db()
    assert motion.board_recommendation == "Bestyrelsen anbefaler forslaget."


def test_publishing_before_the_deadline_is_refused(assembly, board_member):
    with pytest.raises(ValidationError):
        services.assembly_motions_publish(actor=board_member, assembly=assembly)


def test_publishing_the_motions_shows_them_to_all_and_tells_the_counted_members(
    client, assembly, board_member, mailoutbox
):
    member = MemberFactory()
    deputy = make_deputy(member)
    motion = MotionFactory(assembly=assembly, title="Mentorordning", board_recommendation="Ja")
    withdrawn = MotionFactory(assembly=assembly, title="Trukket", withdrawn_at=timezone.now())
    past_deadline(assembly)
    outbox_send_due()
    mailoutbox.clear()
    services.assembly_motions_publish(actor=board_member, assembly=assembly)
    services.assembly_motions_publish(actor=board_member, assembly=assembly)  # once only
    outbox_send_due()
    outbox_send_due()
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert member.email in recipients and deputy.email not in recipients
    assert len(recipients) == len(set(recipients))
    mine = next(m for m in mailoutbox if member.email in m.to)
    assert motion.title in mine.body and withdrawn.title not in mine.body
    login(client, member)
    page = client.get(reverse("assemblies:motions", args=[assembly.event_id])).content.decode()
    assert motion.title in page and "Ja" in page and withdrawn.title not in page
    agenda = client.get(reverse("assemblies:agenda", args=[assembly.event_id])).content.decode()
    assert motion.title in agenda


def test_a_visitor_gets_the_login_page(client, assembly):
    for name in ("assemblies:motions", "assemblies:motion_create", "assemblies:agenda"):
        response = client.get(reverse(name, args=[assembly.event_id]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_motions_page_takes_bad_input_without_an_error(client, assembly, board_member):
    login(client, board_member, mfa=True)
    url = reverse("assemblies:motions", args=[assembly.event_id])
    for data in (
        {},
        {"action": "nonsense"},
        {"action": "recommend", "motion": "x"},
        {"action": "recommend", "motion": str(2**70)},
        {"action": "withdraw", "motion": "99999"},
    ):
        assert client.post(url, data).status_code in (302, 404), data


def test_an_assembly_long_past_still_shows_its_motions_page(client, member):
    start = timezone.now() - timedelta(days=400)
    assembly = schedule_assembly(starts_at=start, title="Generalforsamling sidste år")
    login(client, member)
    assert client.get(reverse("assemblies:motions", args=[assembly.event_id])).status_code == 200
