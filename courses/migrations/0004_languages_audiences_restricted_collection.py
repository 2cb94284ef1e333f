"""Load the course languages and audience types, and create the private collection for
restricted course materials.

The collection carries a Wagtail view restriction (Editor and Programme lead groups only), so
Wagtail's own document URL refuses its documents to everyone else even before the
before_serve_document hook in courses/wagtail_hooks.py sends them to the checked view.
Editors get the same document permissions on it that courses/0002 gives them on the root.
"""

from django.db import migrations

LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("th", "Thai"),
    ("zh-hans", "Chinese (Simplified)"),
    ("zh-hant", "Chinese (Traditional)"),
    ("ko", "Korean"),
    ("ja", "Japanese"),
    ("id", "Indonesian"),
    ("ms", "Malay"),
    ("vi", "Vietnamese"),
]
AGENCY_TYPES = [
    "police",
    "prosecution",
    "fiu",
    "regulator",
    "central_bank",
    "customs_tax",
    "judiciary",
    "financial_institution",
    "other",
]
COLLECTION_NAME = "Restricted course materials"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 per level


def _next_child_path(parent, children):
    last = max((c.path for c in children), default=None)
    number = 0 if last is None else int(last[-4:], 36)
    number += 1
    segment = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        segment = ALPHABET[digit] + segment
    return parent.path + segment


def forwards(apps, schema_editor):
    Language = apps.get_model("courses", "Language")
    AudienceType = apps.get_model("courses", "AudienceType")
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    for code in AGENCY_TYPES:
        AudienceType.objects.get_or_create(code=code)

    root = Collection.objects.get(depth=1)
    children = list(Collection.objects.filter(depth=2, path__startswith=root.path))
    collection = next((c for c in children if c.name == COLLECTION_NAME), None)
    if collection is None:
        collection = Collection.objects.create(
            name=COLLECTION_NAME,
            path=_next_child_path(root, children),
            depth=2,
            numchild=0,
        )
        Collection.objects.filter(pk=root.pk).update(numchild=len(children) + 1)

    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="groups"
    )
    restriction.groups.set(Group.objects.filter(name__in=["Editor", "Programme lead"]))

    editors = Group.objects.get(name="Editor")
    for codename in ["add_document", "change_document", "choose_document"]:
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            ),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_facts_materials_downloads"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
