"""The member's meeting settings (events.EventPreferences): reminders, a calendar assistant
and the personal feed's token, with defaults for a member who never chose."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import selectors, services
from events.models import EventPreferences
from members.services import member_anonymise
from tests.conftest import login
from tests.events.conftest import member_of

pytestmark = pytest.mark.django_db


def test_a_member_who_never_chose_has_the_defaults_and_no_row(hovedstaden):
    member = member_of(hovedstaden)
    preferences = selectors.member_event_preferences(member=member)
    assert preferences.pk is None
    assert not preferences.reminders_opt_out
    assert preferences.calendar_assistant_email == ""
    assert preferences.calendar_token is None
    assert not EventPreferences.objects.filter(member=member).exists()


def test_the_first_write_creates_the_row_and_later_writes_update_it(hovedstaden):
    member = member_of(hovedstaden)
    token = services.calendar_token_regenerate(member=member)
    services.event_preferences_update(
        member=member,
        reminders_opt_out=True,
        calendar_assistant_email="",
        calendar_assistant_consent=False,
    )
    row = EventPreferences.objects.get(member=member)
    assert row.calendar_token == token and row.reminders_opt_out
    services.calendar_token_revoke(member=member)
    assert EventPreferences.objects.get(member=member).calendar_token is None


def test_an_assistant_without_consent_is_not_kept(hovedstaden):
    member = member_of(hovedstaden)
    services.event_preferences_update(
        member=member,
        reminders_opt_out=False,
        calendar_assistant_email="sekretaer@kommune.example",
        calendar_assistant_consent=False,
    )
    row = EventPreferences.objects.get(member=member)
    assert row.calendar_assistant_email == "" and not row.calendar_assistant_consent


def test_the_profile_page_shows_and_saves_the_meeting_settings(client, hovedstaden):
    member = member_of(hovedstaden)
    login(client, member)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'name="calendar_assistant_email"' in page
    response = client.post(
        reverse("events:calendar_token"),
        {
            "action": "save",
            "calendar_assistant_email": "sekretaer@kommune.example",
            "calendar_assistant_consent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:profile") + "#moeder"
    assert (
        'value="sekretaer@kommune.example"'
        in client.get(reverse("members:profile")).content.decode()
    )


def test_an_assistant_without_the_tick_comes_back_with_the_error(client, hovedstaden):
    member = member_of(hovedstaden)
    login(client, member)
    response = client.post(
        reverse("events:calendar_token"),
        {"action": "save", "calendar_assistant_email": "sekretaer@kommune.example"},
    )
    assert response.status_code == 200
    assert response.context["event_preferences_form"].errors["calendar_assistant_consent"]
    assert not EventPreferences.objects.filter(member=member).exists()


def test_reminder_recipients_are_one_query_and_leave_out_who_opted_out(meeting, hovedstaden):
    wanting = member_of(hovedstaden)
    opted_out = member_of(hovedstaden, reminders_opt_out=True)
    member_of(hovedstaden, calendar_assistant_email="x@kommune.example")  # a row, no opt-out
    with CaptureQueriesContext(connection) as queries:
        recipients = set(services.reminder_recipients(event=meeting))
    assert len(queries) == 1
    assert wanting in recipients and opted_out not in recipients


def test_the_export_holds_the_settings_and_the_erasure_removes_them(client, hovedstaden):
    member = member_of(
        hovedstaden,
        reminders_opt_out=True,
        calendar_assistant_email="sekretaer@kommune.example",
        calendar_assistant_consent=True,
    )
    token = services.calendar_token_regenerate(member=member)
    settings = selectors.events_data_of_member(member=member)["meeting_settings"]
    assert settings == {
        "reminders_opt_out": True,
        "calendar_assistant_email": "sekretaer@kommune.example",
        "calendar_assistant_consent": True,
        "calendar_feed": True,
    }
    assert token not in str(settings)
    member_anonymise(member=member)
    assert not EventPreferences.objects.filter(member=member).exists()
    assert client.get(reverse("events:personal_feed", args=[token])).status_code == 404


def test_the_admin_saves_through_the_service(staff_client, hovedstaden):
    member = member_of(hovedstaden)
    response = staff_client.post(
        reverse("admin:events_eventpreferences_add"),
        {
            "member": member.pk,
            "reminders_opt_out": "on",
            "calendar_assistant_email": "sekretaer@kommune.example",
        },
    )
    assert response.status_code == 302
    row = EventPreferences.objects.get(member=member)
    assert row.reminders_opt_out
    assert row.calendar_assistant_email == ""  # no consent, no assistant
    assert staff_client.get(reverse("admin:events_eventpreferences_changelist")).status_code == 200
    change = reverse("admin:events_eventpreferences_change", args=[row.pk])
    assert staff_client.get(change).status_code == 200


BEFORE = [
    ("members", "0004_municipality_change_request"),
    ("events", "0004_reminder_claim_in_outbox"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migrations_move_every_value_and_back():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldMember = old.get_model("members", "Member")
        chosen = OldMember.objects.create(
            email="valgt@kommune.example",
            first_name="Valgt",
            reminders_opt_out=True,
            calendar_assistant_email="sekretaer@kommune.example",
            calendar_assistant_consent=True,
            calendar_token="t" * 43,
        )
        plain = OldMember.objects.create(email="plain@kommune.example", first_name="Plain")

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        rows = {row.member_id: row for row in EventPreferences.objects.all()}
        assert set(rows) == {chosen.pk}  # the defaults need no row
        row = rows[chosen.pk]
        assert row.reminders_opt_out and row.calendar_assistant_consent
        assert row.calendar_assistant_email == "sekretaer@kommune.example"
        assert row.calendar_token == "t" * 43

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        back = old.get_model("members", "Member").objects.get(pk=chosen.pk)
        assert back.reminders_opt_out and back.calendar_assistant_consent
        assert back.calendar_assistant_email == "sekretaer@kommune.example"
        assert back.calendar_token == "t" * 43
        assert not old.get_model("members", "Member").objects.get(pk=plain.pk).reminders_opt_out
    finally:
        MigrationExecutor(connection).migrate(leaves)
