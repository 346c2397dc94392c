"""Demo events for `make run`: circle meetings by the demo circle leads, a general
assembly, a professional event with partners, and some answers.

Deterministic and idempotent: each event is found by its title and created once; dates
are relative to the day the demo is first loaded."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from circles.models import Circle
from core.time import COPENHAGEN
from members.demo import DEMO_DOMAIN
from members.models import Member

from . import services
from .models import Event


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


def _member(local: str) -> Member:
    return Member.objects.get(email=f"{local}@{DEMO_DOMAIN}")


DEMO_EVENTS = [
    {
        "organiser": "soeren.kragh",
        "kind": Event.Kind.CIRCLE_MEETING,
        "circle": "hovedstaden",
        "title": "Kredsmøde i Hovedstaden: rekruttering af ledere",
        "days": 9,
        "hours": (9, 12),
        "location": "Gentofte Rådhus, Bernstorffsvej 161, 2920 Charlottenlund",
        "capacity": 12,
        "agenda": "1. Velkomst\n2. Erfaringer med rekruttering af ledere\n3. Næste møde",
        "tags": ["ledelse", "rekruttering"],
        "answers": {"anders.bech": "yes", "lone.dahl": "yes", "jesper.mortensen": "maybe"},
    },
    {
        "organiser": "soeren.kragh",
        "kind": Event.Kind.CIRCLE_MEETING,
        "circle": "hovedstaden",
        "title": "Kredsmøde i Hovedstaden: budget 2027",
        "days": 30,
        "hours": (13, 16),
        "location": "",
        "online_url": "https://meet.example.dk/hovedstaden-budget",
        "agenda": "1. Budgetlægningen set fra direktionen\n2. Erfaringsudveksling",
        "tags": ["økonomi"],
        "answers": {},
    },
    {
        "organiser": "mette.lund",
        "kind": Event.Kind.CIRCLE_MEETING,
        "circle": "midtjylland",
        "title": "Kredsmøde i Midtjylland: klima og grøn omstilling",
        "days": 14,
        "hours": (10, 14),
        "location": "Aarhus Rådhus, Rådhuspladsen 2, 8000 Aarhus C",
        "capacity": 2,
        "agenda": "1. Velkomst\n2. Grøn omstilling i praksis\n3. Frokost",
        "tags": ["grøn omstilling"],
        "answers": {"gitte.noergaard": "yes", "henrik.lauridsen": "yes", "dorthe.bisgaard": "yes"},
    },
    {
        "organiser": "birgitte.holm",
        "kind": Event.Kind.GENERAL_ASSEMBLY,
        "title": "KOMDIR generalforsamling",
        "days": 45,
        "hours": (10, 15),
        "location": "Nyborg Strand, Østerøvej 2, 5800 Nyborg",
        "agenda": "Dagsorden efter vedtægterne:\n\n1. Valg af dirigent\n2. Beretning\n"
        "3. Regnskab\n4. Valg til bestyrelsen\n5. Eventuelt",
        "answers": {"anders.bech": "yes", "pia.thygesen": "maybe", "jens.overgaard": "no"},
    },
    {
        "organiser": "birgitte.holm",
        "kind": Event.Kind.PROFESSIONAL,
        "title": "Fagligt arrangement: data og kunstig intelligens i kommunerne",
        "days": 21,
        "hours": (13, 17),
        "location": "KL-huset, Weidekampsgade 10, 2300 København S",
        "external_partners": "KL\nDigitaliseringsstyrelsen",
        "capacity": 40,
        "agenda": "Oplæg fra partnerne og drøftelse i grupper.",
        "tags": ["digitalisering"],
        "answers": {"morten.skov": "yes", "camilla.brandt": "yes"},
    },
]


@transaction.atomic
def seed_events() -> list[Event]:
    """Create the demo events and answers once; a second run changes nothing."""
    events = []
    for spec in DEMO_EVENTS:
        event = Event.objects.filter(title=spec["title"]).first()
        if event is None:
            start_hour, end_hour = spec["hours"]
            event = services.event_create(
                actor=None,  # seeding is a system action, not the organiser's
                organiser=_member(spec["organiser"]),
                kind=spec["kind"],
                circle=Circle.objects.get(slug=spec["circle"]) if "circle" in spec else None,
                title=spec["title"],
                starts_at=_at(spec["days"], start_hour),
                ends_at=_at(spec["days"], end_hour),
                location=spec["location"],
                online_url=spec.get("online_url", ""),
                external_partners=spec.get("external_partners", ""),
                capacity=spec.get("capacity"),
                agenda=spec["agenda"],
                tags=spec.get("tags", []),
                # `make run` should not open with a console full of invitation mails.
                # Reminders still come when they fall due.
                announce=False,
            )
            for local, answer in spec["answers"].items():
                services.rsvp_answer(event=event, member=_member(local), answer=answer)
        events.append(event)
    return events
