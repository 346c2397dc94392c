from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_search_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from core.search import register_sqlite_functions

        register_sqlite_functions(connection.connection)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Outbox")

    def ready(self):
        # Every SQLite connection, before its first statement: the search table's triggers
        # call the Danish stemmer on each write of a contribution.
        connection_created.connect(_register_search_functions, dispatch_uid="komdir-search")
