"""Bulk demo members for `seed_demo --scale N`: 100·N members over the 98 municipalities,
each with a verified email address (circles/scale.py places them in their circles).

Bulk inserts only (no services, no mail, no signals): this is test data for measuring
the portal at scale, not a way to create real members."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.text import danish_ascii

from .demo import DEMO_PASSWORD
from .models import Member, Municipality

SCALE_DOMAIN = "scale.komdir.dk"
MEMBERS_PER_SCALE = 100
BATCH_SIZE = 2000

FIRST_NAMES = [
    "Anne", "Birgitte", "Camilla", "Dorthe", "Eva", "Gitte", "Hanne", "Inge", "Karen",
    "Lene", "Lone", "Maria", "Mette", "Pia", "Susanne", "Tina", "Ulla", "Vibeke",
    "Anders", "Bo", "Christian", "Jens", "Jesper", "Kasper", "Klaus", "Lars", "Martin",
    "Michael", "Morten", "Niels", "Ole", "Peter", "Rasmus", "Søren", "Thomas", "Torben",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Bech", "Christensen", "Dahl", "Frost", "Hansen", "Holm", "Jensen",
    "Jørgensen", "Kjær", "Larsen", "Lund", "Madsen", "Mortensen", "Møller", "Nielsen",
    "Olsen", "Pedersen", "Poulsen", "Rasmussen", "Riis", "Skov", "Sørensen", "Thomsen",
    "Vestergaard", "Winther",
]  # fmt: skip
JOB_TITLES = [
    "Kommunaldirektør",
    "Kommunaldirektør",
    "Kommunaldirektør",
    "Direktør for social og sundhed",
    "Direktør for børn og unge",
    "Direktør for teknik og miljø",
    "Økonomidirektør",
    "Vicekommunaldirektør",
]
BIO_INTERESTS = [
    "tværgående ledelse",
    "økonomistyring",
    "samarbejdet med civilsamfundet",
    "rekruttering og fastholdelse",
    "digitalisering",
    "frisættelse af velfærden",
    "den grønne omstilling",
]


def _ascii(text: str) -> str:
    return danish_ascii(text).replace(" ", "-").lower()


def scale_data_present() -> bool:
    """Whether `seed_demo --scale N` (N > 1) has already loaded its members."""
    return Member.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").exists()


def scale_members_create(*, rng: random.Random, scale: int) -> list[Member]:
    """Create 100·scale members and their verified addresses."""
    # One hash for everyone: hashing 10,000 passwords with Argon2 would take minutes.
    password_hash = make_password(DEMO_PASSWORD)
    municipalities = list(Municipality.objects.order_by("code"))
    now = timezone.now()
    members = []
    for number in range(MEMBERS_PER_SCALE * scale):
        municipality = municipalities[number % len(municipalities)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        job_title = rng.choice(JOB_TITLES)
        members.append(
            Member(
                email=f"{_ascii(first)}.{_ascii(last)}.{number}@{SCALE_DOMAIN}",
                password=password_hash,
                first_name=first,
                last_name=last,
                job_title=job_title,
                municipality=municipality,
                phone=f"+45 {rng.randint(20000000, 99999999)}",
                bio=(
                    f"{job_title} i {municipality.name} Kommune. "
                    f"Optaget af {rng.choice(BIO_INTERESTS)} og {rng.choice(BIO_INTERESTS)}."
                ),
                member_since=(now - timedelta(days=rng.randint(0, 3650))).date(),
                date_joined=now,
            )
        )
    Member.objects.bulk_create(members, batch_size=BATCH_SIZE)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members],
        batch_size=BATCH_SIZE,
    )
    return members
