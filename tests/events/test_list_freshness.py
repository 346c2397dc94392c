"""With every cache on, the pages that show an event show each change to it at once: a
new title or time, another member's answer taking a seat, the viewer's own answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVP
from tests.conftest import login
from tests.events.conftest import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching_on(settings):
    settings.PAGE_CACHE = True


@pytest.mark.usefixtures("caching_on")
def test_every_page_that_shows_an_event_shows_each_change_at_once(
    client, lead, meeting, hovedstaden
):
    viewer = member_of(hovedstaden, first_name="Vibeke")
    meeting.capacity = 5
    meeting.save()
    month = timezone.localtime(meeting.starts_at).strftime("%Y-%m")
    pages = [
        reverse("events:list"),
        reverse("events:list") + f"?maaned={month}",
        reverse("home"),
        meeting.get_absolute_url(),
    ]
    login(client, viewer)
    for url in pages:
        for _ in range(2):  # the second visit finds whatever the first one stored
            page = client.get(url).content.decode()
        assert meeting.title in page, url

    services.event_update(actor=lead, event=meeting, title="Flyttet kredsmøde")
    services.rsvp_answer(event=meeting, member=member_of(hovedstaden), answer=RSVP.Answer.YES)
    services.rsvp_answer(event=meeting, member=viewer, answer=RSVP.Answer.MAYBE)
    for url in pages:
        page = client.get(url).content.decode()
        assert "Flyttet kredsmøde" in page, url
    listed = client.get(reverse("events:list")).content.decode()
    row = listed.split(f'href="{meeting.get_absolute_url()}"')[1].split("</tr>")[0]
    assert "1 af 5" in row and "Måske" in row
