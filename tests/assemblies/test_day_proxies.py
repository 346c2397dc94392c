"""Proxies: the rules of giving and withdrawing, the holder's mail, the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assemblies import services
from assemblies.models import Proxy
from core.models import OutgoingMail
from tests.assemblies.day_factories import (
    deputy_of,
    give_proxy,
    make_assembly,
    member_of,
    municipalities,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    places = municipalities(4)
    return [member_of(place) for place in places]


def test_a_proxy_is_given_and_the_holder_told(people):
    giver, holder = people[:2]
    assembly = make_assembly()
    proxy = services.proxy_give(assembly=assembly, giver=giver, holder=holder)
    assert proxy.withdrawn_at is None
    mail = OutgoingMail.objects.get(kind=services.PROXY_GIVEN_MAIL)
    assert mail.to_address == holder.email
    assert giver.get_full_name() in mail.body_text
    assert "fuldmagt" in mail.subject


def test_a_proxy_to_oneself_is_refused(people):
    with pytest.raises(ValidationError, match="dig selv"):
        services.proxy_give(assembly=make_assembly(), giver=people[0], holder=people[0])


def test_one_active_proxy_per_giver(people):
    assembly = make_assembly(proxy_limit=3)
    services.proxy_give(assembly=assembly, giver=people[0], holder=people[1])
    with pytest.raises(ValidationError, match="allerede givet"):
        services.proxy_give(assembly=assembly, giver=people[0], holder=people[2])


def test_a_holder_carries_at_most_the_limit(people):
    assembly = make_assembly(proxy_limit=1)
    services.proxy_give(assembly=assembly, giver=people[0], holder=people[3])
    with pytest.raises(ValidationError, match=r"\(1\)"):
        services.proxy_give(assembly=assembly, giver=people[1], holder=people[3])
    assembly.proxy_limit = 2
    services.proxy_give(assembly=assembly, giver=people[1], holder=people[3])
    assert Proxy.objects.filter(holder=people[3], withdrawn_at__isnull=True).count() == 2


def test_a_deputy_neither_gives_nor_holds_a_proxy(people):
    assembly = make_assembly()
    deputy = deputy_of(people[0])
    with pytest.raises(ValidationError, match="stedfortræder"):
        services.proxy_give(assembly=assembly, giver=people[1], holder=deputy)
    # Not even from their own municipality.
    colleague = member_of(people[0].municipality)
    with pytest.raises(ValidationError, match="stedfortræder"):
        services.proxy_give(assembly=assembly, giver=colleague, holder=deputy)
    with pytest.raises(ValidationError, match="stedfortræder"):
        services.proxy_give(assembly=assembly, giver=deputy, holder=people[1])


def test_a_proxy_is_withdrawn_until_the_start_and_not_after(people):
    assembly = make_assembly(days_ahead=1)
    proxy = services.proxy_give(assembly=assembly, giver=people[0], holder=people[1])
    services.proxy_withdraw(proxy=proxy)
    assert proxy.withdrawn_at is not None
    assert OutgoingMail.objects.filter(kind=services.PROXY_WITHDRAWN_MAIL).count() == 1
    # Given again, and the assembly starts.
    proxy = services.proxy_give(assembly=assembly, giver=people[0], holder=people[1])
    assembly.event.starts_at = timezone.now() - timedelta(minutes=1)
    assembly.event.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="begyndt"):
        services.proxy_withdraw(proxy=proxy)
    with pytest.raises(ValidationError, match="begynder"):
        services.proxy_give(assembly=assembly, giver=people[2], holder=people[3])


def test_the_page_gives_and_withdraws(client, people, no_page_cache):
    giver, holder = people[:2]
    assembly = make_assembly()
    url = reverse("assemblies:proxy", args=[assembly.event.pk])
    login(client, giver)
    page = client.get(url)
    assert page.status_code == 200
    assert holder.get_full_name() in page.content.decode()
    response = client.post(url, {"action": "give", "holder": holder.pk}, follow=True)
    assert response.status_code == 200
    proxy = Proxy.objects.get(giver=giver)
    assert proxy.holder == holder
    response = client.post(url, {"action": "withdraw"}, follow=True)
    proxy.refresh_from_db()
    assert proxy.withdrawn_at is not None


def test_the_page_shows_a_refusal_as_a_form_error(client, people, no_page_cache):
    assembly = make_assembly(proxy_limit=1)
    give_proxy(assembly, people[2], people[1])
    url = reverse("assemblies:proxy", args=[assembly.event.pk])
    login(client, people[0])
    response = client.post(url, {"action": "give", "holder": people[1].pk})
    assert response.status_code == 200
    assert "højeste antal" in response.content.decode() or "så mange" in response.content.decode()
    response = client.post(url, {"action": "give", "holder": "9" * 40})
    assert response.status_code == 200
    assert not Proxy.objects.filter(giver=people[0]).exists()


def test_the_page_of_an_event_without_assembly_is_not_found(member_client, no_page_cache):
    from tests.events.factories import EventFactory

    event = EventFactory()
    assert member_client.get(reverse("assemblies:proxy", args=[event.pk])).status_code == 404


def test_the_board_sees_and_prints_every_proxy(client, board_member, people, no_page_cache):
    assembly = make_assembly()
    give_proxy(assembly, people[0], people[1])
    url = reverse("assemblies:proxy_overview", args=[assembly.event.pk])
    login(client, people[2])
    assert client.get(url).status_code == 404
    login(client, board_member, mfa=True)
    page = client.get(url).content.decode()
    assert people[0].get_full_name() in page and people[1].get_full_name() in page


def test_the_proxy_pages_make_a_fixed_number_of_queries(
    client, board_member, people, django_assert_num_queries, no_page_cache
):
    assembly = make_assembly()
    for giver in people[1:]:
        give_proxy(assembly, giver, people[0])
    login(client, people[0])
    url = reverse("assemblies:proxy", args=[assembly.event.pk])
    client.get(url)
    with django_assert_num_queries(PROXY_QUERIES):
        assert client.get(url).status_code == 200
    login(client, board_member, mfa=True)
    url = reverse("assemblies:proxy_overview", args=[assembly.event.pk])
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(url).status_code == 200


PROXY_QUERIES = 5
OVERVIEW_QUERIES = 4


def test_a_deputy_reads_why_they_give_no_proxy(client, people, no_page_cache):
    assembly = make_assembly()
    deputy = deputy_of(people[0])
    url = reverse("assemblies:proxy", args=[assembly.event.pk])
    login(client, deputy)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "stedfortræder" in response.content.decode()
    assert client.post(url, {"action": "give", "holder": people[1].pk}).status_code == 404
    assert not Proxy.objects.exists()


def test_no_proxy_for_a_cancelled_assembly(people):
    from events.models import Event

    assembly = make_assembly()
    Event.objects.filter(pk=assembly.event.pk).update(status=Event.Status.CANCELLED)
    assembly.event.refresh_from_db()
    with pytest.raises(ValidationError, match="aflyst"):
        services.proxy_give(assembly=assembly, giver=people[0], holder=people[1])


def test_a_holder_who_leaves_ends_the_proxies_they_hold_and_each_giver_is_told(people):
    from members.services import member_mark_former

    first_giver, second_giver, holder, bystander = people
    coming, past = make_assembly(proxy_limit=3), make_assembly(days_ahead=-400)
    for giver in (first_giver, second_giver):
        services.proxy_give(assembly=coming, giver=giver, holder=holder)
    held_last_year = Proxy.objects.create(assembly=past, giver=bystander, holder=holder)
    member_mark_former(member=holder)
    assert not Proxy.objects.filter(assembly=coming, withdrawn_at__isnull=True).exists()
    assert Proxy.objects.filter(assembly=coming).count() == 2, "kept, as withdrawn"
    held_last_year.refresh_from_db()
    assert held_last_year.withdrawn_at is None, "the record of a past assembly stays"
    told = OutgoingMail.objects.filter(kind=services.PROXY_HOLDER_GONE_MAIL)
    assert {mail.to_address for mail in told} == {first_giver.email, second_giver.email}
    assert "ikke længere medlem" in told.first().body_text
    services.proxy_give(assembly=coming, giver=first_giver, holder=bystander)


def test_a_giver_who_leaves_withdraws_and_the_holder_is_told(people):
    from members.services import member_mark_former

    giver, holder = people[:2]
    proxy = services.proxy_give(assembly=make_assembly(), giver=giver, holder=holder)
    member_mark_former(member=giver)
    proxy.refresh_from_db()
    assert proxy.withdrawn_at is not None
    withdrawn = OutgoingMail.objects.get(kind=services.PROXY_WITHDRAWN_MAIL)
    assert withdrawn.to_address == holder.email


def test_erasing_a_holder_tells_the_giver_without_the_erased_name(people):
    from members.services import member_erase

    giver, holder = people[:2]
    name = holder.get_full_name()
    services.proxy_give(assembly=make_assembly(), giver=giver, holder=holder)
    member_erase(member=holder, contributions="anonymise")
    assert not Proxy.objects.filter(holder=holder).exists()
    told = OutgoingMail.objects.get(kind=services.PROXY_HOLDER_GONE_MAIL)
    assert told.to_address == giver.email and name not in told.body_text
