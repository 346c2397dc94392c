import pytest

from circles.models import Circle
from tests.events.conftest import deliver_outbox, lead_of, member_of, schedule


@pytest.fixture
def hovedstaden(db):
    return Circle.objects.get(slug="hovedstaden")


@pytest.fixture
def nordjylland(db):
    return Circle.objects.get(slug="nordjylland")


@pytest.fixture
def lead(hovedstaden):
    return lead_of(hovedstaden, first_name="Søren", last_name="Kragh")


@pytest.fixture
def meeting(lead, hovedstaden):
    """A meeting of Hovedstaden's circle, which only its members (and the board) see."""
    event = schedule(organiser=lead, circle=hovedstaden)
    deliver_outbox()
    return event


@pytest.fixture
def colleague(hovedstaden):
    """A member of the meeting's circle who does not lead it."""
    return member_of(hovedstaden, first_name="Anne", last_name="Holm")


@pytest.fixture
def outsider(nordjylland):
    """A member of another circle."""
    return member_of(nordjylland)
