"""Bad input and unexpected data never give a 500: each is refused with a clear Danish
message (or a 404), and nothing is saved."""

import pytest
from django.urls import reverse

from events.models import Event
from tests.conftest import login
from tests.events.test_views import form_data

pytestmark = pytest.mark.django_db


def test_an_event_tag_longer_than_100_characters_is_a_form_error(client, circle_lead, circle):
    login(client, circle_lead)
    response = client.post(reverse("events:create"), form_data(circle, tags="x" * 101))
    assert response.status_code == 200
    assert response.context["form"].errors["tags"] == ["Et tag må højst være 100 tegn langt."]
    assert not Event.objects.exists()
