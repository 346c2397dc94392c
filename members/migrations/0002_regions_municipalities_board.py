from django.db import migrations


def load(apps, schema_editor):
    from members.data import MUNICIPALITIES, REGIONS

    Region = apps.get_model("members", "Region")
    Municipality = apps.get_model("members", "Municipality")
    Group = apps.get_model("auth", "Group")
    regions = {}
    for code, name, slug in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "slug": slug}
        )
    for code, (name, region_code) in MUNICIPALITIES.items():
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": regions[region_code]}
        )
    Group.objects.get_or_create(name="Bestyrelse")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
