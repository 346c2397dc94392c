"""One path for every channel (DESIGN.md): the admin writes the models that members see
through the apps' services, never by saving, updating or deleting rows itself. This
walks every registered ModelAdmin and inline, so that a new admin, inline or action
that writes around the services fails here, not in production."""

import inspect
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from events.models import RSVP, Event, MinutesRevision, Reminder
from focusareas.models import Comment, Contribution
from members.models import Member
from tests.members.factories import StaffFactory

pytestmark = pytest.mark.django_db

# Written by services, with effects (mails, reminders, SEQUENCE, the waitlist, erasure).
GUARDED = {Event, RSVP, Reminder, MinutesRevision, Contribution, Comment, Member}
# Many-to-many fields the admin saves itself: permissions are the admin's own business.
ADMIN_OWN_M2M = {(Member, "groups"), (Member, "user_permissions")}
DIRECT_WRITE = re.compile(
    r"\.(save|delete|update|create|bulk_create|bulk_update|get_or_create|update_or_create"
    r"|save_m2m)\(|super\(\)\.(save_model|save_related|save_formset|delete_model"
    r"|delete_queryset)\("
)


def _code(function) -> str:
    """The function's source without its comments (which may name what it avoids)."""
    return re.sub(r"#.*", "", inspect.getsource(function))


def _defined(cls, name: str):
    """The function `name` as the nearest class in the MRO defines it, and that class."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass, klass.__dict__[name]
    raise AttributeError(name)


def _through_services(cls, name: str) -> str | None:
    """Why `cls.name` is not a service-backed override, or None if it is."""
    klass, function = _defined(cls, name)
    if klass.__module__.startswith("django."):
        return f"{cls.__name__}.{name} is Django's, which writes the rows itself"
    match = DIRECT_WRITE.search(_code(function))
    if match:
        return f"{klass.__name__}.{name} writes directly ({match.group(0)})"
    return None


@pytest.fixture
def request_of_staff():
    request = RequestFactory().get("/admin/")
    request.user = StaffFactory()
    return request


def guarded_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model in GUARDED
    ]


def test_every_guarded_model_has_an_admin_to_check():
    assert {model for model, _ in guarded_admins()} >= {Event, Contribution, Comment, Member}


def test_no_admin_save_delete_or_action_writes_a_guarded_model_directly(request_of_staff):
    request = request_of_staff
    problems = []
    for model, model_admin in guarded_admins():
        cls = type(model_admin)
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            problems.append(_through_services(cls, "save_model"))
            m2m = {
                field.name
                for field in [*model._meta.many_to_many, *model._meta.private_fields]
                if field.many_to_many and (model, field.name) not in ADMIN_OWN_M2M
            }
            if m2m & set(model_admin.get_form(request).base_fields):
                # Django's save_related saves them with form.save_m2m().
                problems.append(_through_services(cls, "save_related"))
        if model_admin.has_delete_permission(request):
            problems.append(_through_services(cls, "delete_model"))
            problems.append(_through_services(cls, "delete_queryset"))
        for name, (function, *_) in model_admin.get_actions(request).items():
            if name == "delete_selected":
                continue  # Django's action calls delete_queryset, checked above
            match = DIRECT_WRITE.search(_code(function))
            if match:
                problems.append(f"{cls.__name__} action {name} writes directly: {match[0]}")
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems)


def test_no_inline_writes_a_guarded_model_around_the_services(request_of_staff):
    request = request_of_staff
    problems = []
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            if inline.model not in GUARDED:
                continue
            fields = set(inline.get_fields(request)) - set(inline.get_readonly_fields(request))
            writable = (
                inline.has_add_permission(request, None)
                or (inline.can_delete and inline.has_delete_permission(request))
                or (fields and inline.has_change_permission(request))
            )
            if writable:
                problem = _through_services(type(model_admin), "save_formset")
                if problem:
                    problems.append(f"{type(inline).__name__}: {problem}")
    assert problems == []
