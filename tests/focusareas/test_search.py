"""Danish full-text search: the same hits on PostgreSQL (its `danish` configuration)
and on SQLite (stems from core.search in an FTS5 table)."""

import pytest
from django.db import connection
from django.urls import reverse

from core.search import danish_stems
from focusareas.models import Contribution
from tests.focusareas.factories import ContributionFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL itself (set DATABASE_URL)"
)

# A word searched for, and an inflection of it a contribution uses.
INFLECTION_PAIRS = [
    ("plejecenter", "plejecentrene"),
    ("kommune", "kommunernes"),
    ("ældre", "ældres"),
    ("frivillig", "frivillige"),
]


def _titles(query: str) -> set[str]:
    return {c.title for c in Contribution.objects.published().search(query)}


@pytest.mark.parametrize(("searched", "written"), INFLECTION_PAIRS)
def test_a_word_finds_its_inflection(searched, written):
    ContributionFactory(title=f"Erfaringer med {written}", body="Det gik godt.")
    ContributionFactory(title="Budget", body="Intet om emnet.")
    assert _titles(searched) == {f"Erfaringer med {written}"}


@pytest.mark.parametrize(
    ("searched", "written"), [(w, s) for s, w in INFLECTION_PAIRS if s != "plejecenter"]
)
def test_an_inflection_finds_the_word(searched, written):
    ContributionFactory(title="Om emnet", body=f"Vi talte om {written} i går.")
    assert _titles(searched) == {"Om emnet"}


def test_every_word_must_match_in_title_or_body():
    ContributionFactory(title="Frivillige i Holbæk", body="Foreninger hjælper.")
    ContributionFactory(title="Andet", body="Frivillige uden foreninger? Nej.")
    ContributionFactory(title="Kun frivillige", body="Intet om det andet.")
    assert _titles("frivillig forening") == {"Frivillige i Holbæk", "Andet"}


def test_stop_words_are_ignored_and_only_stop_words_find_nothing():
    ContributionFactory(title="Ældre og frivillige", body="Sammen.")
    assert _titles("ældre og de frivillige") == {"Ældre og frivillige"}
    assert _titles("og i at") == set()
    assert Contribution.objects.published().search("   ").count() == 1


def test_the_index_follows_edits_and_deletions():
    contribution = ContributionFactory(title="Budget", body="Tal og tabeller.")
    assert _titles("plejecenter") == set()
    Contribution.objects.filter(pk=contribution.pk).update(body="Om plejecentrene.")
    assert _titles("plejecenter") == {"Budget"}
    contribution.delete()
    assert _titles("plejecenter") == set()


def test_query_syntax_is_only_words():
    ContributionFactory(title="Frivillige", body="Godt.")
    for query in [
        '"frivillig',
        "frivillig*",
        "-frivillig'",
        "frivillig:* & !",
        "(frivillig",
    ]:
        assert _titles(query) == {"Frivillige"}, query


def test_the_list_page_searches_with_stemming(member_client):
    ContributionFactory(title="Om at være frivillig", body="En god dag.")
    ContributionFactory(title="Budget", body="Intet om emnet.")
    content = member_client.get(
        reverse("focusareas:contribution_list") + "?q=frivillige"
    ).content.decode()
    assert "Om at være frivillig" in content and "Budget" not in content


@pytest.mark.postgres
@on_postgresql
def test_python_stems_as_postgresql_does():
    text = (
        "Kommunernes plejecentre og de ældres hverdag: frivillige foreninger hjælper borgerne, "
        "og direktionen følger udviklingen i Holbæk Kommune tæt."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('danish', %s))", [text])
        (lexemes,) = cursor.fetchone()
    assert set(danish_stems(text).split()) == set(lexemes)


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
