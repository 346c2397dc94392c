import pytest
from django.urls import reverse

from assemblies.models import Assembly
from core.models import OutgoingMail
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def change_url(assembly) -> str:
    return reverse("admin:assemblies_assembly_change", args=[assembly.pk])


def test_the_admin_edits_the_agenda_through_the_services(staff_client, assembly):
    page = staff_client.get(change_url(assembly))
    items = list(assembly.items.order_by("position"))
    changes = {
        "quorum": "20",
        # The chair's item goes last, an item is renamed, a new one is added.
        "items-0-position": "20",
        "items-1-title": "Formandens beretning",
        "items-TOTAL_FORMS": str(len(items) + 1),
        f"items-{len(items)}-position": "5",
        f"items-{len(items)}-kind": "other",
        f"items-{len(items)}-title": "Vedtægtsændringer",
        f"items-{len(items)}-description": "",
        f"items-{len(items)}-assembly": str(assembly.pk),
    }
    data = admin_form_data(page, form_id="assembly_form", **changes)
    response = staff_client.post(change_url(assembly), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assembly.refresh_from_db()
    assert assembly.quorum == 20
    titles = list(assembly.items.order_by("position").values_list("title", flat=True))
    assert titles[-1] == "Valg af dirigent"
    assert "Formandens beretning" in titles and "Vedtægtsændringer" in titles
    assert list(assembly.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, 10)
    )


def test_the_admin_sends_the_notice_through_the_service(staff_client, assembly):
    url = reverse("admin:assemblies_assembly_changelist")
    response = staff_client.post(
        url, {"action": "send_notice", "_selected_action": [assembly.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Assembly.objects.get(pk=assembly.pk).notice_sent_at is not None
    assert OutgoingMail.objects.filter(kind="assemblies.notice_all").exists()
