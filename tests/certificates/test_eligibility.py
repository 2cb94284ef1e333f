import pytest

from accounts import roles
from certificates import eligibility, services
from tests import factories

pytestmark = pytest.mark.django_db


def verdict(session, officer):
    return eligibility.for_officer(session, officer)


@pytest.mark.parametrize(
    ("days", "attended", "percent", "eligible"),
    [
        (5, 4, 80, True),  # exactly 80%
        (5, 3, 80, False),
        (3, 2, 67, False),  # 66.67% is short of 67%, no float rounding lets it through
        (3, 2, 66, True),
        (3, 3, 100, True),
        (3, 2, 100, False),
        (1, 0, 0, True),  # a course that asks for nothing
        (10, 8, 80, True),
        (10, 7, 80, False),
    ],
)
def test_share_of_days_at_the_boundary(course_rules, days, attended, percent, eligible):
    course_rules(percent=percent)
    session = factories.delivered_session(day_count=days)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=attended)
    assert verdict(session, officer).eligible is eligible


def test_late_counts_as_attended_excused_does_not(course_rules):
    session = factories.delivered_session(day_count=5)
    late = factories.officer()
    excused = factories.officer()
    factories.attendance(
        session_obj=session,
        officer_obj=late,
        attended=0,
        statuses=["late", "late", "present", "late", "absent"],
    )
    factories.attendance(
        session_obj=session,
        officer_obj=excused,
        attended=0,
        statuses=["present", "present", "present", "excused", "excused"],
    )
    assert verdict(session, late).eligible
    assert not verdict(session, excused).eligible
    assert "3 of 5" in verdict(session, excused).explanation


def test_override_both_ways_keeps_the_reason(course_rules):
    lead = factories.user(role=roles.PROGRAMME_LEAD)
    session = factories.delivered_session(day_count=5)
    short, full = factories.officer(), factories.officer()
    factories.attendance(session_obj=session, officer_obj=short, attended=2)
    factories.attendance(session_obj=session, officer_obj=full, attended=5)

    services.set_override(
        session=session,
        officer=short,
        eligible=True,
        reason="Attended the make-up day remotely.",
        acting_user=lead,
    )
    services.set_override(
        session=session,
        officer=full,
        eligible=False,
        reason="Left before the assessment.",
        acting_user=lead,
    )
    up, down = verdict(session, short), verdict(session, full)
    assert up.eligible and not up.meets_rule
    assert not down.eligible and down.meets_rule
    assert "Attended the make-up day remotely." in up.explanation
    assert "Left before the assessment." in down.explanation
    assert up.override.decided_by == lead


def test_override_needs_a_reason(course_rules):
    from django.core.exceptions import ValidationError

    from certificates.models import EligibilityOverride

    lead = factories.user(role=roles.PROGRAMME_LEAD)
    session = factories.delivered_session(day_count=2)
    officer = factories.officer()
    with pytest.raises(ValidationError):
        services.set_override(
            session=session, officer=officer, eligible=True, reason="  ", acting_user=lead
        )
    assert not EligibilityOverride.objects.exists()


def test_only_confirmed_registrations_are_on_the_roster(course_rules):
    from sessions.models import Registration

    session = factories.delivered_session(day_count=1)
    officer = factories.officer()
    registration = factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    assert eligibility.for_session(session) == []


def test_for_session_query_count_does_not_grow(course_rules, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = factories.delivered_session(day_count=2)
    for _ in range(3):
        factories.attendance(session_obj=session, officer_obj=factories.officer(), attended=2)
    with CaptureQueriesContext(connection) as few:
        eligibility.for_session(session)
    for _ in range(12):
        factories.attendance(session_obj=session, officer_obj=factories.officer(), attended=1)
    with CaptureQueriesContext(connection) as many:
        rows = eligibility.for_session(session)
    assert len(rows) == 15
    assert len(many) == len(few)
