"""Reads for members: the directory and the GDPR export."""

from typing import NamedTuple

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OutgoingMail
from core.time import iso_or_none

from . import gdpr
from .models import Invitation, Member, MunicipalityChangeRequest, counted_member_q


def member_directory(
    *, query: str = "", municipality=None, circle_id: int | None = None
) -> QuerySet[Member]:
    """Active members matching the search (and, given `circle_id`, in that circle), with
    municipality and region; the circles' own rows are the caller's to prefetch."""
    members = Member.objects.for_directory()
    if query:
        members = members.search(query)
    if municipality is not None:
        members = members.filter(municipality=municipality)
    if circle_id is not None:
        # One membership per (member, circle): this join cannot repeat a member, so no
        # DISTINCT, which would sort every member on every column before the LIMIT.
        members = members.filter(circle_memberships__circle_id=circle_id)
    return members


DIRECTORY_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "anonymised_at",
    "job_title",
    "municipality__name",
    "deputy_for_id",
    "deputy_for__first_name",
    "deputy_for__last_name",
    "deputy_for__anonymised_at",
)


class DirectoryCounts(NamedTuple):
    members: int  # matches who count as members (counted_member_q)
    deputies: int  # the others listed: deputies, shown, never counted
    capped: bool  # there were more than the cap: the numbers stop there


def directory_counts(members: QuerySet[Member], *, cap: int) -> DirectoryCounts:
    """How many of the directory's matches count as members and how many others it
    lists, counting no further than `cap` + 1 matches, in one query."""
    bounded = Member.objects.filter(pk__in=members.order_by().values("pk")[: cap + 1])
    counts = bounded.aggregate(total=Count("pk"), counted=Count("pk", filter=counted_member_q()))
    total = counts["total"]
    return DirectoryCounts(counts["counted"], total - counts["counted"], total > cap)


def directory_deputy_label(row: dict) -> str:
    """ "deputy for <name>" on a values() row of a linked deputy, else empty."""
    if row["deputy_for_id"] is None:
        return ""
    name = directory_name(
        {
            "anonymised_at": row["deputy_for__anonymised_at"],
            "first_name": row["deputy_for__first_name"],
            "last_name": row["deputy_for__last_name"],
            "email": "",
        }
    )
    return _("deputy for %(name)s") % {"name": name}


def directory_name(row: dict) -> str:
    """The name a directory row shows: Member.get_full_name's rule, on a values() row."""
    if row["anonymised_at"]:
        return str(_("Former member"))
    return f"{row['first_name']} {row['last_name']}".strip() or row["email"]


def member_profile(*, member_id: int) -> Member | None:
    """An active member with their municipality and region, or None."""
    return (
        Member.objects.active()
        .select_related("municipality__region", "deputy_for")
        .filter(pk=member_id)
        .first()
    )


def invitation_list(*, limit: int = 100) -> QuerySet[Invitation]:
    """The newest invitations with who sent them and who accepted them."""
    return Invitation.objects.select_related("invited_by", "accepted_by", "deputy_for")[:limit]


ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def member_data_export(*, member: Member) -> dict:
    """Everything the portal holds about the member, as JSON-ready data (GDPR art. 15 and 20):
    members' own tables, the outbox's record of their mails, and every section the apps
    registered with members.gdpr export."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": member.pk,
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "job_title": member.job_title,
            "municipality": member.municipality.name if member.municipality else None,
            "phone": member.phone,
            "bio": member.bio,
            "status": member.status,
            "member_since": iso_or_none(member.member_since),
            "left_on": iso_or_none(member.left_on),
            "date_joined": iso_or_none(member.date_joined),
            "last_login": iso_or_none(member.last_login),
            "is_staff": member.is_staff,
            "groups": list(member.groups.values_list("name", flat=True)),
            "is_deputy": member.is_deputy,
            "deputy_for": _export_person(member.deputy_for),
            "deputy": _export_person(Member.objects.filter(deputy_for=member).first()),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member)
        ],
        "mfa_authenticators": [
            {
                "type": authenticator.type,
                "created_at": iso_or_none(authenticator.created_at),
                "last_used_at": iso_or_none(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=member)
        ],
        "invitation_received": [
            {
                "email": invitation.email,
                "name": invitation.name,
                "greeting": invitation.message,
                "accepted_at": iso_or_none(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(accepted_by=member)
        ],
        "invitations_sent": [
            {
                "email": invitation.email,
                "name": invitation.name,
                "deputy_for": invitation.deputy_for_id,
                "greeting": invitation.message,
                "created_at": iso_or_none(invitation.created_at),
                "accepted_at": iso_or_none(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(invited_by=member)
        ],
        "admin_log": [
            {
                "at": iso_or_none(entry.action_time),
                "action": ADMIN_ACTIONS.get(entry.action_flag, str(entry.action_flag)),
                "model": (
                    f"{entry.content_type.app_label}.{entry.content_type.model}"
                    if entry.content_type
                    else None
                ),
                "object": entry.object_repr,
                "change_message": entry.get_change_message(),
            }
            for entry in LogEntry.objects.filter(user=member)
            .select_related("content_type")
            .order_by("action_time", "pk")
        ],
        "municipality_change_requests": [
            {
                "from_municipality": change.from_municipality.name
                if change.from_municipality
                else None,
                "to_municipality": change.to_municipality.name,
                "status": change.status,
                "created_at": iso_or_none(change.created_at),
                "decided_at": iso_or_none(change.decided_at),
            }
            for change in MunicipalityChangeRequest.objects.filter(member=member).select_related(
                "from_municipality", "to_municipality"
            )
        ],
        # What the portal mailed them: the record, not the bodies (those may hold links
        # that log in or reset a password).
        "mails": [
            {
                "kind": mail["kind"],
                "subject": mail["subject"],
                "status": mail["status"],
                "created_at": iso_or_none(mail["created_at"]),
                "sent_at": iso_or_none(mail["sent_at"]),
            }
            for mail in OutgoingMail.objects.for_member(member)
            .order_by("created_at", "pk")
            .values("kind", "subject", "status", "created_at", "sent_at")
        ],
        **gdpr.export(member),
    }


def _export_person(member: Member | None) -> dict | None:
    if member is None:
        return None
    return {"id": member.pk, "name": member.get_full_name(), "email": member.email}


def member_deputy(*, member: Member) -> Member | None:
    """The member's linked deputy, if any."""
    return Member.objects.filter(deputy_for=member).first()


def deputy_invitation_pending(*, member: Member) -> Invitation | None:
    """The member's pending invitation of a deputy, if any."""
    return Invitation.objects.pending().filter(deputy_for=member).first()


def municipality_change_pending(*, member: Member) -> MunicipalityChangeRequest | None:
    """The member's pending request to change municipality, if any."""
    return (
        MunicipalityChangeRequest.objects.pending()
        .filter(member=member)
        .select_related("to_municipality")
        .first()
    )


def municipality_change_pending_by_id(*, pk: int) -> MunicipalityChangeRequest | None:
    """The pending request `pk` (None if there is none, or it was decided)."""
    return (
        MunicipalityChangeRequest.objects.pending()
        .select_related("member", "to_municipality")
        .filter(pk=pk)
        .first()
    )


def municipality_changes_pending() -> QuerySet[MunicipalityChangeRequest]:
    """Pending requests to change municipality, oldest first, with the member and both
    municipalities and their regions' circles in one query."""
    return MunicipalityChangeRequest.objects.pending().select_related(
        "member",
        "from_municipality__region__circle",
        "to_municipality__region__circle",
    )
