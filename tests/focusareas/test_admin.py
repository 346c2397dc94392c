"""The admin: focus areas with their questions, read-only revisions, and contributions
and comments filtered by focus area, tag, status and author."""

import pytest
from django.urls import reverse

from tests.focusareas.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def test_contribution_and_comment_lists_filter_by_focus_area_tag_status_and_author(
    staff_client, civilsamfund
):
    inside = ContributionFactory(title="Inde i området", tags=["Frivillighed"])
    ContributionFactory(title="Uden for området", tags=["Andet"])
    CommentFactory(contribution=inside, body="Kommentar inde")
    url = reverse("admin:focusareas_contribution_changelist")
    content = staff_client.get(url, {"focus_area": civilsamfund.pk}).content.decode()
    assert "Inde i området" in content and "Uden for området" not in content
    content = staff_client.get(
        url,
        {
            "tag": "frivillighed",
            "status__exact": "published",
            "author__id__exact": inside.author_id,
        },
    ).content.decode()
    assert "Inde i området" in content and "Uden for området" not in content
    comments = reverse("admin:focusareas_comment_changelist")
    for params in ({"focus_area": civilsamfund.pk}, {"tag": "frivillighed"}, {"hidden": "shown"}):
        response = staff_client.get(comments, params)
        assert response.status_code == 200 and "Kommentar inde" in response.content.decode()
    assert staff_client.get(url, {"focus_area": "abc"}).status_code == 200


def test_saving_a_focus_area_in_the_admin_keeps_a_revision(staff_client, civilsamfund):
    response = staff_client.get(
        reverse("admin:focusareas_focusarea_change", args=[civilsamfund.pk])
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in ("period", "number", "title", "slug", "summary", "body")
    }
    data["title"] = "Civilsamfund (admin)"
    data["tags"] = [tag.pk for tag in civilsamfund.tags.all()]
    questions = list(civilsamfund.questions.all())
    data.update(
        {
            "questions-TOTAL_FORMS": str(len(questions)),
            "questions-INITIAL_FORMS": str(len(questions)),
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        }
    )
    for index, question in enumerate(questions):
        data[f"questions-{index}-id"] = question.pk
        data[f"questions-{index}-focus_area"] = civilsamfund.pk
        data[f"questions-{index}-text"] = question.text
        data[f"questions-{index}-ordering"] = question.ordering
    response = staff_client.post(
        reverse("admin:focusareas_focusarea_change", args=[civilsamfund.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = civilsamfund.revisions.order_by("-number").first()
    assert latest.number == 2 and latest.snapshot["title"] == "Civilsamfund (admin)"


def test_revisions_are_read_only_in_the_admin(staff_client, civilsamfund):
    revision = civilsamfund.revisions.get()
    assert staff_client.get(reverse("admin:focusareas_focusarearevision_add")).status_code == 403
    response = staff_client.get(
        reverse("admin:focusareas_focusarearevision_change", args=[revision.pk])
    )
    assert response.status_code == 200
    assert 'name="note"' not in response.content.decode()
