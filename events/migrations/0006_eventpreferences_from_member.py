"""Copy every member's meeting settings from members.Member into events.EventPreferences
(before members drops the columns); a member with nothing but the defaults gets no row."""

from django.db import migrations
from django.db.models import Q

FIELDS = ("reminders_opt_out", "calendar_assistant_email", "calendar_assistant_consent", "calendar_token")


def copy_from_member(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    EventPreferences = apps.get_model("events", "EventPreferences")
    not_default = (
        Q(reminders_opt_out=True)
        | ~Q(calendar_assistant_email="")
        | Q(calendar_assistant_consent=True)
        | Q(calendar_token__isnull=False)
    )
    rows = Member.objects.filter(not_default).values("pk", *FIELDS).order_by("pk")
    EventPreferences.objects.bulk_create(
        [
            EventPreferences(member_id=row.pop("pk"), **row)
            for row in rows.iterator(chunk_size=1000)
        ],
        batch_size=1000,
    )


def copy_back_to_member(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    EventPreferences = apps.get_model("events", "EventPreferences")
    for preferences in EventPreferences.objects.order_by("pk").iterator(chunk_size=1000):
        Member.objects.filter(pk=preferences.member_id).update(
            **{field: getattr(preferences, field) for field in FIELDS}
        )
    EventPreferences.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0005_eventpreferences"),
        ("members", "0004_municipality_change_request"),
    ]

    operations = [migrations.RunPython(copy_from_member, copy_back_to_member)]
