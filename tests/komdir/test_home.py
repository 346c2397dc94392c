import pytest


@pytest.mark.django_db
def test_the_landing_page_names_the_focus_areas_period_once(client):
    page = client.get("/").content.decode()
    assert "KOMDIRs fokusområder 2023\N{EN DASH}2025</h2>" in page
    assert "KOMDIRs fokusområder <span" not in page
