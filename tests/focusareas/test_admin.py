"""The admin: focus areas with their questions, read-only revisions, and contributions
and comments filtered by focus area, tag, status and author."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.outbox import outbox_send_due
from focusareas import services
from focusareas.models import Contribution, NotificationSetting
from tests.admin_forms import admin_form_data
from tests.conftest import login
from tests.focusareas.factories import CommentFactory, ContributionFactory
from tests.members.factories import BoardMemberFactory, MemberFactory

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


# Contributions change through the portal's services -------------------------------------


def sent() -> list[tuple]:
    """What went out, as (subject, recipients), and forget it."""
    outbox_send_due()
    summary = sorted((message.subject, tuple(message.to)) for message in mail.outbox)
    mail.outbox.clear()
    return summary


@pytest.fixture
def follower(civilsamfund):
    member = MemberFactory(first_name="Karen")
    services.focusarea_follow(member=member, focus_area=civilsamfund, follow=True)
    NotificationSetting.objects.create(member=member, frequency="each")
    return member


@pytest.fixture
def author(db):
    return MemberFactory(first_name="Ingeborg")


def draft(author, **kwargs):
    return services.contribution_create(
        author=author,
        title=kwargs.pop("title", "Frivillige i ældreplejen"),
        body="Det virkede.",
        tags=["Frivillighed"],
        **kwargs,
    )


def run_action(staff_client, action: str, contributions, **extra):
    return staff_client.post(
        reverse("admin:focusareas_contribution_changelist"),
        {"action": action, "_selected_action": [c.pk for c in contributions], **extra},
    )


@pytest.mark.parametrize("how", ["action", "change form"])
def test_publishing_a_draft_in_the_admin_tells_the_followers_as_the_portal_does(
    staff_client, author, follower, how
):
    portal, admin = draft(author), draft(author)
    response = login(Client(), author).post(
        reverse("focusareas:contribution_edit", args=[portal.pk]),
        {
            "title": portal.title,
            "body": portal.body,
            "tags": "Frivillighed",
            "visibility": "members",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    through_portal = sent()
    assert [to for _, (to,) in through_portal] == [follower.email]
    if how == "action":
        response = run_action(staff_client, "publish", [admin])
    else:
        url = reverse("admin:focusareas_contribution_change", args=[admin.pk])
        data = admin_form_data(staff_client.get(url), form_id="contribution_form")
        response = staff_client.post(url, {**data, "status": "published"})
    assert response.status_code == 302
    assert sent() == through_portal
    admin.refresh_from_db()
    assert admin.status == "published" and admin.published_at is not None
    assert sorted(admin.tags.names()) == ["Frivillighed"]


def test_hiding_in_the_admin_tells_the_author_as_the_boards_hiding_does(
    staff_client, staff, author
):
    portal = ContributionFactory(author=author, title="Upassende indlæg")
    admin = ContributionFactory(author=author, title="Upassende indlæg")
    board_client = login(Client(), BoardMemberFactory(), mfa=True)
    reason = "Indlægget nævner en borger ved navn."
    board_client.post(reverse("focusareas:contribution_hide", args=[portal.pk]), {"reason": reason})
    through_portal = sent()
    assert through_portal == [(through_portal[0][0], (author.email,))]
    # No reason, no hiding: the author is told why.
    run_action(staff_client, "hide", [admin], reason="")
    admin.refresh_from_db()
    assert admin.hidden_at is None and sent() == []
    response = run_action(staff_client, "hide", [admin], reason=reason)
    assert response.status_code == 302
    assert sent() == through_portal
    admin.refresh_from_db()
    assert admin.hidden_by == staff and admin.hidden_reason == reason
    assert admin.hidden_at is not None and admin.hidden_notice_sent_at is not None
    # Shown again, through the service too.
    run_action(staff_client, "unhide", [admin])
    admin.refresh_from_db()
    assert (admin.hidden_at, admin.hidden_by, admin.hidden_reason) == (None, None, "")


def test_the_change_form_does_not_hide_or_publish_behind_the_services_back(
    staff_client, author, follower
):
    contribution = draft(author)
    url = reverse("admin:focusareas_contribution_change", args=[contribution.pk])
    data = admin_form_data(staff_client.get(url), form_id="contribution_form")
    for field in ("hidden_at", "hidden_by", "hidden_reason", "published_at"):
        assert not any(name.startswith(field) for name in data), field


@pytest.mark.parametrize("how", ["delete view", "delete selected"])
def test_deleting_in_the_admin_goes_through_contribution_delete(
    staff_client, author, monkeypatch, how
):
    contribution = ContributionFactory(author=author)
    CommentFactory(contribution=contribution)
    deleted = []
    original = services.contribution_delete

    def spy(*, contribution):
        deleted.append(contribution.pk)
        original(contribution=contribution)

    monkeypatch.setattr(services, "contribution_delete", spy)
    if how == "delete view":
        url = reverse("admin:focusareas_contribution_delete", args=[contribution.pk])
        response = staff_client.post(url, {"post": "yes"})
    else:
        response = run_action(staff_client, "delete_selected", [contribution], post="yes")
    assert response.status_code == 302
    assert deleted == [contribution.pk]
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


def test_hiding_a_comment_in_the_admin_records_who_and_why_as_the_boards_hiding_does(
    staff_client, staff
):
    comment = CommentFactory(body="Usaglig kommentar")
    response = staff_client.post(
        reverse("admin:focusareas_comment_changelist"),
        {"action": "hide", "_selected_action": [comment.pk], "reason": "Usagligt"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert (comment.hidden_by, comment.hidden_reason) == (staff, "Usagligt")
    staff_client.post(
        reverse("admin:focusareas_comment_changelist"),
        {"action": "unhide", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert (comment.hidden_at, comment.hidden_by, comment.hidden_reason) == (None, None, "")
    url = reverse("admin:focusareas_comment_change", args=[comment.pk])
    data = admin_form_data(staff_client.get(url), form_id="comment_form")
    assert not any(name.startswith("hidden_") for name in data)


def test_editing_and_deleting_a_comment_in_the_admin_go_through_the_services(
    staff_client, monkeypatch
):
    comment = CommentFactory(body="Første ordlyd")
    called = []
    for name in ("comment_update", "comment_delete"):
        original = getattr(services, name)
        monkeypatch.setattr(
            services,
            name,
            lambda *, _original=original, _name=name, **kwargs: (
                called.append(_name) or _original(**kwargs)
            ),
        )
    url = reverse("admin:focusareas_comment_change", args=[comment.pk])
    data = admin_form_data(staff_client.get(url), form_id="comment_form", body="Ny ordlyd")
    assert staff_client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Ny ordlyd"
    url = reverse("admin:focusareas_comment_delete", args=[comment.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert called == ["comment_update", "comment_delete"]


def test_the_admin_merges_tags_through_the_service_after_asking_for_the_name(staff_client):
    from taggit.models import Tag

    both = ContributionFactory(title="Begge", tags=["Frivillighed", "frivillige"])
    one = ContributionFactory(title="Én", tags=["frivillige"])
    selected = list(Tag.objects.filter(name__in=["Frivillighed", "frivillige"]))
    follower, follows_both = MemberFactory(), MemberFactory()
    services.tag_follow(member=follower, tag=Tag.objects.get(name="frivillige"), follow=True)
    for tag in selected:
        services.tag_follow(member=follows_both, tag=tag, follow=True)
    url = reverse("admin:taggit_tag_changelist")
    choose = {"action": "merge_tags", "_selected_action": [t.pk for t in selected]}
    asking = staff_client.post(url, choose, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Slå tags sammen" in asking and "Navn på det samlede tag" in asking
    assert Tag.objects.filter(name="frivillige").exists()
    response = staff_client.post(
        url, {**choose, "apply": "1", "into_name": "Frivillighed"}, follow=True
    )
    assert "Taggene er slået sammen til “Frivillighed”." in response.content.decode()
    assert list(Tag.objects.filter(name__iexact="frivillige")) == []
    for contribution in (both, one):
        assert list(contribution.tags.names()) == ["Frivillighed"]
    for member in (follower, follows_both):
        assert [f.tag.name for f in member.tag_follows.all()] == ["Frivillighed"]


def test_merging_without_a_name_asks_again_and_keeps_the_tags(staff_client):
    from taggit.models import Tag

    ContributionFactory(tags=["A-tag", "B-tag"])
    selected = [t.pk for t in Tag.objects.filter(name__in=["A-tag", "B-tag"])]
    response = staff_client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge_tags", "_selected_action": selected, "apply": "1", "into_name": ""},
    )
    assert response.status_code == 200 and "Dette felt er påkrævet" in response.content.decode()
    assert Tag.objects.filter(name__in=["A-tag", "B-tag"]).count() == 2
