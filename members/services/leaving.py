"""A member leaving: marked former, anonymised or erased, through every app's registered
part."""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from core.models import OutgoingMail
from core.outbox import mail_drop_unsent

from .. import gdpr
from ..models import (
    Invitation,
    Member,
    MunicipalityChangeRequest,
)
from ..signals import member_left
from .deputies import deputy_remove, deputy_unlink_for_erasure


def _end_sessions(member: Member) -> None:
    """Delete the member's sessions from the database and the cache alike."""
    member_id = str(member.pk)
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == member_id:
            session_store(session_key=session.session_key).delete()


def _forget_admin_log(member: Member, original_email: str) -> None:
    """The admin's change log names objects by their text: rewrite what named the member."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).update(object_repr=str(member), change_message="")
    LogEntry.objects.filter(object_repr__icontains=original_email).update(
        object_repr=member.email, change_message=""
    )


@transaction.atomic
def member_anonymise(*, member: Member, keep_contributions: bool = True) -> Member:
    """Remove every personal detail of the member and close the account for good; every
    app registered with members.gdpr erases what it holds, and the member's mails, sent or
    not, are deleted.

    The row stays, so that what others wrote in reply keeps its context; nothing left
    on it identifies a person."""
    was_active = member.status == Member.Status.ACTIVE
    # Before the address goes: the outbox knows a mail by its recipient or its address.
    OutgoingMail.objects.for_member(member).delete()
    original_email = member.email
    deputy_unlink_for_erasure(member=member)
    original_name = member.get_full_name()
    member.email = f"erased-{member.pk}@anonymised.invalid"
    member.first_name = ""
    member.last_name = ""
    member.job_title = ""
    member.phone = ""
    member.bio = ""
    member.municipality = None
    member.status = Member.Status.FORMER
    member.left_on = member.left_on or timezone.localdate()
    member.anonymised_at = timezone.now()
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.set_unusable_password()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    MunicipalityChangeRequest.objects.filter(member=member).delete()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    Invitation.objects.filter(email__iexact=original_email).exclude(accepted_by=member).delete()
    Invitation.objects.filter(accepted_by=member).update(
        email=member.email, message="", name="", municipality=None
    )
    _forget_admin_log(member, original_email)
    if original_name:
        LogEntry.objects.filter(object_repr=original_name).update(object_repr=str(member))
    gdpr.erase(member, keep_contributions=keep_contributions)
    if was_active:
        member_left.send(sender=Member, member=member)
    _end_sessions(member)
    return member


class ContributionChoice:
    ANONYMISE = "anonymise"
    DELETE = "delete"


@transaction.atomic
def member_erase(*, member: Member, contributions: str) -> Member:
    """Erase the member's account at their own request; their contributions are
    anonymised or deleted, as they chose."""
    return member_anonymise(
        member=member, keep_contributions=contributions != ContributionChoice.DELETE
    )


@transaction.atomic
def member_mark_former(*, member: Member) -> Member:
    """Record that the member has left the association; they can no longer log in, their
    unsent mails are dropped, the apps above give up what they held (member_left), and
    their deputy, who stood in for them alone, leaves with them (deputy_remove)."""
    member.status = Member.Status.FORMER
    member.left_on = timezone.localdate()
    member.is_active = False
    member.save(update_fields=["status", "left_on", "is_active"])
    mail_drop_unsent(rows=OutgoingMail.objects.for_member(member))
    member_left.send(sender=Member, member=member)
    deputy_remove(member=member)
    return member
