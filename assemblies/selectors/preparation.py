"""Reads for the general assembly's preparation, permission-aware: the assembly of an
event the user may see, its agenda with documents and candidates, the motions each
reader may see, the archive, and a member's data for the GDPR export."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.inputs import parse_id
from core.time import iso_or_none
from documents.models import Document
from events.models import Event
from members.models import Member

from ..models import AgendaItem, Assembly, Candidacy, Motion

__all__ = [
    "agenda_of",
    "assemblies_by_year",
    "assembly_current",
    "assembly_for",
    "event_documents_for_agenda",
    "motions_for",
    "own_candidacies",
    "preparation_data_of_member",
]


def assembly_for(*, user: Member, event_id: int, permission: str = "assemblies.view_assembly"):
    """The assembly of the event, with the event and its organiser, if the user may see
    the event (as its page asks) and has `permission`; else None."""
    if parse_id(event_id) is None:
        return None  # no event has it (and SQLite cannot even compare it)
    assembly = (
        Assembly.objects.filter(event_id=event_id, event__in=Event.objects.visible_to(user))
        .select_related("event__organiser")
        .first()
    )
    if assembly is None or not user.has_perm(permission, assembly):
        return None
    return assembly


def _published_motions(assembly: Assembly) -> QuerySet[Motion]:
    return Motion.objects.filter(
        assembly=assembly, withdrawn_at__isnull=True, assembly__motions_published_at__isnull=False
    ).select_related("proposer")


def agenda_of(*, assembly: Assembly) -> list[AgendaItem]:
    """The items in order, each with its documents (and their current versions), its
    standing candidates, and under the motions item the published motions: four queries
    at most, whatever the agenda holds."""
    items = list(
        AgendaItem.objects.filter(assembly=assembly)
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("current_version").order_by("title", "pk"),
            ),
            Prefetch(
                "candidacies",
                queryset=Candidacy.objects.filter(withdrawn_at__isnull=True)
                .select_related("member__municipality")
                .order_by("created_at", "pk"),
                to_attr="standing",
            ),
        )
        .order_by("position", "pk")
    )
    motions = None if assembly.motions_published_at is not None else []
    for item in items:
        item.shown_motions = []
        if item.kind == AgendaItem.Kind.MOTIONS:
            if motions is None:
                motions = list(_published_motions(assembly))
            item.shown_motions = motions
    return items


def motions_for(*, user: Member, assembly: Assembly) -> list[Motion]:
    """The motions the user may see: the board all of them (withdrawn ones too); a
    member their own and, once published, everyone's that stand."""
    motions = Motion.objects.filter(assembly=assembly).select_related("proposer")
    if not user.has_perm("assemblies.prepare_assembly"):
        visible = Q(proposer=user)
        if assembly.motions_published_at is not None:
            visible |= Q(withdrawn_at__isnull=True)
        motions = motions.filter(visible)
    return list(motions.order_by("submitted_at", "pk"))


def own_candidacies(*, member: Member, assembly: Assembly) -> list[Candidacy]:
    """The member's standing candidacies in the assembly's elections."""
    return list(
        Candidacy.objects.filter(item__assembly=assembly, member=member, withdrawn_at__isnull=True)
        .select_related("item")
        .order_by("item__position", "pk")
    )


def event_documents_for_agenda(*, assembly: Assembly) -> QuerySet[Document]:
    """The documents of the assembly's event, which its items may point to."""
    return Document.objects.filter(event_id=assembly.event_id).order_by("title", "pk")


def assembly_current(*, user: Member) -> Assembly | None:
    """The next general assembly that has not ended (not cancelled), or else the latest
    one, of those the user may see."""
    assemblies = Assembly.objects.filter(event__in=Event.objects.visible_to(user))
    upcoming = (
        assemblies.filter(event__ends_at__gte=timezone.now(), event__status=Event.Status.SCHEDULED)
        .order_by("event__starts_at", "pk")
        .first()
    )
    return upcoming or assemblies.order_by("-event__starts_at", "-pk").first()


@dataclass
class Year:
    year: int
    assemblies: list[Assembly] = field(default_factory=list)


def assemblies_by_year(*, user: Member) -> list[Year]:
    """Every general assembly the user may see, newest first, grouped by year (Danish
    time): one query."""
    years: list[Year] = []
    for assembly in (
        Assembly.objects.filter(event__in=Event.objects.visible_to(user))
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    ):
        year = timezone.localtime(assembly.event.starts_at).year
        if not years or years[-1].year != year:
            years.append(Year(year=year))
        years[-1].assemblies.append(assembly)
    return years


def preparation_data_of_member(*, member: Member) -> dict:
    """The motions the member proposed, the candidacies they announced and the
    assemblies they chaired, for the GDPR export."""
    return {
        "assemblies_chaired": [
            {"assembly": assembly.event.title, "starts_at": iso_or_none(assembly.event.starts_at)}
            for assembly in Assembly.objects.filter(chair=member)
            .select_related("event")
            .order_by("event__starts_at", "pk")
        ],
        "assembly_motions": [
            {
                "assembly": motion.assembly.event.title,
                "title": motion.title,
                "text": motion.text,
                "reasoning": motion.reasoning,
                "board_recommendation": motion.board_recommendation,
                "submitted_at": iso_or_none(motion.submitted_at),
                "withdrawn_at": iso_or_none(motion.withdrawn_at),
            }
            for motion in Motion.objects.filter(proposer=member)
            .select_related("assembly__event")
            .order_by("submitted_at", "pk")
        ],
        "assembly_candidacies": [
            {
                "assembly": candidacy.item.assembly.event.title,
                "election": candidacy.item.title,
                "statement": candidacy.statement,
                "announced_at": iso_or_none(candidacy.created_at),
                "withdrawn_at": iso_or_none(candidacy.withdrawn_at),
            }
            for candidacy in Candidacy.objects.filter(member=member)
            .select_related("item__assembly__event")
            .order_by("created_at", "pk")
        ],
    }
