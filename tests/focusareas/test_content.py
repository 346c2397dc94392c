# ruff: noqa: E501 - the guiding questions are kept whole, as the seed has them
"""The association's own text, from the seed, verbatim; what visitors see."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from focusareas.models import FocusArea, GuidingQuestion, Page, StrategyPeriod
from tests.focusareas.factories import ContributionFactory, FocusAreaFactory, StrategyPeriodFactory

pytestmark = pytest.mark.django_db

# The association's own text, kept in the repository beside the app it seeds.
SEED = (
    Path(__file__).resolve().parents[2]
    / "focusareas"
    / "seed"
    / "komdir-fokusomraader-2023-2025.txt"
)

GUIDING_QUESTIONS = {
    "borgernaer-velfaerd-og-frisaettelse": [
        "Hvordan lykkedes vi som samfund med at fremtidssikre velfærdssamfundet i en situation med demografiske udfordringer og stigende forventningspres?",
        "Hvordan sikrer vi den lokaldemokratiske samtale og forankring om fremtidens velfærdssamfund og udvikling af borgernær velfærd?",
        "Hvordan bidrager vi til, at de mange komplicerede balancer i frisættelsen, indgår som centrale parametre i debatten og implementeringen?",
    ],
    "faerre-ressourcer-flere-opgaver": [
        "Hvordan tiltrækker og fastholder vi medarbejdere og ledere til kommunerne nu og i fremtiden?",
        "Hvordan kan de teknologiske og digitale løsninger indgå som en del af svaret, uden at kompromittere grundlæggende menneskelige værdier?",
        "Hvordan leder, styrer og organiserer vi levering af kommunale opgaver på en måde, som bidrager positivt på mulighederne for at rekruttere og fastholde medarbejdere?",
    ],
    "civilsamfund": [
        "Hvilke civilsamfundsaktiviteter kan supplere de kommunale opgaver?",
        "Hvilke muligheder og udfordringer rejser et tættere samarbejde med civilsamfundsaktører?",
        "Hvordan kan vi medvirke til at videreudvikle operationelle modeller for samarbejdet, der kan bruges i den kommunale hverdag?",
    ],
}
ALL_QUESTIONS = [(slug, q) for slug, questions in GUIDING_QUESTIONS.items() for q in questions]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_expected_questions_are_the_seeds_own_words():
    """Guards the expectations below: each is in the seed once its line breaks are undone."""
    seed = squash(SEED.read_text(encoding="utf-8"))
    for _slug, question in ALL_QUESTIONS:
        assert question in seed


@pytest.mark.parametrize(("slug", "question"), ALL_QUESTIONS)
def test_each_guiding_question_appears_word_for_word_on_its_public_page(client, slug, question):
    response = client.get(reverse("focusareas:detail", args=[slug]))
    assert response.status_code == 200
    assert question in squash(response.content.decode())


def test_the_seed_holds_three_focus_areas_with_three_questions_each_in_2023_2025():
    period = StrategyPeriod.objects.get(slug="2023-2025")
    areas = list(period.focus_areas.order_by("number"))
    assert [a.title for a in areas] == [
        "Udvikling af den borgernære velfærd og frisættelse",
        "Færre ressourcer til flere og mere komplekse opgaver",
        "Civilsamfund",
    ]
    for area in areas:
        texts = list(area.questions.current().values_list("text", flat=True))
        assert texts == GUIDING_QUESTIONS[area.slug]
    assert GuidingQuestion.objects.count() == 9


def test_the_purpose_comes_from_the_database_in_danish(client):
    response = client.get(reverse("about"))
    content = squash(response.content.decode())
    assert "KOMDIR er et forum for kommunale topchefer" in content
    assert "at vi lykkes som forening" in content
    assert 'lang="da"' in content
    page = Page.objects.get(slug="om")
    page.body = "Ny formålsbeskrivelse fra bestyrelsen."
    page.save()
    assert "Ny formålsbeskrivelse" in client.get(reverse("about")).content.decode()


def test_the_landing_page_shows_the_three_focus_areas_to_visitors(client):
    content = client.get(reverse("home")).content.decode()
    for area in FocusArea.objects.filter(period__slug="2023-2025"):
        assert area.title in content
        assert area.get_absolute_url() in content


def test_visitors_see_no_contribution_and_no_member_name(client, civilsamfund):
    contribution = ContributionFactory(
        title="Hemmelig erfaring", tags=["Civilsamfund"], author__first_name="Ingeborg"
    )
    question = civilsamfund.questions.current().first()
    contribution.guiding_question = question
    contribution.save()
    for url in (
        reverse("home"),
        reverse("about"),
        reverse("focusareas:list"),
        civilsamfund.get_absolute_url(),
    ):
        content = client.get(url).content.decode()
        assert "Hemmelig erfaring" not in content, url
        assert contribution.author.get_full_name() not in content, url
    for url in (
        reverse("focusareas:contribution_list"),
        contribution.get_absolute_url(),
        reverse("focusareas:tag_detail", args=["civilsamfund"]),
    ):
        assert client.get(url).status_code == 302, url


def test_the_newest_period_is_shown_first_and_earlier_ones_stay_as_an_archive(client):
    newer = StrategyPeriodFactory(title="Fokusområder 2026-2028", slug="2026-2028")
    FocusAreaFactory(period=newer, number=1, title="Klimatilpasning", slug="klimatilpasning")
    content = client.get(reverse("focusareas:list")).content.decode()
    assert content.index("Fokusområder 2026-2028") < content.index("Fokusområder 2023-2025")
    assert "Klimatilpasning" in content and "Civilsamfund" in content
    assert client.get(reverse("focusareas:detail", args=["civilsamfund"])).status_code == 200
    assert "Klimatilpasning" in client.get(reverse("home")).content.decode()


def test_the_demo_puts_contributions_and_comments_under_every_focus_area_once():
    from circles.demo import seed_circle_memberships
    from focusareas.demo import seed_contributions
    from focusareas.models import Comment, Contribution
    from members.demo import seed_people

    seed_circle_memberships(seed_people())
    assert seed_contributions() == 9
    assert seed_contributions() == 0, "idempotent"
    for area in FocusArea.objects.filter(period__slug="2023-2025"):
        assert Contribution.objects.published().in_focus_area(area).count() >= 3
    assert Comment.objects.count() == 4
