"""A GIN index for Danish full-text search on contributions, on PostgreSQL only (the
expression must stay the one ContributionQuerySet.search uses). SQLite searches with
a plain substring match and gets no index."""

from django.db import migrations

INDEX = "focusareas_contribution_danish_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON focusareas_contribution "
        "USING gin (to_tsvector('danish', title || ' ' || body))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("focusareas", "0002_seed_strategy_2023_2025")]

    operations = [migrations.RunPython(create_index, drop_index)]
