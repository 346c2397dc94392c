from django.db import migrations

CIRCLE_NAMES = {
    "hovedstaden": "Kreds Hovedstaden",
    "sjaelland": "Kreds Sjælland",
    "syddanmark": "Kreds Syddanmark",
    "midtjylland": "Kreds Midtjylland",
    "nordjylland": "Kreds Nordjylland",
}


def seed(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    Circle = apps.get_model("circles", "Circle")
    for region in Region.objects.all():
        Circle.objects.get_or_create(
            slug=region.slug,
            defaults={
                "name": CIRCLE_NAMES.get(region.slug, f"Kreds {region.name}"),
                "region": region,
                "description": (
                    f"Den regionale kreds for kommunaldirektører i {region.name}. "
                    "Kredsen mødes jævnligt til faglig sparring og erfaringsudveksling."
                ),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("circles", "0002_initial"),
        ("members", "0002_regions_municipalities_board"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
