"""A Wagtail Locale for every offered language, so editors can translate pages into each (the
Editor group's permission to use Translate is in accounts/roles.py)."""

from django.db import migrations

# The offered languages when this migration was written (muster/settings/base.py LANGUAGES).
LANGUAGE_CODES = ["en", "th", "zh-hant", "zh-hans", "ko"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_material_language_course_code_per_translation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
