import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_page_shows_published_courses(client):
    factories.course(code="VAI-201", title="Advanced virtual-asset investigations")
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Advanced virtual-asset investigations" in response.content.decode()


def test_catalogue_lists_published_courses_only(client):
    factories.course(code="VAI-201", title="Published course")
    factories.course(code="OLD-001", title="Retired course", live=False)
    html = client.get("/en/courses/").content.decode()
    assert "Published course" in html and "VAI-201" in html
    assert "Retired course" not in html


def test_course_page_renders_its_facts(client):
    page = factories.course(code="BCT-210", title="Blockchain tracing in practice")
    html = client.get(page.url).content.decode()
    assert "BCT-210" in html and "Blockchain tracing in practice" in html


def test_course_pages_live_only_under_the_catalogue():
    from courses.models import CoursePage, HomePage

    assert CoursePage.parent_page_types == ["courses.CourseIndexPage"]
    assert not HomePage.can_create_at(HomePage.objects.get())  # only one home page
