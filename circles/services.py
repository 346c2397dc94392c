"""Writes for circles and their memberships."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.outbox import Mail, Priority, mail_queue, render_subject
from members.models import Member, active_member_q

from .models import Circle, CircleMembership


@transaction.atomic
def circle_membership_join_home(*, member) -> CircleMembership | None:
    """Make the member a member of their municipality's regional circle, leaving the plain
    membership of any other regional circle (leads keep their role until changed); a
    member's deputy follows (circle_memberships_mirror_deputy), and a linked deputy's own
    circles are the member's, never placed on their own (returns None for them)."""
    if member.deputy_for_id is not None:
        circle_memberships_mirror_deputy(member=member.deputy_for)
        return None
    membership = _join_home(member=member)
    circle_memberships_mirror_deputy(member=member)
    return membership


def _join_home(*, member) -> CircleMembership | None:
    municipality = member.municipality
    if municipality is None:
        return None
    circle = Circle.objects.filter(region_id=municipality.region_id).first()
    if circle is None:
        return None
    CircleMembership.objects.filter(
        member=member, circle__region__isnull=False, role=CircleMembership.Role.MEMBER
    ).exclude(circle=circle).delete()
    membership, _ = CircleMembership.objects.get_or_create(member=member, circle=circle)
    return membership


def circle_membership_set_role(*, member, circle: Circle, role: str) -> CircleMembership:
    """Give the member `role` in `circle`, joining it if needed (their deputy joins it
    too, as a plain member)."""
    membership, _ = CircleMembership.objects.update_or_create(
        member=member, circle=circle, defaults={"role": role}
    )
    circle_memberships_mirror_deputy(member=member)
    return membership


def circle_memberships_mirror_deputy(*, member) -> None:
    """Give the member's linked deputy exactly the member's circles, as a plain member:
    joins what the member is in, leaves what the member is not (circle_membership_left
    tells events); nothing when the member has no deputy."""
    deputy = Member.objects.filter(deputy_for=member).first()
    if deputy is None:
        return
    wanted = set(CircleMembership.objects.filter(member=member).values_list("circle_id", flat=True))
    held = set(CircleMembership.objects.filter(member=deputy).values_list("circle_id", flat=True))
    for membership in CircleMembership.objects.filter(member=deputy).exclude(circle_id__in=wanted):
        membership.delete()
    CircleMembership.objects.bulk_create(
        [
            CircleMembership(member=deputy, circle_id=circle_id, role=CircleMembership.Role.MEMBER)
            for circle_id in sorted(wanted - held)
        ],
        ignore_conflicts=True,
    )


MOVED_MAIL = "circles.moved"
NEW_MEMBER_MAIL = "circles.new_member"


def circle_membership_move_home(*, member, moved: bool) -> CircleMembership | None:
    """Put the member in their municipality's circle (leaving the plain membership of the
    old one); after a move (`moved`, not a first placement) into a circle they were not
    in, the member and the new circle's leads are told by mail, through the outbox."""
    before = set(member.circle_memberships.values_list("circle_id", flat=True))
    membership = circle_membership_join_home(member=member)
    if moved and membership is not None and membership.circle_id not in before:
        _queue_move_mails(member=member, circle=membership.circle)
    return membership


def _queue_move_mails(*, member, circle: Circle) -> None:
    leads = [
        m.member
        for m in circle.memberships.leads()
        .filter(active_member_q("member__"))
        .exclude(member=member)
        .select_related("member")
    ]
    context = {
        "member": member,
        "circle": circle,
        "circle_url": settings.SITE_URL + circle.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
    mails = []
    with translation.override(settings.LANGUAGE_CODE):
        for kind, template, recipients in (
            (MOVED_MAIL, "circles/emails/moved", [member]),
            (NEW_MEMBER_MAIL, "circles/emails/new_member", leads),
        ):
            if not recipients:
                continue
            subject = render_subject(f"{template}_subject.txt", context)
            text = render_to_string(f"{template}.txt", context)
            html = render_to_string(f"{template}.html", context)
            mails += [
                Mail(
                    kind=kind,
                    to=recipient.email,
                    recipient=recipient,
                    params={"member": member.pk, "circle": circle.pk},
                    subject=subject,
                    text=text,
                    html=html,
                )
                for recipient in recipients
            ]
    mail_queue(mails=mails, priority=Priority.MEETING)
