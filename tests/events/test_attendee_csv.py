"""Attendee lists open in spreadsheets: no cell may start a formula (OWASP CSV injection)."""

import csv
import io

import pytest
from django.urls import reverse

from events.models import RSVP
from tests.conftest import login
from tests.events.conftest import member_of

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ["=HYPERLINK(x)", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def hostile_attendees(meeting, hovedstaden) -> None:
    for index, name in enumerate(HOSTILE_NAMES):
        member = member_of(hovedstaden, first_name=name, last_name=f"Nr{index}")
        RSVP.objects.create(event=meeting, member=member, answer="yes")


def assert_no_cell_starts_a_formula(rows: list[list[str]]) -> None:
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(x) Nr0" in cells  # kept whole, behind a quote


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_a_formula_gets_a_leading_quote(start):
    from events.exports import neutralised

    assert neutralised(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_other_cells_are_left_as_they_are():
    from events.exports import neutralised

    assert neutralised("Anders Bech") == "Anders Bech"
    assert neutralised("2026-05-01 10:00") == "2026-05-01 10:00"
    assert neutralised("") == ""
    assert neutralised(None) == ""


def test_the_portal_attendee_csv_neutralises_cells_that_start_a_formula(
    client, lead, meeting, hovedstaden
):
    hostile_attendees(meeting, hovedstaden)
    login(client, lead)
    response = client.get(reverse("events:attendees_csv", args=[meeting.pk]))
    assert response.status_code == 200
    assert_no_cell_starts_a_formula(rows_of(response))


def test_the_admin_attendee_export_neutralises_cells_that_start_a_formula(
    staff_client, meeting, hovedstaden
):
    hostile_attendees(meeting, hovedstaden)
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_attendees", "_selected_action": [meeting.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_no_cell_starts_a_formula(rows_of(response))


def test_the_file_name_writes_out_danish_letters(client, lead, hovedstaden):
    from tests.conftest import login
    from tests.events.conftest import schedule

    meeting = schedule(organiser=lead, circle=hovedstaden, title="Kredsmøde om ældreplejen")
    login(client, lead)
    response = client.get(reverse("events:attendees_csv", args=[meeting.pk]))
    assert "deltagere-kredsmoede-om-aeldreplejen-" in response["Content-Disposition"]
