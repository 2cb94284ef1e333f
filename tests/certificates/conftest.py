import pytest

from certificates import course_settings


@pytest.fixture
def course_rules(monkeypatch):
    """Set the course's required share and template key (the course fields land at merge)."""

    def apply(percent=80, key="completion"):
        monkeypatch.setattr(course_settings, "required_attendance_percent", lambda course: percent)
        monkeypatch.setattr(course_settings, "template_key", lambda course: key)

    apply()
    return apply
