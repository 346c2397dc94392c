"""Full-text search: Danish stemming on PostgreSQL, a substring match elsewhere."""

import pytest
from django.db import connection
from django.urls import reverse

from focusareas.models import Contribution
from tests.focusareas.factories import ContributionFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Danish full-text search needs PostgreSQL (set DATABASE_URL); SQLite has no stemming",
)


@pytest.mark.postgres
@on_postgresql
def test_frivillige_finds_frivillig_through_danish_stemming(member_client):
    ContributionFactory(title="Om at være frivillig", body="En god dag.")
    ContributionFactory(title="Budget", body="Intet om emnet.")
    found = Contribution.objects.published().search("frivillige")
    assert [c.title for c in found] == ["Om at være frivillig"]
    content = member_client.get(
        reverse("focusareas:contribution_list") + "?q=frivillige"
    ).content.decode()
    assert "Om at være frivillig" in content and "Budget" not in content


@pytest.mark.postgres
@on_postgresql
def test_the_danish_search_index_exists_and_matches_the_query_expression():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["focusareas_contribution_danish_search"],
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "'danish'" in definition
    ContributionFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = Contribution.objects.search("frivillige").values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "focusareas_contribution_danish_search" in plan


def test_the_fallback_search_matches_every_word_anywhere_in_title_or_body():
    ContributionFactory(title="Frivillige i Holbæk", body="Foreninger hjælper.")
    ContributionFactory(title="Andet", body="Frivillige uden foreninger? Nej.")
    ContributionFactory(title="Budget", body="Intet")
    found = {c.title for c in Contribution.objects.search("frivillige foreninger")}
    assert found == {"Frivillige i Holbæk", "Andet"}
