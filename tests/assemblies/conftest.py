import pytest

from tests.assemblies.factories import schedule_assembly


def deliver_outbox() -> None:
    """Send what the outbox holds and forget it."""
    from django.core import mail

    from core.outbox import outbox_send_due

    outbox_send_due()
    mail.outbox.clear()


@pytest.fixture
def assembly(db, board_member):
    """A general assembly 60 days ahead, organised by the board."""
    return schedule_assembly(organiser=board_member)
