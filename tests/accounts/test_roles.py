import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from accounts import roles
from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_four_roles_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.OFFICER, roles.TRAINER, roles.PROGRAMME_LEAD, roles.EDITOR} <= names


def test_officers_cannot_open_the_admin():
    assert "wagtailadmin.access_admin" not in codenames(roles.OFFICER)


def test_staff_roles_open_the_admin():
    for role in (roles.TRAINER, roles.PROGRAMME_LEAD, roles.EDITOR):
        assert "wagtailadmin.access_admin" in codenames(role)


def test_trainers_cannot_delete_sessions_but_leads_can():
    assert "training_sessions.delete_trainingsession" not in codenames(roles.TRAINER)
    assert "training_sessions.delete_trainingsession" in codenames(roles.PROGRAMME_LEAD)
    assert "attendees.change_agency" in codenames(roles.PROGRAMME_LEAD)
    assert "attendees.change_agency" not in codenames(roles.TRAINER)


def test_editors_may_publish_in_the_catalogue_only():
    catalogue = CourseIndexPage.objects.get()
    granted = set(
        GroupPagePermission.objects.filter(group__name=roles.EDITOR).values_list(
            "page_id", "permission__codename"
        )
    )
    assert granted == {
        (catalogue.pk, "add_page"),
        (catalogue.pk, "change_page"),
        (catalogue.pk, "publish_page"),
    }


def test_every_listed_permission_exists():
    """A typo in ROLE_PERMISSIONS would silently grant nothing: catch it here."""
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        have = codenames(role)
        for app_label, codename in wanted:
            assert f"{app_label}.{codename}" in have, (role, codename)
