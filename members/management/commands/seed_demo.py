from django.core.management.base import BaseCommand, CommandError

from events.demo import seed_events
from focusareas.demo import seed_contributions
from members.demo import DEMO_PASSWORD, seed_people


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 is the demo of `make run`.")

    def handle(self, *args, scale: int, **options):
        if scale != 1:
            raise CommandError("Only --scale 1 is available so far.")
        people = seed_people()
        seed_events()
        seed_contributions()
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
