"""The admin's cross-app inlines, composed in komdir/admin.py."""

import pytest
from django.urls import reverse

from tests.circles.factories import CircleMembershipFactory

pytestmark = pytest.mark.django_db


def test_a_members_admin_page_shows_their_circle_memberships(staff_client):
    membership = CircleMembershipFactory()
    response = staff_client.get(reverse("admin:members_member_change", args=[membership.member_id]))
    assert response.status_code == 200
    assert "circle_memberships-TOTAL_FORMS" in response.content.decode()
    assert membership.circle.name in response.content.decode()
