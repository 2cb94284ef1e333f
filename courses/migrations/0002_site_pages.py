"""Replace Wagtail's welcome page with Muster's home page and an empty course catalogue.

Editors may add, change and publish pages in the catalogue, and use documents and images.
"""

from django.db import migrations


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("courses", "HomePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", slug="home").delete()
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Law-enforcement training",
        draft_title="Law-enforcement training",
        slug="home",
        content_type=ContentType.objects.get_for_model(HomePage),
        path="00010001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
        introduction=(
            "Workshops, multi-day courses and remote sessions for police, prosecutors, financial "
            "intelligence units and regulators on virtual-asset investigations."
        ),
    )
    catalogue = CourseIndexPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=ContentType.objects.get_for_model(CourseIndexPage),
        path="000100010001",
        depth=3,
        numchild=0,
        url_path="/home/courses/",
        locale=locale,
        live=True,
        introduction="Every course the programme teaches, in person and online.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Muster"
    )

    editors = Group.objects.get(name="Editor")
    for codename in ["add_page", "change_page", "publish_page"]:
        GroupPagePermission.objects.create(
            group=editors,
            page=catalogue,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, codenames in [
        ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
        ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ]:
        for codename in codenames:
            GroupCollectionPermission.objects.create(
                group=editors,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
