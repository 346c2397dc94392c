"""The day's admin pages: lists render, and saves and actions go through the services."""

import pytest
from django.urls import reverse

from assemblies.models import Attendance, Minutes, Proxy
from core.models import OutgoingMail
from tests.assemblies.day_factories import give_proxy, make_assembly, member_of, municipalities

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["proxy", "attendance", "decision", "minutes"])
def test_the_lists_render(staff_client, model):
    make_assembly()
    assert staff_client.get(reverse(f"admin:assemblies_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:assemblies_{model}_add")).status_code == 200


def test_a_proxy_added_in_the_admin_obeys_the_rules_and_tells_the_holder(staff_client):
    assembly = make_assembly()
    giver, holder = (member_of(place) for place in municipalities(2))
    url = reverse("admin:assemblies_proxy_add")
    response = staff_client.post(
        url, {"assembly": assembly.pk, "giver": giver.pk, "holder": giver.pk}
    )
    assert response.status_code == 200 and not Proxy.objects.exists()
    response = staff_client.post(
        url, {"assembly": assembly.pk, "giver": giver.pk, "holder": holder.pk}
    )
    assert response.status_code == 302
    assert Proxy.objects.get().holder == holder
    assert OutgoingMail.objects.filter(to_address=holder.email).exists()


def test_the_withdraw_action(staff_client):
    assembly = make_assembly()
    giver, holder = (member_of(place) for place in municipalities(2))
    proxy = give_proxy(assembly, giver, holder)
    staff_client.post(
        reverse("admin:assemblies_proxy_changelist"),
        {"action": "withdraw", "_selected_action": [proxy.pk]},
    )
    proxy.refresh_from_db()
    assert proxy.withdrawn_at is not None


def test_attendance_and_minutes_are_saved_through_the_services(staff_client, staff):
    assembly = make_assembly()
    person = member_of(municipalities(1)[0])
    response = staff_client.post(
        reverse("admin:assemblies_attendance_add"), {"assembly": assembly.pk, "member": person.pk}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().checked_in_by == staff
    response = staff_client.post(
        reverse("admin:assemblies_minutes_add"),
        {
            "assembly": assembly.pk,
            "text": "Referat",
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    minutes = Minutes.objects.get()
    assert minutes.versions.get().author == staff
    staff_client.post(
        reverse("admin:assemblies_minutes_changelist"),
        {"action": "approve", "_selected_action": [minutes.pk]},
    )
    minutes.refresh_from_db()
    assert minutes.is_frozen


def test_a_decision_with_an_election_is_added_through_the_services(staff_client, staff):
    from assemblies.models import Decision, Election
    from tests.assemblies.day_factories import make_item

    assembly = make_assembly()
    item = make_item(assembly, kind="board_election", title="Valg til bestyrelsen")
    elected = member_of(municipalities(1)[0])
    response = staff_client.post(
        reverse("admin:assemblies_decision_add"),
        {
            "item": item.pk,
            "outcome": "elected",
            "votes_for": "30",
            "text": "Valgt",
            "elections-TOTAL_FORMS": "1",
            "elections-INITIAL_FORMS": "0",
            "elections-0-member": elected.pk,
            "elections-0-name": "",
            "elections-0-role": "board_member",
            "elections-0-term_until": "",
        },
    )
    assert response.status_code == 302, str(response.context["errors"])
    decision = Decision.objects.get()
    assert decision.recorded_by == staff and decision.votes_for == 30
    election = Election.objects.get()
    assert election.member == elected and election.name == elected.get_full_name()
    staff_client.post(
        reverse("admin:assemblies_decision_changelist"),
        {"action": "apply_elections", "_selected_action": [decision.pk]},
    )
    election.refresh_from_db()
    assert election.applied_at is not None
    assert elected.groups.filter(name="Bestyrelse").exists()
