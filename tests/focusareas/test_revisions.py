"""The board edits focus-area pages; every save is a revision; nothing is ever lost."""

import pytest
from django.urls import reverse

from focusareas import services
from focusareas.models import FocusAreaRevision
from tests.conftest import login
from tests.focusareas.factories import ContributionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def edit_data(
    focus_area, *, title=None, questions=None, tags="Civilsamfund, Frivillighed", **extra
):
    current = list(focus_area.questions.current().order_by("ordering"))
    questions = questions if questions is not None else [(q.pk, q.text) for q in current]
    data = {
        "title": title or focus_area.title,
        "summary": focus_area.summary,
        "body": focus_area.body,
        "tags": tags,
        "note": "",
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(len(current)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "save": "",
    }
    for index, (question_id, text) in enumerate(questions):
        data[f"questions-{index}-id"] = question_id or ""
        data[f"questions-{index}-text"] = text
        data[f"questions-{index}-ORDER"] = str(index + 1)
    data.update(extra)
    return data


def test_only_the_board_opens_the_editor_and_the_history(client, civilsamfund, board_member):
    edit = reverse("focusareas:edit", args=[civilsamfund.slug])
    history = reverse("focusareas:history", args=[civilsamfund.slug])
    login(client, MemberFactory())
    assert client.get(edit).status_code == 403
    assert client.get(history).status_code == 403
    assert client.post(edit, edit_data(civilsamfund, title="Kapret")).status_code == 403
    client.logout()
    login(client, board_member, mfa=True)
    assert client.get(edit).status_code == 200
    assert client.get(history).status_code == 200


def test_a_preview_renders_the_change_and_saves_nothing(board_client, civilsamfund):
    url = reverse("focusareas:edit", args=[civilsamfund.slug])
    data = edit_data(civilsamfund, title="Civilsamfund og fællesskaber", body="**Fed tekst**")
    del data["save"]
    data["preview"] = ""
    response = board_client.post(url, data)
    assert response.status_code == 200
    assert "<strong>Fed tekst</strong>" in response.content.decode()
    civilsamfund.refresh_from_db()
    assert civilsamfund.title == "Civilsamfund"
    assert civilsamfund.revisions.count() == 1


def test_saving_edits_questions_and_tags_and_keeps_a_revision(
    board_client, board_member, civilsamfund
):
    questions = list(civilsamfund.questions.current().order_by("ordering"))
    # reorder: the third question first; drop the second; add a new one
    new_list = [
        (questions[2].pk, questions[2].text),
        (questions[0].pk, questions[0].text + " Og hvordan?"),
        (None, "Hvordan måler vi værdien af frivilligt arbejde?"),
    ]
    response = board_client.post(
        reverse("focusareas:edit", args=[civilsamfund.slug]),
        edit_data(
            civilsamfund,
            questions=new_list,
            tags="Civilsamfund, Nærdemokrati",
            note="Ny rækkefølge",
        ),
    )
    assert response.status_code == 302
    current = list(civilsamfund.questions.current().order_by("ordering"))
    assert [q.text for q in current] == [text for _id, text in new_list]
    assert current[0].pk == questions[2].pk, "an edited question keeps its identity"
    assert sorted(civilsamfund.tags.values_list("name", flat=True)) == [
        "Civilsamfund",
        "Nærdemokrati",
    ]
    revision = civilsamfund.revisions.order_by("-number").first()
    assert (
        revision.number == 2
        and revision.author == board_member
        and revision.note == "Ny rækkefølge"
    )
    assert revision.snapshot["tags"] == ["Civilsamfund", "Nærdemokrati"]


def test_history_shows_the_differences_and_a_restore_is_a_new_revision(
    board_client, board_member, civilsamfund
):
    original_title = civilsamfund.title
    original_questions = list(civilsamfund.questions.current().values_list("text", flat=True))
    answered = civilsamfund.questions.current().first()
    contribution = ContributionFactory(guiding_question=answered)
    services.focusarea_update(
        focus_area=civilsamfund,
        author=board_member,
        title="Civilsamfundet <script>alert(1)</script>",
        summary=civilsamfund.summary,
        body=civilsamfund.body + "\n\nEt nyt afsnit.",
        questions=[services.QuestionInput(id=None, text="Et helt nyt spørgsmål?")],
        tags=["Civilsamfund"],
    )
    assert civilsamfund.questions.current().count() == 1

    history = reverse("focusareas:history", args=[civilsamfund.slug])
    content = board_client.get(history + "?fra=1&til=2").content.decode()
    assert "Et nyt afsnit." in content and "Et helt nyt spørgsmål?" in content
    assert "<script>alert(1)</script>" not in content, "the diff is escaped"
    assert "&lt;script&gt;" in content
    assert board_member.get_full_name() in content
    assert "@@" not in content, "no patch markers: words and lines, readably"
    assert '<ins class="diff-word diff-add"><span class="sr-only">Tilføjet: </span>' in content

    response = board_client.post(reverse("focusareas:restore", args=[civilsamfund.slug, 1]))
    assert response.status_code == 302
    civilsamfund.refresh_from_db()
    assert civilsamfund.title == original_title
    assert (
        list(civilsamfund.questions.current().values_list("text", flat=True)) == original_questions
    )
    contribution.refresh_from_db()
    assert contribution.guiding_question_id == answered.pk
    assert contribution.guiding_question.removed_at is None, "the answered question is back"
    numbers = list(civilsamfund.revisions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    latest = civilsamfund.revisions.get(number=3)
    assert latest.restored_from.number == 1
    assert civilsamfund.revisions.get(number=2).snapshot["title"].startswith("Civilsamfundet")


def test_bad_revision_numbers_are_ignored_or_404(board_client, civilsamfund):
    history = reverse("focusareas:history", args=[civilsamfund.slug])
    assert board_client.get(history + "?fra=abc&til=999999999999999999999").status_code == 200
    assert (
        board_client.post(reverse("focusareas:restore", args=[civilsamfund.slug, 99])).status_code
        == 404
    )
    assert board_client.get(reverse("focusareas:edit", args=["findes-ikke"])).status_code == 404


def test_a_revision_of_another_focus_area_cannot_be_restored(
    board_member, civilsamfund, frisaettelse
):
    with pytest.raises(ValueError):
        services.focusarea_restore_revision(
            focus_area=civilsamfund,
            revision=FocusAreaRevision.objects.get(focus_area=frisaettelse, number=1),
            author=board_member,
        )


def test_an_overly_long_title_is_a_form_error_not_a_500(board_client, civilsamfund):
    response = board_client.post(
        reverse("focusareas:edit", args=[civilsamfund.slug]),
        edit_data(civilsamfund, title="x" * 5000),
    )
    assert response.status_code == 200
    assert "form-error" in response.content.decode()


def test_the_board_opens_the_next_period_and_the_old_one_becomes_the_archive(
    client, board_member, civilsamfund
):
    url = reverse("focusareas:period_create")
    login(client, MemberFactory())
    assert client.get(url).status_code == 403
    client.logout()
    login(client, board_member, mfa=True)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Fokusområder 2026-2028",
            "slug": "2026-2028",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "introduction": "Tre nye fokusområder.",
            "focus_areas": "Klimatilpasning\nCivilsamfund\n\n",
        },
    )
    assert response.status_code == 302
    from focusareas.models import StrategyPeriod

    period = StrategyPeriod.objects.current()
    assert period.slug == "2026-2028"
    areas = list(period.focus_areas.order_by("number"))
    assert [(a.number, a.title) for a in areas] == [(1, "Klimatilpasning"), (2, "Civilsamfund")]
    assert areas[1].slug != civilsamfund.slug, "the archived area keeps its address"
    assert all(area.revisions.count() == 1 for area in areas)
    content = client.get(reverse("focusareas:list")).content.decode()
    assert content.index("Fokusområder 2026-2028") < content.index("Fokusområder 2023-2025")
    bad = client.post(
        url,
        {
            "title": "x",
            "slug": "2026-2028",
            "starts_on": "2030-01-01",
            "ends_on": "2029-01-01",
            "focus_areas": "",
        },
    )
    assert bad.status_code == 200 and "form-error" in bad.content.decode()
