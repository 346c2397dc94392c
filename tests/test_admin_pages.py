"""Every model a person would look up has its own admin page with search and filters;
the rows the services alone write are looked up there, never added, changed or
deleted on their own."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from core.admin import LookUpOnlyAdmin
from events.models import RSVP
from focusareas.models import FocusAreaFollow
from tests.events.factories import EventFactory, RSVPFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

# Kept out of the admin: taggit's link rows (edited with the tags of what they tag) and
# the outbox's one-row pace lock.
INTERNAL = {"taggit.TaggedItem", "core.MailPace"}
PORTAL_APPS = {
    "core",
    "members",
    "circles",
    "focusareas",
    "events",
    "documents",
    "assemblies",
    "taggit",
}


def portal_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS and model._meta.label not in INTERNAL
    ]


def test_every_portal_model_has_an_admin_page_with_search():
    missing = [m._meta.label for m in portal_models() if not admin.site.is_registered(m)]
    assert not missing, f"no admin page: {missing}"
    unsearchable = [
        m._meta.label for m in portal_models() if not admin.site.get_model_admin(m).search_fields
    ]
    assert not unsearchable, f"no search: {unsearchable}"


def test_every_admin_list_answers_a_search(staff_client):
    for model in portal_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = staff_client.get(url, {"q": "kommune"})
        assert response.status_code == 200, model._meta.label


def test_answers_are_looked_up_and_go_only_with_their_event(staff_client):
    rsvp = RSVPFactory()
    assert isinstance(admin.site.get_model_admin(RSVP), LookUpOnlyAdmin)
    change = staff_client.get(reverse("admin:events_rsvp_change", args=[rsvp.pk]))
    assert change.status_code == 200 and "deletelink" not in change.content.decode()
    assert staff_client.post(reverse("admin:events_rsvp_delete", args=[rsvp.pk])).status_code == 403
    assert RSVP.objects.filter(pk=rsvp.pk).exists()
    changelist = staff_client.get(reverse("admin:events_rsvp_changelist"))
    assert 'value="delete_selected"' not in changelist.content.decode()


def test_the_admin_ends_a_follow_through_the_service(staff_client, monkeypatch):
    from focusareas import services
    from focusareas.models import FocusArea

    follow = FocusAreaFollow.objects.create(
        member=MemberFactory(), focus_area=FocusArea.objects.first()
    )
    called = []
    original = services.focusarea_follow
    monkeypatch.setattr(
        services,
        "focusarea_follow",
        lambda **kwargs: called.append(kwargs) or original(**kwargs),
    )
    response = staff_client.post(
        reverse("admin:focusareas_focusareafollow_changelist"),
        {"action": "end_follows", "_selected_action": [follow.pk]},
    )
    assert response.status_code == 302
    assert called and called[0]["follow"] is False
    assert not FocusAreaFollow.objects.filter(pk=follow.pk).exists()


def test_an_event_with_answers_is_still_deleted_in_the_admin(staff_client):
    event = EventFactory()
    RSVPFactory(event=event)
    confirm = staff_client.get(reverse("admin:events_event_delete", args=[event.pk]))
    assert confirm.status_code == 200
    assert not confirm.context["perms_lacking"], "its answers go with it"


def test_no_list_offers_two_filters_of_the_same_name(staff_client):
    import re

    for model in portal_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = staff_client.get(url).content.decode()
        titles = re.findall(r"<summary>\s*(.*?)\s*</summary>", page)
        assert len(titles) == len(set(titles)), (model._meta.label, titles)
