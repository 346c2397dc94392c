"""The demo's general assembly for `make run`: the demo general-assembly event's agenda
with the accounts as a document, two motions (one with the board's recommendation) and
a candidate for the board; and last year's assembly with its decisions and published
minutes. Deterministic and idempotent: made once, through the services, on the assembly
events' demo made."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from documents import services as document_services
from events import services as event_services
from events.models import Event
from members.demo import DEMO_DOMAIN
from members.models import Member

from . import services
from .models import AgendaItem, Assembly

DEMO_TITLE = "KOMDIR generalforsamling"
LAST_YEAR_TITLE = "KOMDIR generalforsamling, sidste år"
# Who came to last year's assembly, and what it decided under which item.
LAST_YEAR_PRESENT = ["birgitte.holm", "soeren.kragh", "mette.lund", "anders.bech", "lone.dahl"]
LAST_YEAR_DECISIONS = [
    (AgendaItem.Kind.CHAIR, "elected", None, "Søren Kragh blev valgt som dirigent."),
    (AgendaItem.Kind.REPORT, "noted", None, "Beretningen blev taget til efterretning."),
    (AgendaItem.Kind.ACCOUNTS, "adopted", (5, 0, 0), "Regnskabet blev godkendt."),
    (AgendaItem.Kind.FEE, "adopted", (4, 0, 1), "Kontingentet fastholdes uændret."),
]

# A one-page PDF, as small as a PDF can be and still be recognised by its content.
ACCOUNTS_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

MOTIONS = [
    {
        "proposer": "anders.bech",
        "title": "Et fælles netværk for nye kommunaldirektører",
        "text": "Generalforsamlingen pålægger bestyrelsen at oprette et mentornetværk, "
        "hvor erfarne medlemmer tager imod nyudnævnte kommunaldirektører.",
        "reasoning": "Det første år som kommunaldirektør er ensomt. Et netværk gør "
        "erfaringerne tilgængelige fra første dag.",
        "recommendation": "Bestyrelsen anbefaler forslaget og foreslår, at netværket "
        "organiseres gennem kredsene.",
    },
    {
        "proposer": "pia.thygesen",
        "title": "Generalforsamlingen holdes skiftevis øst og vest for Storebælt",
        "text": "Fra næste år holdes generalforsamlingen skiftevis på Sjælland og i Jylland.",
        "reasoning": "Så deler medlemmerne rejsetiden mellem sig.",
        "recommendation": "",
    },
]

CANDIDATE = (
    "lone.dahl",
    "Jeg vil arbejde for, at foreningen bliver stedet, hvor vi deler det, der virker.",
)


def _member(local: str) -> Member | None:
    return Member.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


@transaction.atomic
def seed_last_years_assembly() -> Assembly | None:
    """Last year's assembly, held: who came, what it decided, and its minutes approved
    and published, so that the archive and the decision search have something to show.
    Made once, through the services."""
    if Event.objects.filter(title=LAST_YEAR_TITLE).exists():
        return None
    board = _member("birgitte.holm")
    if board is None:
        return None
    held = timezone.now().replace(hour=13, minute=0, second=0, microsecond=0) - timedelta(days=365)
    event = event_services.event_create(
        actor=None,
        organiser=board,
        kind=Event.Kind.GENERAL_ASSEMBLY,
        title=LAST_YEAR_TITLE,
        starts_at=held,
        ends_at=held + timedelta(hours=3),
        location="Axelborg, København",
        announce=False,  # a year ago: nobody is told now
    )
    assembly = Assembly.objects.get(event=event)
    for local in LAST_YEAR_PRESENT:
        member = _member(local)
        if member is not None:
            services.attendance_check_in(assembly=assembly, member=member, actor=board)
    for kind, outcome, votes, text in LAST_YEAR_DECISIONS:
        votes_for, against, blank = votes or (None, None, None)
        services.decision_record(
            item=assembly.items.get(kind=kind),
            actor=board,
            outcome=outcome,
            votes_for=votes_for,
            votes_against=against,
            votes_blank=blank,
            text=text,
        )
    minutes = services.minutes_draft_generate(assembly=assembly, actor=board)
    minutes = services.minutes_approve(minutes=minutes, actor=board)
    services.minutes_publish(minutes=minutes, announce=False)
    return assembly


@transaction.atomic
def seed_assembly() -> Assembly | None:
    """Fill the demo assembly once; a second run changes nothing."""
    # The demo's own event (the scale data may hold general assemblies of that title).
    event = (
        Event.objects.filter(
            title=DEMO_TITLE,
            kind=Event.Kind.GENERAL_ASSEMBLY,
            organiser__email__endswith=f"@{DEMO_DOMAIN}",
        )
        .order_by("pk")
        .first()
    )
    if event is None:
        return None
    # A demo database loaded before this app came has the event without its assembly.
    assembly = services.assembly_create(actor=None, event=event)
    if assembly.motions.exists() or not services.motions_open(assembly):
        return assembly  # filled already, or a demo loaded so long ago that it is past
    accounts = assembly.items.get(kind=AgendaItem.Kind.ACCOUNTS)
    document = document_services.document_create(
        actor=None,
        event=assembly.event,
        title="Årsregnskab 2026",
        file=ContentFile(ACCOUNTS_PDF, name="aarsregnskab-2026.pdf"),
    )
    services.agenda_item_update(
        actor=None,
        item=accounts,
        title=accounts.title,
        kind=accounts.kind,
        description="Bestyrelsen fremlægger det reviderede regnskab til godkendelse.",
        documents=[document],
    )
    report = assembly.items.get(kind=AgendaItem.Kind.REPORT)
    services.agenda_item_update(
        actor=None,
        item=report,
        title=report.title,
        kind=report.kind,
        description="Formanden aflægger beretning om året, der gik, og de tre fokusområder.",
    )
    for spec in MOTIONS:
        proposer = _member(spec["proposer"])
        if proposer is None:
            continue
        motion = services.motion_submit(
            actor=proposer,
            assembly=assembly,
            title=spec["title"],
            text=spec["text"],
            reasoning=spec["reasoning"],
        )
        if spec["recommendation"]:
            services.motion_recommend(
                actor=None, motion=motion, recommendation=spec["recommendation"]
            )
    local, statement = CANDIDATE
    candidate = _member(local)
    if candidate is not None:
        services.candidacy_announce(
            actor=candidate,
            item=assembly.items.get(kind=AgendaItem.Kind.BOARD_ELECTION),
            statement=statement,
        )
    return assembly
