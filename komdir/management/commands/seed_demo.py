"""The demo, and the scale data of benchmarks: each app's own seeders, called in order."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assemblies.demo import seed_assembly, seed_last_years_assembly
from circles.demo import seed_circle_memberships
from circles.scale import scale_circle_memberships_create
from events.demo import seed_events
from events.scale import scale_events_create
from focusareas.demo import seed_contributions
from focusareas.scale import scale_contributions_create
from members.demo import DEMO_PASSWORD, seed_people
from members.scale import scale_data_present, scale_members_create


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent) and print the demo logins. With --scale N > 1, "
        "also bulk-load N times the data of a 100-member association (100·N members, "
        "500·N contributions, 1,500·N comments, 50·N events, 1,000·N RSVPs, 2,000·N "
        "reminders), once: a second --scale run on the same database is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 is the demo of `make run`.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed of the scale data.")

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        people = seed_people()
        seed_circle_memberships(people)
        seed_events()
        seed_assembly()
        seed_last_years_assembly()
        seed_contributions()
        if scale > 1:
            self._load_scale(scale=scale, seed=seed)
        self._print_logins(people)

    def _load_scale(self, *, scale: int, seed: int) -> None:
        # Refused rather than added on top: a second load would double the counts that
        # benchmarks and query budgets rely on. Start from a fresh database instead.
        if scale_data_present():
            raise CommandError(
                "Scale data is already loaded in this database; "
                "drop and migrate it to load another scale."
            )
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            members = scale_members_create(rng=rng, scale=scale)
            scale_circle_memberships_create(members=members)
            self.stdout.write(f"  {len(members)} members ({time.monotonic() - started:.1f} s)")
            scale_contributions_create(rng=rng, scale=scale, members=members)
            self.stdout.write(f"  contributions, comments ({time.monotonic() - started:.1f} s)")
            scale_events_create(rng=rng, scale=scale, members=members)
            self.stdout.write(f"  events, RSVPs, reminders ({time.monotonic() - started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"Scale {scale} loaded in {time.monotonic() - started:.1f} s.")
        )

    def _print_logins(self, people) -> None:
        labels = {
            "admin": "administrator (MFA)",
            "board": "bestyrelse (MFA)",
            "lead": "kredsformand",
            "member": "medlem",
        }
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(people)} people."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        shown_plain_member = False
        for person, member in people:
            if person.role == "member":
                if shown_plain_member:
                    continue
                shown_plain_member = True
            circles = ", ".join(m.circle.name for m in member.circle_memberships.all())
            self.stdout.write(f"  {labels[person.role]:<22} {member.email:<45} {circles}")
