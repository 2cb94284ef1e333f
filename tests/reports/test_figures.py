"""The counting rules of reports/figures.py, each at its edge."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendees.models import Jurisdiction
from reports import figures
from reports.figures import Filters, year_report
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
DELIVERED = "delivered"


def delivered(days, **fields):
    return factories.session(status=DELIVERED, days=days, **fields)


NINE, FIVE = T(9), T(17)


def one_day(date, start=NINE, end=FIVE):
    return [(date, start, end)]


def test_a_session_belongs_to_its_first_local_day_not_its_utc_date():
    # 1 January 08:00 in Tokyo is still 31 December in UTC: it is a 2023 session.
    tokyo = delivered(one_day(D(2023, 1, 1), T(8), T(12)), time_zone="Asia/Tokyo", country="JP")
    # 31 December 19:00 in Los Angeles is already 1 January in UTC: a 2022 session.
    la = delivered(
        one_day(D(2022, 12, 31), T(19), T(21)), time_zone="America/Los_Angeles", country="US"
    )
    assert tokyo.days.get().starts_at.year == 2022
    assert la.days.get().starts_at.year == 2023

    r2022, r2023 = year_report(2022), year_report(2023)
    assert r2022["sessions"]["delivered"] == 1
    assert r2022["by_country"] == {"US": 1}
    assert r2023["sessions"]["delivered"] == 1
    assert r2023["by_country"] == {"JP": 1}
    assert r2022["training_hours"] == 2
    assert r2023["training_hours"] == 4


def test_a_multi_day_session_over_new_year_counts_once_in_its_first_year_with_all_its_hours():
    delivered(
        [
            (D(2022, 12, 30), T(9), T(17)),
            (D(2022, 12, 31), T(9), T(13)),
            (D(2023, 1, 2), T(9), T(12)),
        ],
        country="GB",
    )
    r2022, r2023 = year_report(2022), year_report(2023)
    assert r2022["sessions"]["delivered"] == 1
    assert r2022["training_hours"] == 15
    assert r2023["sessions"]["delivered"] == 0
    assert r2023["training_hours"] == 0


def test_statuses_drafts_never_count_and_delivery_splits_the_delivered():
    day = one_day(D(2023, 5, 2))
    delivered(day, delivery="in_person", country="HK")
    delivered(one_day(D(2023, 5, 3)), delivery="hybrid", country="HK")
    delivered(one_day(D(2023, 5, 4)), delivery="remote", country="")
    factories.session(status="scheduled", days=one_day(D(2023, 6, 1)), country="HK")
    factories.session(status="cancelled", days=one_day(D(2023, 6, 2)), country="HK")
    factories.session(status="draft", days=one_day(D(2023, 6, 3)), country="HK")
    report = year_report(2023)
    assert report["sessions"] == {
        "delivered": 3,
        "in_person": 1,
        "remote": 1,
        "hybrid": 1,
        "planned": 1,
        "cancelled": 1,
    }
    # The remote session without a country is left out of by_country but counted above.
    assert report["by_country"] == {"HK": 2}
    # Hours come from delivered sessions only.
    assert report["training_hours"] == 24


def test_by_course_counts_delivered_sessions_by_course_code():
    vai = factories.course(code="VAI-201")
    other = factories.course(code="BCT-210")
    delivered(one_day(D(2023, 3, 1)), course_obj=vai)
    delivered(one_day(D(2023, 3, 2)), course_obj=vai)
    delivered(one_day(D(2023, 3, 3)), course_obj=other)
    factories.session(status="cancelled", days=one_day(D(2023, 3, 4)), course_obj=other)
    assert year_report(2023)["by_course"] == {"BCT-210": 1, "VAI-201": 2}


def test_an_officer_on_two_sessions_is_two_participants_and_one_officer():
    first = delivered([(D(2023, 4, 3), T(9), T(17)), (D(2023, 4, 4), T(9), T(17))])
    second = delivered(one_day(D(2023, 9, 1)))
    officer = factories.officer()
    # Present on both days of the first session: still one participant there.
    factories.attended(session_obj=first, officer_obj=officer, statuses=("present", "present"))
    factories.attended(session_obj=second, officer_obj=officer, statuses=("late",))
    report = year_report(2023)
    assert report["participants"] == 2
    assert report["officers"] == 1
    assert report["agencies"] == 1
    assert report["jurisdictions"] == 1


def test_only_present_or_late_on_some_day_makes_a_participant():
    session = delivered([(D(2023, 4, 3), T(9), T(17)), (D(2023, 4, 4), T(9), T(17))])
    factories.attended(
        session_obj=session, officer_obj=factories.officer(), statuses=("absent", "late")
    )
    factories.attended(
        session_obj=session, officer_obj=factories.officer(), statuses=("excused", "absent")
    )
    factories.attended(session_obj=session, officer_obj=factories.officer(), statuses=())
    report = year_report(2023)
    assert report["participants"] == 1
    assert report["officers"] == 1


def test_attendance_at_sessions_not_delivered_does_not_count():
    officer = factories.officer()
    for status in ("scheduled", "cancelled", "draft"):
        session = factories.session(status=status, days=one_day(D(2023, 7, 3)))
        factories.attended(session_obj=session, officer_obj=officer)
    report = year_report(2023)
    assert (report["participants"], report["officers"], report["agencies"]) == (0, 0, 0)


def test_headcounts_add_participants_agencies_and_countries():
    session = delivered(one_day(D(2023, 10, 9)), country="HK")
    hkpf = factories.agency(country="HK")
    officer = factories.officer(agency_obj=hkpf)
    factories.attended(session_obj=session, officer_obj=officer)
    # 40 more from the officer's own agency: no new agency, no new country.
    factories.headcount(session_obj=session, count=40, agency_obj=hkpf)
    # 12 from an agency in Singapore, 25 counted by jurisdiction in a subdivision of Australia.
    factories.headcount(session_obj=session, count=12, agency_obj=factories.agency(country="SG"))
    factories.headcount(session_obj=session, count=25, jurisdiction="AU-NSW")
    report = year_report(2023)
    assert report["participants"] == 1 + 40 + 12 + 25
    assert report["officers"] == 1
    assert report["agencies"] == 2
    assert report["jurisdictions"] == 3  # HK, SG, AU


def test_subdivisions_count_as_their_country_and_supranational_bodies_as_none():
    session = delivered(one_day(D(2023, 2, 6)))
    for jurisdiction in ("US", "US-CA", "US-NY", "EU"):
        agency = factories.agency(country=jurisdiction)
        factories.attended(session_obj=session, officer_obj=factories.officer(agency_obj=agency))
    factories.headcount(session_obj=session, count=5, jurisdiction="INTERPOL")
    factories.headcount(session_obj=session, count=5, jurisdiction="GB-SCT")
    report = year_report(2023)
    assert report["participants"] == 4 + 10
    assert report["agencies"] == 4
    assert report["jurisdictions"] == 2  # US (three ways) and GB; EU and INTERPOL are no country


def test_country_of_in_sql_matches_the_model_property():
    Jurisdiction.objects.create(code="XQ", name="Not ISO 3166-2", kind="subdivision")
    codes = ["HK", "US", "US-CA", "GB-SCT", "FR-75C", "EU", "INTERPOL", "CN-HK", "XQ"]
    jurisdictions = Jurisdiction.objects.filter(code__in=codes)
    assert jurisdictions.count() >= 6
    in_sql = dict(
        Jurisdiction.objects.filter(code__in=codes)
        .annotate(c=figures.country_of(""))
        .values_list("code", "c")
    )
    assert in_sql == {j.code: j.country_code for j in jurisdictions}


def test_training_hours_sum_each_days_scheduled_length_across_zones():
    delivered(
        [(D(2023, 3, 6), T(9), T(16, 30)), (D(2023, 3, 7), T(13), T(14, 15))],
        time_zone="Asia/Kolkata",
    )
    delivered(one_day(D(2023, 3, 8), T(22), T(23, 45)), time_zone="Pacific/Auckland")
    assert year_report(2023)["training_hours"] == 7.5 + 1.25 + 1.75


def test_filters_narrow_every_figure_to_a_course_and_a_country():
    course = factories.course()
    kept = delivered(one_day(D(2023, 3, 1)), course_obj=course, country="HK")
    delivered(one_day(D(2023, 3, 2)), country="HK")
    delivered(one_day(D(2023, 3, 3)), course_obj=course, country="SG")
    factories.attended(session_obj=kept, officer_obj=factories.officer())
    report = year_report(2023, filters=Filters(course_id=course.pk, country="HK"))
    assert report["sessions"]["delivered"] == 1
    assert report["participants"] == 1
    assert report["by_country"] == {"HK": 1}


def test_certificates_count_issued_in_the_year_and_not_revoked():
    from certificates import services

    factories.certificate_template()
    lead = factories.user(role="Programme lead")
    session = factories.delivered_session(day_count=1, start=D(2023, 3, 6))
    officers = [factories.officer() for _ in range(3)]
    for officer in officers:
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    issued = [
        services.issue_certificate(session=session, officer=o, acting_user=lead) for o in officers
    ]
    services.revoke(certificate=issued[0], reason="Issued in error.", acting_user=lead)
    services.reissue(certificate=issued[1], reason="Name corrected.", acting_user=lead)
    year = issued[2].issued_at.year
    # One revoked; one re-issued (counted once); one plain.
    assert figures.certificates_issued(year) == 2
    assert figures.certificates_issued(year - 1) == 0
    assert year_report(year)["certificates"] == 2


def test_report_keys_come_in_the_documented_order():
    assert list(year_report(2023)) == [
        "year",
        "sessions",
        "by_country",
        "by_course",
        "participants",
        "officers",
        "agencies",
        "jurisdictions",
        "training_hours",
        "certificates",
        "feedback",
    ]


def test_the_yearly_report_takes_the_same_queries_for_10_or_200_sessions():
    def fill(n, year):
        for i in range(n):
            session = delivered(one_day(D(year, 1, 1) + datetime.timedelta(days=i % 360)))
            if i % 5 == 0:
                factories.headcount(session_obj=session, count=3, jurisdiction="HK")

    fill(10, 2022)
    fill(200, 2023)
    with CaptureQueriesContext(connection) as small:
        year_report(2022)
    with CaptureQueriesContext(connection) as large:
        year_report(2023)
    # 8 for the programme figures, 4 for the feedback ones (issue 17).
    assert len(small) == len(large) <= 12


def test_the_certificates_figure_honours_the_course_and_country_filters():
    from certificates import services

    factories.certificate_template()
    lead = factories.user(role="Programme lead")
    course = factories.course()
    ours = factories.delivered_session(day_count=1, course_obj=course, country="HK")
    elsewhere = factories.delivered_session(day_count=1, course_obj=course, country="SG")
    other_course = factories.delivered_session(day_count=1, country="HK")
    for session in (ours, elsewhere, other_course):
        officer = factories.officer()
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
        issued = services.issue_certificate(session=session, officer=officer, acting_user=lead)
    year = issued.issued_at.year
    assert figures.certificates_issued(year) == 3
    assert figures.certificates_issued(year, filters=Filters(course_id=course.pk)) == 2
    both = Filters(course_id=course.pk, country="HK")
    assert figures.certificates_issued(year, filters=both) == 1
    assert year_report(year, filters=both)["certificates"] == 1
    # Refusal: a filter nothing matches counts nothing, rather than falling back to all.
    assert figures.certificates_issued(year, filters=Filters(country="JP")) == 0


def test_a_cancelled_registration_marked_present_is_not_a_participant():
    from sessions.models import Registration

    session = factories.delivered_session(day_count=1, start=D(2023, 3, 6))
    kept = factories.attendance(session_obj=session, officer_obj=factories.officer(), attended=1)
    gone = factories.attendance(session_obj=session, officer_obj=factories.officer(), attended=1)
    Registration.objects.filter(pk=gone.pk).update(status=Registration.Status.CANCELLED)
    assert list(figures.participations(2023).values_list("pk", flat=True)) == [kept.pk]
    assert year_report(2023)["participants"] == 1
