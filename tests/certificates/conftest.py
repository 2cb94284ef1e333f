import pytest

from courses.models import CoursePage
from tests import factories


@pytest.fixture
def course_rules(monkeypatch):
    """Set the required attendance share and certificate template of every course a test has
    made so far and will make."""

    def apply(percent=80, key="completion"):
        values = {"certificate_attendance_percent": percent, "certificate_template": key}
        for name, value in values.items():
            monkeypatch.setitem(factories.COURSE_DEFAULTS, name, value)
        CoursePage.objects.update(**values)

    apply()
    return apply
