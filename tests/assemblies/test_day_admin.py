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
