"""The download log in the admin: read by programme leads and editors, written by nobody; and
editors attach materials on the course page."""

import pytest

from accounts import roles
from courses.models import MaterialDownload
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    material = factories.material(access="verified", title="Handbook")
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    return MaterialDownload.objects.create(
        user=officer,
        material=material,
        title=material.title,
        label=material.label,
        course_code=material.page.code,
    )


@pytest.mark.parametrize("role", [roles.PROGRAMME_LEAD, roles.EDITOR])
def test_leads_and_editors_read_the_download_log(client, logged, role):
    client.force_login(factories.user(role=role))
    response = client.get("/admin/material_downloads/")
    assert response.status_code == 200
    assert "Handbook" in response.content.decode() and "Mei Cheung" in response.content.decode()


@pytest.mark.parametrize("role", [roles.PROGRAMME_LEAD, roles.EDITOR, "superuser"])
def test_nobody_adds_edits_or_deletes_log_rows(client, logged, role):
    user = (
        factories.user(is_superuser=True, is_staff=True)
        if role == "superuser"
        else factories.user(role=role)
    )
    client.force_login(user)
    assert client.get("/admin/material_downloads/new/").status_code in (302, 403)
    assert client.get(f"/admin/material_downloads/edit/{logged.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/material_downloads/delete/{logged.pk}/").status_code in (302, 403)
    assert MaterialDownload.objects.filter(pk=logged.pk).exists()


@pytest.mark.parametrize("role", [roles.OFFICER, roles.TRAINER])
def test_officers_and_trainers_do_not_see_the_log(client, logged, role):
    user = factories.officer() if role == roles.OFFICER else factories.user(role=role)
    client.force_login(user)
    response = client.get("/admin/material_downloads/")
    assert response.status_code in (302, 403)


def test_the_log_outlives_a_removed_material(logged):
    logged.material.delete()
    logged.refresh_from_db()
    assert logged.material is None and logged.title == "Handbook"


def test_editors_edit_course_pages_with_materials(client):
    course = factories.course()
    factories.material(course_obj=course, access="attendees", title="Case file")
    client.force_login(factories.user(role=roles.EDITOR))
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "Case file" in html and "materials-" in html
