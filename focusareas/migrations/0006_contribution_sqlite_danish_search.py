"""Danish full-text search on SQLite (the embedded default): an FTS5 table of each
contribution's title and body stemmed by core.search, kept by triggers through every
kind of write (bulk ones too). PostgreSQL searches its GIN-indexed expression (0003)
and gets nothing here."""

from django.db import migrations

# Written out, not formatted: the statements are fixed text.
CREATE = [
    "CREATE VIRTUAL TABLE focusareas_contribution_search"
    " USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0')",
    """CREATE TRIGGER focusareas_contribution_search_insert
    AFTER INSERT ON focusareas_contribution BEGIN
        INSERT INTO focusareas_contribution_search (rowid, stems)
        VALUES (new.id, komdir_danish_stems(new.title || ' ' || new.body));
    END""",
    """CREATE TRIGGER focusareas_contribution_search_update
    AFTER UPDATE OF title, body ON focusareas_contribution BEGIN
        UPDATE focusareas_contribution_search
        SET stems = komdir_danish_stems(new.title || ' ' || new.body) WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER focusareas_contribution_search_delete
    AFTER DELETE ON focusareas_contribution BEGIN
        DELETE FROM focusareas_contribution_search WHERE rowid = old.id;
    END""",
    """INSERT INTO focusareas_contribution_search (rowid, stems)
    SELECT id, komdir_danish_stems(title || ' ' || body) FROM focusareas_contribution""",
]
DROP = [
    "DROP TRIGGER IF EXISTS focusareas_contribution_search_insert",
    "DROP TRIGGER IF EXISTS focusareas_contribution_search_update",
    "DROP TRIGGER IF EXISTS focusareas_contribution_search_delete",
    "DROP TABLE IF EXISTS focusareas_contribution_search",
]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("focusareas", "0005_contribution_submission_token")]

    operations = [migrations.RunPython(_on_sqlite(CREATE), _on_sqlite(DROP))]
