"""Demo data for `make run`: a board, circle leads and members in every region.

Deterministic: the same names, municipalities and roles every time. Circles places the
people in their circles (circles/demo.py), after this."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from core.text import danish_ascii

from .models import Member, Municipality

DEMO_PASSWORD = "komdir-demo-2025"  # noqa: S105 - printed demo login, development only
DEMO_DOMAIN = "demo.komdir.dk"


@dataclass(frozen=True)
class DemoPerson:
    first_name: str
    last_name: str
    municipality: str
    role: str = "member"  # member | board | lead | admin
    job_title: str = "Kommunaldirektør"

    @property
    def email(self) -> str:
        local = f"{self.first_name}.{self.last_name}".lower()
        local = danish_ascii(local).replace(" ", "-")
        return f"{local}@{DEMO_DOMAIN}"


PEOPLE = [
    DemoPerson("Anne", "Admin", "København", "admin", "Sekretariatschef"),
    DemoPerson("Birgitte", "Holm", "Odense", "board"),
    DemoPerson("Søren", "Kragh", "Gentofte", "lead"),
    DemoPerson("Mette", "Lund", "Aarhus", "lead"),
    DemoPerson("Anders", "Bech", "Frederiksberg"),
    DemoPerson("Lone", "Dahl", "Helsingør"),
    DemoPerson("Jesper", "Mortensen", "Hillerød"),
    DemoPerson("Hanne", "Vestergaard", "Bornholm"),
    DemoPerson("Niels", "Kjær", "Roskilde"),
    DemoPerson("Tina", "Frost", "Næstved"),
    DemoPerson("Klaus", "Ebbesen", "Holbæk", "member", "Direktør"),
    DemoPerson("Pia", "Thygesen", "Kolding"),
    DemoPerson("Morten", "Skov", "Esbjerg"),
    DemoPerson("Camilla", "Brandt", "Sønderborg"),
    DemoPerson("Rasmus", "Winther", "Vejle"),
    DemoPerson("Gitte", "Nørgaard", "Herning"),
    DemoPerson("Henrik", "Lauridsen", "Silkeborg"),
    DemoPerson("Dorthe", "Bisgaard", "Randers"),
    DemoPerson("Jens", "Overgaard", "Aalborg"),
    DemoPerson("Susanne", "Riis", "Hjørring"),
    DemoPerson("Torben", "Mikkelsen", "Thisted"),
    DemoPerson("Ulla", "Fogh", "Frederikshavn"),
    DemoPerson("Peter", "Hvidt", "Læsø", "member", "Kommunaldirektør (konstitueret)"),
]


@transaction.atomic
def seed_people() -> list[tuple[DemoPerson, Member]]:
    """Create the demo people once; a second run changes nothing."""
    board, _ = Group.objects.get_or_create(name=settings.BOARD_GROUP_NAME)
    municipalities = {m.name: m for m in Municipality.objects.select_related("region")}
    created = []
    for person in PEOPLE:
        member = Member.objects.filter(email=person.email).first()
        if member is None:
            member = Member.objects.create_user(
                email=person.email,
                password=DEMO_PASSWORD,
                first_name=person.first_name,
                last_name=person.last_name,
                job_title=person.job_title,
                municipality=municipalities[person.municipality],
                is_staff=person.role == "admin",
                is_superuser=person.role == "admin",
                bio=(
                    f"{person.job_title} i {person.municipality} Kommune. "
                    "Optaget af tværgående ledelse, økonomi og samarbejdet med civilsamfundet."
                ),
            )
            EmailAddress.objects.create(
                user=member, email=member.email, verified=True, primary=True
            )
            if person.role == "board":
                member.groups.add(board)
        created.append((person, member))
    return created
