"""`seed_demo --scale N` loads N times a 100-member association, deterministically."""

import io

import pytest
from django.core.management import CommandError, call_command

from events.models import RSVP, Event, Reminder
from focusareas.models import Comment, Contribution
from members.models import Member
from members.scale import SCALE_DOMAIN

pytestmark = pytest.mark.django_db


def scale_titles() -> list[str]:
    return list(
        Contribution.objects.filter(author__email__endswith=SCALE_DOMAIN)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def counts() -> dict[str, int]:
    scale_members = Member.objects.filter(email__endswith=SCALE_DOMAIN)
    return {
        "members": scale_members.count(),
        "contributions": Contribution.objects.filter(author__in=scale_members).count(),
        "comments": Comment.objects.filter(contribution__author__in=scale_members).count(),
        "events": Event.objects.filter(organiser__in=scale_members).count(),
        "rsvps": RSVP.objects.filter(member__in=scale_members).count(),
        "reminders": Reminder.objects.filter(member__in=scale_members).count(),
    }


def empty_the_scale_data() -> None:
    Event.objects.filter(organiser__email__endswith=SCALE_DOMAIN).delete()
    Member.objects.filter(email__endswith=SCALE_DOMAIN).delete()
    Contribution.objects.filter(author__isnull=True).delete()


def test_scale_two_loads_twice_the_rows_of_a_hundred_member_association_and_the_same_titles_again():
    call_command("seed_demo", scale=2, seed=7, stdout=io.StringIO())
    assert counts() == {
        "members": 200,
        "contributions": 1000,
        "comments": 3000,
        "events": 100,
        "rsvps": 2000,
        "reminders": 4000,
    }
    first = scale_titles()
    assert len(set(first)) > 100, "the titles vary"
    assert not Member.objects.filter(
        email__endswith=SCALE_DOMAIN, emailaddress__verified=False
    ).exists()
    assert not Member.objects.filter(
        email__endswith=SCALE_DOMAIN, circle_memberships__isnull=True
    ).exists()

    empty_the_scale_data()
    call_command("seed_demo", scale=2, seed=7, stdout=io.StringIO())
    assert scale_titles() == first


def test_a_second_scale_load_on_the_same_database_is_refused():
    call_command("seed_demo", scale=2, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo", scale=2)


@pytest.mark.django_db
def test_the_demo_shows_an_assembly_ahead_and_last_years_with_published_minutes():
    from django.core import mail
    from django.core.management import call_command

    from assemblies.demo import DEMO_TITLE, LAST_YEAR_TITLE
    from assemblies.models import Assembly

    mail.outbox.clear()
    call_command("seed_demo", "--scale", "1", stdout=io.StringIO())
    ahead = Assembly.objects.get(event__title=DEMO_TITLE)
    assert ahead.motions.count() == 2 and ahead.items.filter(documents__isnull=False).exists()
    held = Assembly.objects.get(event__title=LAST_YEAR_TITLE)
    assert held.minutes.published_at and "Regnskabet blev godkendt." in held.minutes.text
    assert held.attendance.count() >= 4 and held.items.filter(decisions__isnull=False).count() == 4
    call_command("seed_demo", "--scale", "1", stdout=io.StringIO())
    assert Assembly.objects.filter(event__title=LAST_YEAR_TITLE).count() == 1
