"""Reads for the assembly's day: who carries each member municipality's vote, the
attendance register, the proxies, the decisions and the minutes."""

from dataclasses import dataclass, field

from django.db.models import Q

from members.models import Member, Municipality, active_member_q

from ..models import (
    Assembly,
    Attendance,
    Decision,
    Election,
    Minutes,
    MinutesVersion,
    Proxy,
)

__all__ = [
    "ATTENDANCE_ROWS_SHOWN",
    "DECISION_RESULTS_SHOWN",
    "AttendanceRow",
    "MunicipalityVote",
    "VoteCount",
    "assembly_decisions",
    "assembly_for_day",
    "assembly_proxies",
    "assembly_votes",
    "attendance_rows",
    "day_data_of_member",
    "decision_search",
    "minutes_versions",
    "proxies_held_by",
    "proxy_holder_choices",
    "proxy_of_giver",
]

ATTENDANCE_ROWS_SHOWN = 250
DECISION_RESULTS_SHOWN = 50


def assembly_for_day(*, event_id: int) -> Assembly | None:
    """The assembly of the event, with its event, chair and minutes (or None)."""
    return (
        Assembly.objects.select_related("event", "chair", "minutes")
        .filter(event_id=event_id)
        .first()
    )


# --- Votes ------------------------------------------------------------------------------

PRESENT, DEPUTY, PROXY, ABSENT = "present", "deputy", "proxy", "absent"


@dataclass
class MunicipalityVote:
    """Who carries one member municipality's vote, and how: present (a counted member of
    it checked in), deputy (the member absent, their deputy checked in), proxy (an active
    proxy from one of its members whose holder is checked in) or absent."""

    municipality: Municipality
    how: str
    carried_by: Member | None = None

    @property
    def counts(self) -> bool:
        return self.how != ABSENT


@dataclass
class VoteCount:
    municipalities: list[MunicipalityVote]
    present: int
    represented: int
    quorum: int | None
    # The people checked in, and the active proxies by giver, for the register's rows.
    checked_in: set[int] = field(default_factory=set)
    proxies_by_giver: dict[int, Proxy] = field(default_factory=dict)

    @property
    def votes(self) -> int:
        return self.present + self.represented

    @property
    def total(self) -> int:
        return len(self.municipalities)

    @property
    def quorum_met(self) -> bool:
        return self.quorum is None or self.votes >= self.quorum


def assembly_votes(*, assembly: Assembly) -> VoteCount:
    """Every member municipality's one vote and who carries it, however many of it are
    present; the totals present and represented; whether the quorum is met. Three
    queries, whatever the numbers."""
    municipalities = list(
        Municipality.objects.filter(
            pk__in=Member.objects.counted().values("municipality_id")
        ).order_by("name")
    )
    attendance = list(
        Attendance.objects.filter(assembly=assembly)
        .filter(active_member_q("member__"))
        .select_related("member__deputy_for")
    )
    proxies = list(
        Proxy.objects.filter(assembly=assembly, withdrawn_at__isnull=True).select_related(
            "giver", "holder"
        )
    )
    checked_in = {row.member_id for row in attendance}
    present: dict[int, Member] = {}
    by_deputy: dict[int, Member] = {}
    for row in attendance:
        person = row.member
        if not person.is_deputy:
            if person.municipality_id is not None:
                present.setdefault(person.municipality_id, person)
            continue
        # A deputy carries the vote of the member they stand in for, and only then.
        member = person.deputy_for
        if (
            member is not None
            and member.is_active
            and member.status == Member.Status.ACTIVE
            and member.municipality_id is not None
        ):
            by_deputy.setdefault(member.municipality_id, person)
    by_proxy: dict[int, Member] = {}
    for proxy in proxies:
        giver = proxy.giver
        if (
            proxy.holder_id in checked_in
            and giver.is_active
            and giver.status == Member.Status.ACTIVE
            and not giver.is_deputy
            and giver.municipality_id is not None
        ):
            by_proxy.setdefault(giver.municipality_id, proxy.holder)
    votes = []
    for municipality in municipalities:
        for how, carriers in ((PRESENT, present), (DEPUTY, by_deputy), (PROXY, by_proxy)):
            if municipality.pk in carriers:
                votes.append(MunicipalityVote(municipality, how, carriers[municipality.pk]))
                break
        else:
            votes.append(MunicipalityVote(municipality, ABSENT))
    return VoteCount(
        municipalities=votes,
        present=sum(vote.how == PRESENT for vote in votes),
        represented=sum(vote.how in (DEPUTY, PROXY) for vote in votes),
        quorum=assembly.quorum,
        checked_in=checked_in,
        proxies_by_giver={proxy.giver_id: proxy for proxy in proxies},
    )


# --- The attendance register ------------------------------------------------------------


@dataclass
class AttendanceRow:
    """One person of the register: a counted member or a member's deputy."""

    person: Member
    checked_in: bool
    # For a member not checked in: the proxy's holder, or their deputy, when checked in.
    proxy_holder: Member | None = None
    deputy_present: bool = False

    @property
    def status(self) -> str:
        if self.checked_in:
            return PRESENT
        if self.deputy_present:
            return DEPUTY
        if self.proxy_holder is not None:
            return PROXY
        return ABSENT


def attendance_rows(*, votes: VoteCount, query: str = "", member_ids: list[int] | None = None):
    """The register's people (counted members and the deputies of counted members), in
    name order, searched by name, job title or municipality; at most ATTENDANCE_ROWS_SHOWN
    (and whether there were more). One query."""
    people = (
        Member.objects.filter(
            active_member_q()
            & (Q(is_deputy=False) | Q(deputy_for__in=Member.objects.counted().values("pk")))
        )
        .select_related("municipality", "deputy_for", "deputy")
        .order_by("first_name", "last_name", "pk")
    )
    if member_ids is not None:
        people = people.filter(pk__in=member_ids)
    if query:
        people = people.search(query)
    people = list(people[: ATTENDANCE_ROWS_SHOWN + 1])
    rows = []
    for person in people[:ATTENDANCE_ROWS_SHOWN]:
        row = AttendanceRow(person=person, checked_in=person.pk in votes.checked_in)
        if not person.is_deputy and not row.checked_in:
            deputy = getattr(person, "deputy", None)
            row.deputy_present = deputy is not None and deputy.pk in votes.checked_in
            proxy = votes.proxies_by_giver.get(person.pk)
            if proxy is not None and proxy.holder_id in votes.checked_in:
                row.proxy_holder = proxy.holder
        rows.append(row)
    return rows, len(people) > ATTENDANCE_ROWS_SHOWN


# --- Proxies ----------------------------------------------------------------------------


def assembly_proxies(*, assembly: Assembly):
    """The assembly's active proxies, by the giver's municipality and name."""
    return (
        Proxy.objects.filter(assembly=assembly, withdrawn_at__isnull=True)
        .select_related("giver__municipality", "holder__municipality")
        .order_by("giver__municipality__name", "giver__first_name", "giver__last_name", "pk")
    )


def proxy_of_giver(*, assembly: Assembly, giver: Member) -> Proxy | None:
    """The giver's active proxy, with its holder."""
    return (
        Proxy.objects.filter(assembly=assembly, giver=giver, withdrawn_at__isnull=True)
        .select_related("holder__municipality")
        .first()
    )


def proxies_held_by(*, assembly: Assembly, holder: Member) -> list[Proxy]:
    return list(
        Proxy.objects.filter(
            assembly=assembly, holder=holder, withdrawn_at__isnull=True
        ).select_related("giver__municipality")
    )


def proxy_holder_choices(*, giver: Member):
    """Whom a member can give a proxy to: the other counted members, by name."""
    return (
        Member.objects.counted()
        .exclude(pk=giver.pk)
        .select_related("municipality")
        .order_by("first_name", "last_name", "pk")
    )


# --- Decisions --------------------------------------------------------------------------


def assembly_decisions(*, assembly: Assembly):
    """The assembly's decisions in agenda order, with their item, motion and elections."""
    return (
        Decision.objects.filter(item__assembly=assembly)
        .select_related("item", "motion")
        .prefetch_related("elections__member")
        .order_by("item__position", "item__pk", "recorded_at", "pk")
    )


def decision_search(*, query: str, published_only: bool = True):
    """Decisions of every assembly whose text, item title or motion title contains the
    query, newest assembly first; at most DECISION_RESULTS_SHOWN. Members search the
    assemblies whose minutes are published; the board (published_only=False) all."""
    query = query.strip()
    if not query:
        return Decision.objects.none()
    decisions = Decision.objects.all()
    if published_only:
        decisions = decisions.filter(item__assembly__minutes__published_at__isnull=False)
    return (
        decisions.filter(
            Q(text__icontains=query)
            | Q(item__title__icontains=query)
            | Q(motion__title__icontains=query)
        )
        .select_related("item__assembly__event", "motion")
        .order_by("-item__assembly__event__starts_at", "item__position", "pk")[
            :DECISION_RESULTS_SHOWN
        ]
    )


# --- Minutes ----------------------------------------------------------------------------


def minutes_versions(*, minutes: Minutes | None, limit: int = 20) -> list[MinutesVersion]:
    if minutes is None:
        return []
    return list(minutes.versions.select_related("author").order_by("-created_at", "-pk")[:limit])


# --- GDPR -------------------------------------------------------------------------------


def day_data_of_member(*, member: Member) -> dict:
    """The member's part of the assembly's day: proxies given and held, attendance,
    elections, minutes versions written."""

    def proxy(row: Proxy) -> dict:
        return {
            "assembly": str(row.assembly),
            "given_by": str(row.giver),
            "held_by": str(row.holder),
            "given": row.created_at.isoformat(),
            "withdrawn": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }

    proxies = Proxy.objects.select_related("assembly__event", "giver", "holder")
    return {
        "assemblies_chaired": [
            str(assembly)
            for assembly in Assembly.objects.filter(chair=member).select_related("event")
        ],
        "assembly_proxies_given": [proxy(p) for p in proxies.filter(giver=member)],
        "assembly_proxies_held": [proxy(p) for p in proxies.filter(holder=member)],
        "assembly_attendance": [
            {"assembly": str(row.assembly), "checked_in": row.checked_in_at.isoformat()}
            for row in Attendance.objects.filter(member=member).select_related("assembly__event")
        ],
        "assembly_elections": [
            {
                "assembly": str(row.decision.item.assembly),
                "name": row.name,
                "role": row.get_role_display(),
                "term_until": row.term_until.isoformat() if row.term_until else None,
            }
            for row in Election.objects.filter(member=member).select_related(
                "decision__item__assembly__event"
            )
        ],
        "assembly_minutes_versions": [
            {
                "assembly": str(row.minutes.assembly),
                "saved": row.created_at.isoformat(),
                "text": row.text,
            }
            for row in MinutesVersion.objects.filter(author=member).select_related(
                "minutes__assembly__event"
            )
        ],
    }
