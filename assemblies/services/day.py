"""Writes for the assembly's day: proxies given and withdrawn, the attendance register,
the decisions and elections of each item, and the minutes from draft to publication.

Every rule is here, for the portal's views and the admin alike; a refusal is a
ValidationError with a message for the member."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.outbox import Mail, Priority, mail_queue, render_subject
from members.models import Member

from ..models import (
    AgendaItem,
    Assembly,
    Attendance,
    Decision,
    Election,
    Minutes,
    MinutesVersion,
    Motion,
    Proxy,
)
from ..selectors.day import assembly_decisions, assembly_votes

__all__ = [
    "MINUTES_MAIL",
    "PROXY_GIVEN_MAIL",
    "PROXY_HOLDER_GONE_MAIL",
    "PROXY_WITHDRAWN_MAIL",
    "attendance_check_in",
    "attendance_undo",
    "day_member_forget",
    "decision_delete",
    "decision_record",
    "decision_update",
    "election_apply",
    "election_delete",
    "election_record",
    "minutes_approve",
    "minutes_draft_generate",
    "minutes_publish",
    "minutes_save",
    "proxies_end_for_leaving",
    "proxy_give",
    "proxy_give_check",
    "proxy_withdraw",
]

PROXY_GIVEN_MAIL = "assemblies.proxy_given"
PROXY_WITHDRAWN_MAIL = "assemblies.proxy_withdrawn"
PROXY_HOLDER_GONE_MAIL = "assemblies.proxy_holder_gone"
MINUTES_MAIL = "assemblies.minutes_published"


def _is_counted(member: Member) -> bool:
    return bool(member.is_active and member.status == Member.Status.ACTIVE and not member.is_deputy)


def _mails(*, kind: str, template: str, recipients, context: dict, params: dict) -> list[Mail]:
    """One Danish mail (text and HTML), rendered once, to each recipient."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject(f"assemblies/day/emails/{template}_subject.txt", context)
        text = render_to_string(f"assemblies/day/emails/{template}.txt", context)
        html = render_to_string(f"assemblies/day/emails/{template}.html", context)
    return [
        Mail(
            kind=kind,
            to=recipient.email,
            recipient=recipient,
            params=params,
            subject=subject,
            text=text,
            html=html,
        )
        for recipient in recipients
    ]


# --- Proxies ----------------------------------------------------------------------------


def _before_start(assembly: Assembly, message: str) -> None:
    if assembly.event.is_cancelled:
        raise ValidationError(_("The general assembly has been cancelled."), code="cancelled")
    if timezone.now() >= assembly.event.starts_at:
        raise ValidationError(message, code="started")


def proxy_give_check(*, assembly: Assembly, giver: Member, holder: Member) -> None:
    """Raise a ValidationError if `giver` may not give `holder` a proxy now (the rules of
    proxy_give, for a form to show before anything is saved).

    Only counted members give and hold proxies. A deputy is no counted member, so a
    deputy holds no proxy at all: "a deputy cannot also hold a proxy for the same
    municipality" is then kept by this rule, and a deputy carries their municipality's
    vote only by standing in for their member (selectors.day.assembly_votes)."""
    _before_start(assembly, _("Proxies can only be given before the general assembly starts."))
    if not _is_counted(giver):
        raise ValidationError(
            _("Only members can give a proxy; a deputy attends in their member's place."),
            code="giver",
        )
    if holder.pk == giver.pk:
        raise ValidationError(_("You cannot give a proxy to yourself."), code="self")
    if not _is_counted(holder):
        raise ValidationError(
            _("A proxy can only be given to an active member (not to a deputy)."),
            code="holder",
        )
    active = Proxy.objects.filter(assembly=assembly, withdrawn_at__isnull=True)
    if active.filter(giver=giver).exists():
        raise ValidationError(
            _("You have already given a proxy for this general assembly; withdraw it first."),
            code="given",
        )
    if active.filter(holder=giver).exists():
        raise ValidationError(
            _("You hold proxies from others: they must withdraw them before you give yours."),
            code="holds",
        )
    if active.filter(giver=holder).exists():
        raise ValidationError(
            _("%(name)s has given their own proxy to someone else and will not attend.")
            % {"name": holder.get_full_name()},
            code="holder_absent",
        )
    if active.filter(holder=holder).count() >= assembly.proxy_limit:
        raise ValidationError(
            _("%(name)s already holds as many proxies as a member may (%(limit)d).")
            % {"name": holder.get_full_name(), "limit": assembly.proxy_limit},
            code="limit",
        )


@transaction.atomic
def proxy_give(*, assembly: Assembly, giver: Member, holder: Member) -> Proxy:
    """`giver` lets `holder` carry their municipality's vote; the holder is told by mail.
    Only before the assembly starts, never to oneself, one active proxy per giver, only
    between counted members, and a holder carries at most assembly.proxy_limit proxies
    (proxy_give_check)."""
    # One proxy at a time per assembly: the holder's proxies are counted, then kept.
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    proxy_give_check(assembly=assembly, giver=giver, holder=holder)
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(assembly=assembly, giver=giver, holder=holder)
    except IntegrityError:
        raise ValidationError(
            _("You have already given a proxy for this general assembly; withdraw it first."),
            code="given",
        ) from None
    _proxy_mail(proxy, kind=PROXY_GIVEN_MAIL, template="proxy_given")
    return proxy


def _proxy_mail(proxy: Proxy, *, kind: str, template: str, to_giver: bool = False) -> None:
    event = proxy.assembly.event
    mails = _mails(
        kind=kind,
        template=template,
        recipients=[proxy.giver if to_giver else proxy.holder],
        context={
            "proxy": proxy,
            "event": event,
            "giver": proxy.giver,
            "url": settings.SITE_URL + reverse("assemblies:proxy", args=[event.pk]),
        },
        params={"proxy": proxy.pk},
    )
    mail_queue(mails=mails, priority=Priority.MEETING)


@transaction.atomic
def proxy_withdraw(*, proxy: Proxy) -> Proxy:
    """Withdraw the proxy (the giver, until the assembly starts); the holder is told."""
    if proxy.withdrawn_at is not None:
        raise ValidationError(_("The proxy has already been withdrawn."), code="withdrawn")
    _before_start(
        proxy.assembly,
        _("A proxy cannot be withdrawn once the general assembly has started."),
    )
    proxy.withdrawn_at = timezone.now()
    proxy.save(update_fields=["withdrawn_at"])
    _proxy_mail(proxy, kind=PROXY_WITHDRAWN_MAIL, template="proxy_withdrawn")
    return proxy


def proxies_end_for_leaving(*, member: Member, erased: bool) -> None:
    """The member leaves the association or is erased: the proxies for assemblies still
    to come that they hold are withdrawn, and each giver is told to give a new one; those
    they gave are withdrawn too (the holder is told, unless the giver is being erased,
    whose proxies day_member_forget then deletes)."""
    upcoming = Proxy.objects.filter(
        assembly__event__starts_at__gt=timezone.now(), withdrawn_at__isnull=True
    ).select_related("assembly__event", "giver", "holder")
    held, given = list(upcoming.filter(holder=member)), list(upcoming.filter(giver=member))
    for proxy in held:
        _proxy_mail(proxy, kind=PROXY_HOLDER_GONE_MAIL, template="proxy_holder_gone", to_giver=True)
    if not erased:
        for proxy in given:
            _proxy_mail(proxy, kind=PROXY_WITHDRAWN_MAIL, template="proxy_withdrawn")
    Proxy.objects.filter(pk__in=[proxy.pk for proxy in held + given]).update(
        withdrawn_at=timezone.now()
    )


# --- Attendance -------------------------------------------------------------------------


def attendance_check_in(*, assembly: Assembly, member: Member, actor: Member | None) -> Attendance:
    """Record that `member` (a member, a deputy or a proxy holder) is present; checking
    in someone already present changes nothing."""
    if assembly.event.is_cancelled:
        raise ValidationError(_("The general assembly has been cancelled."), code="cancelled")
    if not (member.is_active and member.status == Member.Status.ACTIVE):
        raise ValidationError(_("Only active members and deputies can be checked in."))
    attendance, _created = Attendance.objects.get_or_create(
        assembly=assembly, member=member, defaults={"checked_in_by": actor}
    )
    return attendance


def attendance_undo(*, assembly: Assembly, member: Member) -> None:
    """Take back a check-in (a mistake, or the person left)."""
    Attendance.objects.filter(assembly=assembly, member=member).delete()


# --- Decisions and elections ------------------------------------------------------------


def _not_frozen(assembly: Assembly) -> None:
    minutes = Minutes.objects.filter(assembly=assembly).first()
    if minutes is not None and minutes.is_frozen:
        raise ValidationError(
            _("The minutes have been approved: the decisions can no longer be changed."),
            code="frozen",
        )


def _check_votes(**votes) -> None:
    for name, value in votes.items():
        if value is not None and not 0 <= value <= 32767:
            raise ValidationError({name: _("Give a number between 0 and 32767.")})


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    actor: Member | None,
    outcome: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_blank: int | None = None,
    text: str = "",
    motion: Motion | None = None,
) -> Decision:
    """Record what the assembly decided under the item (or on one of its motions)."""
    _not_frozen(item.assembly)
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if motion is not None and motion.assembly_id != item.assembly_id:
        raise ValidationError({"motion": _("The motion belongs to another general assembly.")})
    _check_votes(votes_for=votes_for, votes_against=votes_against, votes_blank=votes_blank)
    return Decision.objects.create(
        item=item,
        motion=motion,
        outcome=outcome,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_blank=votes_blank,
        text=text,
        recorded_by=actor,
    )


DECISION_FIELDS = ("outcome", "votes_for", "votes_against", "votes_blank", "text", "motion")


@transaction.atomic
def decision_update(*, decision: Decision, **changes) -> Decision:
    """Correct a recorded decision (until the minutes are approved): any of
    DECISION_FIELDS."""
    _not_frozen(decision.item.assembly)
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"decision_update() got unexpected fields {sorted(unknown)}")
    if changes.get("outcome", decision.outcome) not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    motion = changes.get("motion", decision.motion)
    if motion is not None and motion.assembly_id != decision.item.assembly_id:
        raise ValidationError({"motion": _("The motion belongs to another general assembly.")})
    _check_votes(**{k: v for k, v in changes.items() if k.startswith("votes_")})
    for name, value in changes.items():
        setattr(decision, name, value)
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    """Delete a decision recorded by mistake, with its elections (until approval)."""
    _not_frozen(decision.item.assembly)
    decision.delete()


@transaction.atomic
def election_record(
    *,
    decision: Decision,
    role: str,
    member: Member | None = None,
    name: str = "",
    term_until=None,
) -> Election:
    """Record who the decision elected, to what, for which term: a member (whose name is
    kept as elected) or, for an external auditor, a name alone."""
    _not_frozen(decision.item.assembly)
    if role not in Election.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    name = (name or "").strip()
    if member is None and not name:
        raise ValidationError(_("Choose the member elected, or write the name of who was."))
    if member is not None:
        name = name or member.get_full_name()
    election = Election(
        decision=decision, member=member, name=name, role=role, term_until=term_until
    )
    election.full_clean(exclude=["decision", "member"])
    election.save()
    return election


@transaction.atomic
def election_delete(*, election: Election) -> None:
    _not_frozen(election.decision.item.assembly)
    election.delete()


BOARD_ROLES = (Election.Role.BOARD_MEMBER, Election.Role.CHAIR_OF_BOARD)


@transaction.atomic
def election_apply(*, election: Election) -> Election:
    """Carry out the election: a member elected to the board joins the board's group
    (settings.BOARD_GROUP_NAME, what members.permissions.is_board checks; members has no
    service of its own for it), an elected chair of the assembly becomes its chair;
    recorded in applied_at, once."""
    if election.applied_at is not None:
        raise ValidationError(_("This election has already been applied."), code="applied")
    member = election.member
    if member is None:
        raise ValidationError(_("Only the election of a member can be applied."), code="no_member")
    if not (member.is_active and member.status == Member.Status.ACTIVE):
        raise ValidationError(_("The member elected is no longer an active member."))
    if election.role in BOARD_ROLES:
        group, _created = Group.objects.get_or_create(name=settings.BOARD_GROUP_NAME)
        member.groups.add(group)
        member.__dict__.pop("_komdir_is_board", None)
    elif election.role == Election.Role.ASSEMBLY_CHAIR:
        assembly = election.decision.item.assembly
        assembly.chair = member
        assembly.save(update_fields=["chair", "updated_at"])
    else:
        raise ValidationError(
            _("Only elections to the board or of the chair can be applied."), code="role"
        )
    election.applied_at = timezone.now()
    election.save(update_fields=["applied_at"])
    return election


# --- Minutes ----------------------------------------------------------------------------


def _editable_minutes(assembly: Assembly) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(assembly=assembly)
    if minutes.is_frozen:
        raise ValidationError(
            _("The minutes have been approved by the chair and can no longer be changed."),
            code="frozen",
        )
    return minutes


@transaction.atomic
def minutes_save(*, assembly: Assembly, text: str, actor: Member | None) -> Minutes:
    """Save the minutes' Markdown as a new version (until the chair approves them)."""
    minutes = _editable_minutes(assembly)
    minutes.text = text
    minutes.save(update_fields=["text", "updated_at"])
    MinutesVersion.objects.create(minutes=minutes, text=text, author=actor)
    return minutes


def minutes_draft_text(*, assembly: Assembly) -> str:
    """The draft, in Markdown and Danish: the agenda, the votes present and represented
    and each item's decisions and elections."""
    decisions: dict[int, list] = {}
    for decision in assembly_decisions(assembly=assembly):
        decisions.setdefault(decision.item_id, []).append(decision)
    items = [(item, decisions.get(item.pk, [])) for item in assembly.items.order_by("position")]
    context = {
        "assembly": assembly,
        "event": assembly.event,
        "votes": assembly_votes(assembly=assembly),
        "items": items,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("assemblies/day/minutes_draft.txt", context).strip() + "\n"


@transaction.atomic
def minutes_draft_generate(*, assembly: Assembly, actor: Member | None) -> Minutes:
    """Write a draft of the minutes from the agenda, the attendance and the decisions, as
    a new version (the earlier text stays among the versions)."""
    _editable_minutes(assembly)
    return minutes_save(assembly=assembly, text=minutes_draft_text(assembly=assembly), actor=actor)


@transaction.atomic
def minutes_approve(*, minutes: Minutes, actor: Member | None) -> Minutes:
    """The chair approves the minutes, which freezes them."""
    if minutes.is_frozen:
        raise ValidationError(_("The minutes have already been approved."), code="approved")
    if not minutes.text.strip():
        raise ValidationError(_("There are no minutes to approve yet."), code="empty")
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.save(update_fields=["approved_at", "approved_by", "updated_at"])
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, announce: bool = True) -> Minutes:
    """Publish the approved minutes to the members, and (unless `announce` is false, as
    for the demo's minutes of a year ago) tell every counted member by mail through the
    outbox, in this transaction."""
    if not minutes.is_frozen:
        raise ValidationError(
            _("The chair must approve the minutes before they are published."),
            code="not_approved",
        )
    if minutes.published_at is not None:
        raise ValidationError(_("The minutes have already been published."), code="published")
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["published_at", "updated_at"])
    if not announce:
        return minutes
    event = minutes.assembly.event
    mails = _mails(
        kind=MINUTES_MAIL,
        template="minutes_published",
        recipients=Member.objects.counted().only("pk", "email").order_by("pk").iterator(),
        context={
            "event": event,
            "url": settings.SITE_URL + reverse("assemblies:minutes", args=[event.pk]),
        },
        params={"minutes": minutes.pk},
    )
    mail_queue(mails=mails, priority=Priority.BULK)
    return minutes


# --- GDPR -------------------------------------------------------------------------------


@transaction.atomic
def day_member_forget(*, member: Member, keep_contributions: bool) -> None:
    """What erasure does to the member's part of the day.

    Erasure anonymises the member's row (members.services.member_anonymise) and never
    deletes it, so the CASCADE of Proxy and Attendance does not fire: the rows of past
    assemblies stay, pointing at a row that names no one, and the record of how many
    were present and represented holds. The member's proxies and check-ins for
    assemblies still to come are deleted (the member will not attend). An election keeps
    the name as elected (the association's record), without the link to the member; the
    minutes' versions keep their text, without their author; an assembly the member
    chairs has no chair any more (the minutes name who chaired)."""
    now = timezone.now()
    proxies_end_for_leaving(member=member, erased=True)
    Proxy.objects.filter(assembly__event__starts_at__gt=now, giver=member).delete()
    Proxy.objects.filter(assembly__event__starts_at__gt=now, holder=member).delete()
    Attendance.objects.filter(assembly__event__starts_at__gt=now, member=member).delete()
    Attendance.objects.filter(checked_in_by=member).update(checked_in_by=None)
    Election.objects.filter(member=member).update(member=None)
    MinutesVersion.objects.filter(author=member).update(author=None)
    Minutes.objects.filter(approved_by=member).update(approved_by=None)
    Decision.objects.filter(recorded_by=member).update(recorded_by=None)
    # The minutes name the chair as the record; the link to the account goes.
    Assembly.objects.filter(chair=member).update(chair=None)
