"""A Wagtail Locale for every offered language, so editors can translate pages into each, and
the Editor group's permission to use Translate (wagtail.contrib.simple_translation)."""

from django.db import migrations

# The offered languages when this migration was written (muster/settings/base.py LANGUAGES).
LANGUAGE_CODES = ["en", "th", "zh-hant", "zh-hans", "ko"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)
    # Permissions are otherwise created after all migrations; the group needs this one now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    permission, _ = Permission.objects.get_or_create(
        codename="submit_translation",
        content_type=content_type,
        defaults={"name": "Can submit translations"},
    )
    editors = Group.objects.filter(name="Editor").first()
    if editors is not None:
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_material_language_course_code_per_translation"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
