"""Load ISO 3166 countries and subdivisions, and the supranational bodies officers come from."""

import pycountry
from django.db import migrations

SUPRANATIONAL = [
    ("EU", "European Union"),
    ("INTERPOL", "INTERPOL"),
    ("EUROPOL", "Europol"),
    ("UN", "United Nations"),
    ("FATF", "Financial Action Task Force"),
    ("ASEANAPOL", "ASEANAPOL"),
]


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("attendees", "Jurisdiction")
    Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(code=c.alpha_2, name=getattr(c, "common_name", c.name), kind="country")
            for c in pycountry.countries
        ]
    )
    countries = dict(Jurisdiction.objects.values_list("code", "pk"))
    Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(
                code=s.code, name=s.name, kind="subdivision", parent_id=countries[s.country_code]
            )
            for s in pycountry.subdivisions
            if s.country_code in countries
        ],
        batch_size=500,
    )
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(code=code, name=name, kind="supranational") for code, name in SUPRANATIONAL]
    )


def unload(apps, schema_editor):
    apps.get_model("attendees", "Jurisdiction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("attendees", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
