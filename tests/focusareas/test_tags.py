"""Tags link contributions to focus areas."""

import pytest
from django.urls import reverse

from focusareas import services
from focusareas.models import Contribution
from tests.conftest import login
from tests.focusareas.factories import ContributionFactory

pytestmark = pytest.mark.django_db


def test_a_contribution_appears_under_every_focus_area_owning_one_of_its_tags(
    civilsamfund, frisaettelse
):
    contribution = ContributionFactory(tags=["frivillighed", "Lokaldemokrati"])
    assert contribution in Contribution.objects.in_focus_area(civilsamfund)
    assert contribution in Contribution.objects.in_focus_area(frisaettelse)
    assert ContributionFactory(tags=["Noget andet"]) not in Contribution.objects.in_focus_area(
        civilsamfund
    )


def test_adding_and_removing_a_focus_areas_tag_moves_a_contribution_onto_and_off_its_page(
    member_client, board_member, civilsamfund
):
    contribution = ContributionFactory(title="Fælles spisning i landsbyen", tags=["Landsbyliv"])
    page = civilsamfund.get_absolute_url()
    assert "Fælles spisning" not in member_client.get(page).content.decode()

    def set_area_tags(names):
        services.focusarea_update(
            focus_area=civilsamfund,
            author=board_member,
            title=civilsamfund.title,
            summary=civilsamfund.summary,
            body=civilsamfund.body,
            questions=[
                services.QuestionInput(id=q.pk, text=q.text)
                for q in civilsamfund.questions.current()
            ],
            tags=names,
        )

    set_area_tags(["Civilsamfund", "landsbyliv"])
    assert "Fælles spisning" in member_client.get(page).content.decode()
    set_area_tags(["Civilsamfund"])
    assert "Fælles spisning" not in member_client.get(page).content.decode()

    contribution.tags.add("Civilsamfund")
    assert "Fælles spisning" in member_client.get(page).content.decode()
    contribution.tags.remove("Civilsamfund")
    assert "Fælles spisning" not in member_client.get(page).content.decode()


def test_the_focus_area_page_shows_each_question_with_the_contributions_answering_it(
    member_client, civilsamfund
):
    first, second, _third = civilsamfund.questions.current().order_by("ordering")
    ContributionFactory(title="Svar på det andet", guiding_question=second, tags=["Civilsamfund"])
    content = member_client.get(civilsamfund.get_absolute_url()).content.decode()
    second_at = content.index(second.text)
    assert content.index(first.text) < second_at < content.index("Svar på det andet")
    assert content.index("Svar på det andet") < content.index(_third.text)


def test_the_tag_page_lists_focus_areas_and_contributions_with_the_tag(member_client, civilsamfund):
    ContributionFactory(title="Foreningsliv i Thisted", tags=["Foreninger"])
    content = member_client.get(
        reverse("focusareas:tag_detail", args=["foreninger"])
    ).content.decode()
    assert "Foreningsliv i Thisted" in content and civilsamfund.title in content
    assert (
        member_client.get(reverse("focusareas:tag_detail", args=["findes-ikke"])).status_code == 404
    )


def test_tag_suggestions_offer_the_focus_areas_tags_first_then_free_tags(member_client):
    ContributionFactory(tags=["Frivillige brandmænd"])
    url = reverse("focusareas:tag_suggestions")
    empty = member_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in empty, "a partial"
    assert "Frisættelse" in empty and "Frivillighed" in empty
    typed = member_client.get(url, {"tags": "Lokaldemokrati, friv"}).content.decode()
    assert typed.index("Frivillighed") < typed.index("Frivillige brandmænd")
    assert "Lokaldemokrati" not in typed


def test_a_member_shares_a_contribution_with_new_and_existing_tags(
    member, member_client, civilsamfund
):
    question = civilsamfund.questions.current().first()
    response = member_client.post(
        reverse("focusareas:contribution_create"),
        {
            "title": "Vores frivilligcenter",
            "body": "Vi samlede *alle* foreninger.",
            "guiding_question": str(question.pk),
            "tags": 'frivillighed, "Nyt tag, med komma"',
            "visibility": "members",
            "publish": "",
        },
    )
    contribution = Contribution.objects.get(title="Vores frivilligcenter")
    assert response.status_code == 302 and response.url == contribution.get_absolute_url()
    assert contribution.is_published and contribution.author == member
    assert sorted(contribution.tags.values_list("name", flat=True)) == [
        "Frivillighed",
        "Nyt tag, med komma",
    ]
    login(member_client, member)
    assert (
        "Vores frivilligcenter"
        in member_client.get(civilsamfund.get_absolute_url()).content.decode()
    )


def test_each_question_shows_its_newest_answers_even_when_another_question_has_many(
    member_client, civilsamfund
):
    busy, quiet, _ = civilsamfund.questions.current().order_by("ordering")
    ContributionFactory(title="Det stille svar", guiding_question=quiet)
    for number in range(30):
        ContributionFactory(title=f"Travlt svar {number}", guiding_question=busy)
    content = member_client.get(civilsamfund.get_absolute_url()).content.decode()
    assert "Det stille svar" in content
    answers_to_busy = content[content.index(busy.text) : content.index(quiet.text)]
    assert answers_to_busy.count("Travlt svar") == 5
