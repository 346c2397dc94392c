"""Writes for the general assembly's preparation: the assembly and its standard agenda,
the items, the notice, motions with the board's recommendation and their publication,
candidacies, and what an erased member leaves of them.

Every write takes the acting user, keyword-only: the portal's views and the admin pass
request.user, and the service asks assemblies/permissions.py; `actor=None` is a system
action (the event's creation, the demo, the erasure)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import Priority, mail_fan_out
from core.time import moment_text
from documents.models import Document
from events.models import Event
from members.models import Member

from .. import mails_preparation as mails
from ..models import MOTION_DAYS, NOTICE_DAYS, PROXY_LIMIT, AgendaItem, Assembly, Candidacy, Motion

__all__ = [
    "PREPARE",
    "STANDARD_AGENDA",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_update",
    "agenda_reorder",
    "assembly_create",
    "assembly_motions_publish",
    "assembly_notice_send",
    "assembly_update",
    "candidacy_announce",
    "candidacy_withdraw",
    "motion_recommend",
    "motion_submit",
    "motion_withdraw",
    "motions_open",
    "notice_is_late",
    "preparation_member_forget",
]

PREPARE = "assemblies.prepare_assembly"

# The statutes' agenda, in their order: (kind, the item's title as members read it).
STANDARD_AGENDA = (
    (AgendaItem.Kind.CHAIR, "Valg af dirigent"),
    (AgendaItem.Kind.REPORT, "Bestyrelsens beretning"),
    (AgendaItem.Kind.ACCOUNTS, "Regnskab"),
    (AgendaItem.Kind.MOTIONS, "Indkomne forslag"),
    (AgendaItem.Kind.FEE, "Fastsættelse af kontingent"),
    (AgendaItem.Kind.BOARD_ELECTION, "Valg til bestyrelsen"),
    (AgendaItem.Kind.AUDITOR_ELECTION, "Valg af revisor"),
    (AgendaItem.Kind.ANY_OTHER, "Eventuelt"),
)


def _authorise(*, actor: Member | None, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless the actor has `permission` (on `obj`); None is the
    system."""
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDenied


# --- The assembly and its agenda -------------------------------------------------------


@transaction.atomic
def assembly_create(
    *,
    actor: Member | None,
    event: Event,
    notice_days: int = NOTICE_DAYS,
    motion_days: int = MOTION_DAYS,
    quorum: int | None = None,
    proxy_limit: int = PROXY_LIMIT,
) -> Assembly:
    """The assembly of a general-assembly event, with the statutes' standard agenda; an
    event of another kind is refused (ValidationError). An event that has its assembly
    already keeps it (and it is returned)."""
    _authorise(actor=actor, permission=PREPARE)
    if event.kind != Event.Kind.GENERAL_ASSEMBLY:
        raise ValidationError(
            _("Only an event of the kind general assembly can have a general assembly."),
            code="not_a_general_assembly",
        )
    existing = Assembly.objects.filter(event=event).first()
    if existing is not None:
        return existing
    assembly = Assembly(
        event=event,
        notice_days=notice_days,
        motion_days=motion_days,
        quorum=quorum,
        proxy_limit=proxy_limit,
    )
    assembly.full_clean(exclude=["event", "chair"], validate_unique=False)
    assembly.save()
    AgendaItem.objects.bulk_create(
        AgendaItem(assembly=assembly, position=number, kind=kind, title=title)
        for number, (kind, title) in enumerate(STANDARD_AGENDA, start=1)
    )
    return assembly


ASSEMBLY_FIELDS = ("notice_days", "motion_days", "quorum", "proxy_limit", "chair")


@transaction.atomic
def assembly_update(*, actor: Member | None, assembly: Assembly, **changes) -> Assembly:
    """Change the assembly's notice period, deadline for motions, quorum, proxy limit or
    chair."""
    _authorise(actor=actor, permission=PREPARE)
    unknown = set(changes) - set(ASSEMBLY_FIELDS)
    if unknown:
        raise TypeError(f"not a field of the assembly's settings: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(assembly, field, value)
    assembly.full_clean(exclude=["event", "chair"], validate_unique=False)
    assembly.save()
    return assembly


def _renumber(assembly: Assembly) -> None:
    """Positions 1, 2, 3, ... in the agenda's order, without gaps."""
    items = list(AgendaItem.objects.filter(assembly=assembly).order_by("position", "pk"))
    changed = []
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["position"])


def _item_validate(item: AgendaItem) -> None:
    item.full_clean(exclude=["assembly", "documents"], validate_unique=False)


def _documents_check(*, assembly: Assembly, documents: Iterable[Document]) -> list[Document]:
    documents = list(documents)
    if any(document.event_id != assembly.event_id for document in documents):
        raise ValidationError(
            _("An agenda item can only have documents of its own event."), code="other_event"
        )
    return documents


@transaction.atomic
def agenda_item_add(
    *,
    actor: Member | None,
    assembly: Assembly,
    title: str,
    kind: str = AgendaItem.Kind.OTHER,
    description: str = "",
    documents: Iterable[Document] = (),
) -> AgendaItem:
    """A new item at the end of the agenda."""
    _authorise(actor=actor, permission=PREPARE)
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    last = AgendaItem.objects.filter(assembly=assembly).aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        assembly=assembly,
        position=(last or 0) + 1,
        kind=kind,
        title=title.strip(),
        description=description,
    )
    _item_validate(item)
    documents = _documents_check(assembly=assembly, documents=documents)
    item.save()
    if documents:
        item.documents.set(documents)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: Member | None,
    item: AgendaItem,
    title: str,
    kind: str,
    description: str = "",
    documents: Iterable[Document] | None = None,
) -> AgendaItem:
    """Change an item's title, kind, description and (if given) its documents, which
    must be documents of the assembly's event."""
    _authorise(actor=actor, permission=PREPARE)
    item.title = title.strip()
    item.kind = kind
    item.description = description
    _item_validate(item)
    if documents is not None:
        documents = _documents_check(assembly=item.assembly, documents=documents)
    item.save()
    if documents is not None:
        item.documents.set(documents)
    return item


@transaction.atomic
def agenda_item_move(*, actor: Member | None, item: AgendaItem, up: bool) -> AgendaItem:
    """Move the item one place up (or down) the agenda; at either end it stays."""
    _authorise(actor=actor, permission=PREPARE)
    Assembly.objects.select_for_update().filter(pk=item.assembly_id).first()
    _renumber(item.assembly)
    items = list(AgendaItem.objects.filter(assembly_id=item.assembly_id).order_by("position"))
    index = next(n for n, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        mine, theirs = items[index], items[other]
        mine.position, theirs.position = theirs.position, mine.position
        AgendaItem.objects.bulk_update([mine, theirs], ["position"])
        item.position = mine.position
    return item


@transaction.atomic
def agenda_reorder(*, actor: Member | None, assembly: Assembly, order: list[int]) -> None:
    """Put the items in the order of their ids in `order`; items not named follow in
    their present order."""
    _authorise(actor=actor, permission=PREPARE)
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    items = list(AgendaItem.objects.filter(assembly=assembly).order_by("position", "pk"))
    rank = {pk: number for number, pk in enumerate(order)}
    items.sort(key=lambda item: (rank.get(item.pk, len(rank)), item.position, item.pk))
    for number, item in enumerate(items, start=1):
        item.position = number
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_item_delete(*, actor: Member | None, item: AgendaItem) -> None:
    """Delete the item (its candidacies with it) and close the gap in the numbering."""
    _authorise(actor=actor, permission=PREPARE)
    assembly = item.assembly
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    item.delete()
    _renumber(assembly)


# --- The notice ------------------------------------------------------------------------


def notice_is_late(assembly: Assembly, *, now=None) -> bool:
    """Whether a notice sent now comes later than the statutes allow."""
    return (now or timezone.now()) > assembly.notice_due


@transaction.atomic
def assembly_notice_send(*, actor: Member | None, assembly: Assembly) -> Assembly:
    """Mail every counted member (never a deputy on their own) the notice with the
    agenda and the event's calendar invitation, through the outbox, and record when.
    Whether it is late or sent again is for the caller to have confirmed."""
    _authorise(actor=actor, permission=PREPARE)
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.event.is_cancelled:
        raise ValidationError(_("The event is cancelled: no notice goes out."), code="cancelled")
    assembly.notice_sent_at = timezone.now()
    assembly.save(update_fields=["notice_sent_at", "updated_at"])
    mail_fan_out(
        kind=mails.NOTICE_FAN_OUT,
        params={"assembly": assembly.pk, "sent_at": assembly.notice_sent_at.isoformat()},
        priority=Priority.MEETING,
    )
    return assembly


# --- Motions ---------------------------------------------------------------------------


def motions_open(assembly: Assembly, *, now=None) -> bool:
    """Whether motions are still taken (and may be withdrawn)."""
    return (now or timezone.now()) < assembly.motion_deadline


def _deadline_passed(assembly: Assembly) -> ValidationError:
    return ValidationError(
        _("The deadline for motions was %(deadline)s.")
        % {"deadline": moment_text(assembly.motion_deadline)},
        code="deadline_passed",
    )


@transaction.atomic
def motion_submit(
    *, actor: Member, assembly: Assembly, title: str, text: str, reasoning: str = ""
) -> Motion:
    """A member's motion, taken before the deadline; a late one is refused
    (ValidationError, with the deadline)."""
    _authorise(actor=actor, permission="assemblies.submit_motion")
    if not motions_open(assembly):
        raise _deadline_passed(assembly)
    motion = Motion(
        assembly=assembly, proposer=actor, title=title.strip(), text=text, reasoning=reasoning
    )
    motion.full_clean(exclude=["assembly", "proposer"], validate_unique=False)
    motion.save()
    return motion


@transaction.atomic
def motion_withdraw(*, actor: Member, motion: Motion) -> Motion:
    """The proposer withdraws their motion, before the deadline."""
    _authorise(actor=actor, permission="assemblies.withdraw_motion", obj=motion)
    if not motions_open(motion.assembly):
        raise _deadline_passed(motion.assembly)
    if motion.withdrawn_at is None:
        motion.withdrawn_at = timezone.now()
        motion.save(update_fields=["withdrawn_at", "updated_at"])
    return motion


@transaction.atomic
def motion_recommend(*, actor: Member | None, motion: Motion, recommendation: str) -> Motion:
    """The board's recommendation on a motion (empty: none)."""
    _authorise(actor=actor, permission=PREPARE)
    motion.board_recommendation = recommendation.strip()
    motion.save(update_fields=["board_recommendation", "updated_at"])
    return motion


@transaction.atomic
def assembly_motions_publish(*, actor: Member | None, assembly: Assembly) -> Assembly:
    """After the deadline, publish the motions to every member and tell the counted
    members by mail (through the outbox); published once, a second call changes
    nothing. Before the deadline it is refused (ValidationError)."""
    _authorise(actor=actor, permission=PREPARE)
    assembly = Assembly.objects.select_for_update().select_related("event").get(pk=assembly.pk)
    if motions_open(assembly):
        raise ValidationError(
            _("Motions can be published once the deadline has passed: %(deadline)s.")
            % {"deadline": moment_text(assembly.motion_deadline)},
            code="deadline_not_passed",
        )
    if assembly.motions_published_at is not None:
        return assembly
    assembly.motions_published_at = timezone.now()
    assembly.save(update_fields=["motions_published_at", "updated_at"])
    mail_fan_out(
        kind=mails.MOTIONS_FAN_OUT, params={"assembly": assembly.pk}, priority=Priority.MEETING
    )
    return assembly


# --- Candidacies -----------------------------------------------------------------------


def _election_closed(item: AgendaItem) -> ValidationError | None:
    if item.assembly.event.has_started:
        return ValidationError(
            _("Candidacies are taken until the assembly starts."), code="started"
        )
    return None


@transaction.atomic
def candidacy_announce(*, actor: Member, item: AgendaItem, statement: str = "") -> Candidacy:
    """The member stands for the election under `item`, until the assembly starts; once
    per election."""
    _authorise(actor=actor, permission="assemblies.stand_for_election")
    if not item.is_election:
        raise ValidationError(_("This item is no election."), code="not_an_election")
    closed = _election_closed(item)
    if closed is not None:
        raise closed
    if Candidacy.objects.filter(item=item, member=actor, withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _("You are already a candidate in this election."), code="already_candidate"
        )
    candidacy = Candidacy(item=item, member=actor, statement=statement.strip())
    candidacy.full_clean(exclude=["item", "member"], validate_unique=False)
    candidacy.save()
    return candidacy


@transaction.atomic
def candidacy_withdraw(*, actor: Member, candidacy: Candidacy) -> Candidacy:
    """The candidate withdraws, until the assembly starts."""
    _authorise(actor=actor, permission="assemblies.withdraw_candidacy", obj=candidacy)
    closed = _election_closed(candidacy.item)
    if closed is not None:
        raise closed
    if candidacy.withdrawn_at is None:
        candidacy.withdrawn_at = timezone.now()
        candidacy.save(update_fields=["withdrawn_at"])
    return candidacy


# --- Erasure ---------------------------------------------------------------------------


@transaction.atomic
def preparation_member_forget(*, member: Member, keep_contributions: bool) -> None:
    """What an erased member leaves of the preparation. Their motions are the
    association's record, kept without the link to them (as focus areas anonymise a
    contribution), or deleted when they chose to delete what they wrote. Their
    candidacies for an assembly still ahead are deleted; those of an assembly held stay
    in its record (the anonymised account, shown as a former member) without their
    statement."""
    motions = Motion.objects.filter(proposer=member)
    if keep_contributions:
        motions.update(proposer=None)
    else:
        motions.delete()
    candidacies = Candidacy.objects.filter(member=member)
    candidacies.filter(item__assembly__event__starts_at__gt=timezone.now()).delete()
    candidacies.update(statement="")
