import pytest

from focusareas.models import FocusArea


@pytest.fixture
def civilsamfund(db):
    """Focus area 3 of 2023-2025, as seeded by the data migration (tags: Civilsamfund,
    Frivillighed, Foreninger)."""
    return FocusArea.objects.get(slug="civilsamfund")


@pytest.fixture
def frisaettelse(db):
    return FocusArea.objects.get(slug="borgernaer-velfaerd-og-frisaettelse")
