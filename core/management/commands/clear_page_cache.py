from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.page_cache import page_cache_clear


class Command(BaseCommand):
    help = (
        "Make every cached page stale (public and members' pages), for when the database "
        "changed behind the portal's back, as after a restore."
    )

    def handle(self, *args, **options) -> None:
        page_cache_clear()
        self.stdout.write(_("Every cached page is stale now."))
