import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from circles.models import Circle, CircleMembership
from tests.members.factories import BoardMemberFactory, MemberFactory, StaffFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the serialized migration data (regions, municipalities, circles, seed content)
    on the database backend class, not only on the connection object that was open when
    the test database was made: Playwright's greenlets and Celery's eager tasks can leave
    a test with a fresh connection object, and Django's serialized rollback would then
    skip restoring that data after a transactional test empties the tables."""
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and cached sessions live in the cache: start every test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Every request renders its page: for tests that count a page's queries."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _danish_by_default(settings):
    settings.LANGUAGE_CODE = "da"


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def board_member(db):
    return BoardMemberFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def circle(db):
    return Circle.objects.get(slug="hovedstaden")


@pytest.fixture
def circle_lead(db, circle):
    lead = MemberFactory(municipality=circle.region.municipalities.first())
    CircleMembership.objects.filter(member=lead, circle=circle).update(
        role=CircleMembership.Role.LEAD
    )
    return lead


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_mfa(member) -> Authenticator:
    """A TOTP authenticator with a known secret, as if the member had set it up."""
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(member, TOTP_SECRET).instance


def login(client, member, *, mfa: bool = False):
    """Log the member in as a password login would; with mfa=True the session also
    records a completed second factor."""
    client.force_login(member)
    records = [{"method": "password", "at": time.time(), "email": member.email}]
    if mfa:
        if not Authenticator.objects.filter(user=member).exists():
            give_mfa(member)
        records.append({"method": "mfa", "type": "totp", "at": time.time()})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(member.pk)
    session.save()
    return client


@pytest.fixture
def member_client(client, member):
    return login(client, member)


@pytest.fixture
def board_client(client, board_member):
    return login(client, board_member, mfa=True)


@pytest.fixture
def staff_client(client, staff):
    return login(client, staff, mfa=True)


@pytest.fixture
def client_class():
    """Make a second, independent browser."""
    from django.test import Client

    return Client
