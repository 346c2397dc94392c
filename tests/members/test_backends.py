"""The session's member is loaded in one query, with whether they are on the board."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.backends import MemberBackend
from members.permissions import is_board
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_member_and_their_board_seat_come_in_one_query(member, board_member):
    backend = MemberBackend()
    with CaptureQueriesContext(connection) as captured:
        loaded_member = backend.get_user(member.pk)
        loaded_board = backend.get_user(board_member.pk)
        assert not is_board(loaded_member)
        assert is_board(loaded_board)
    assert len(captured) == 2
    assert loaded_member == member and loaded_board == board_member


def test_unknown_and_inactive_members_are_nobody():
    backend = MemberBackend()
    assert backend.get_user(987654321) is None
    assert backend.get_user(MemberFactory(is_active=False).pk) is None


def test_a_member_who_leaves_the_board_is_no_longer_board_on_the_next_request(client, board_member):
    from django.conf import settings
    from django.contrib.auth.models import Group

    from tests.conftest import login

    login(client, board_member, mfa=True)
    assert client.get("/medlemmer/invitationer/").status_code == 200
    board_member.groups.remove(Group.objects.get(name=settings.BOARD_GROUP_NAME))
    assert client.get("/medlemmer/invitationer/").status_code == 403
