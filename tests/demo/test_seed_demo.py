import datetime
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from attendees.models import Agency, OfficerProfile
from courses.models import CoursePage
from demo import builder, data
from sessions.models import SessionDay, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_programme):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (CoursePage, Agency, OfficerProfile, TrainingSession, SessionDay)
    }


def delivered_in(year):
    return TrainingSession.objects.filter(status="delivered", start_date__year=year).count()


def test_demo_programme_matches_the_reported_figures(seeded):
    assert delivered_in(2022) == 70
    assert delivered_in(2023) == 120
    assert TrainingSession.objects.filter(status="cancelled").count() >= 3
    assert CoursePage.objects.live().count() >= 8
    assert Agency.objects.count() >= 80
    assert Agency.objects.values("jurisdiction").distinct().count() >= 40


def test_demo_has_upcoming_sessions_of_every_kind(seeded):
    today = datetime.date.today()
    upcoming = TrainingSession.objects.filter(status="scheduled", start_date__gt=today)
    assert upcoming.count() >= 10
    deliveries = set(TrainingSession.objects.values_list("delivery", flat=True))
    assert deliveries == {"in_person", "remote", "hybrid"}
    multi_day = TrainingSession.objects.annotate(n=Count("days")).filter(n__gt=1)
    assert multi_day.exists()
    assert TrainingSession.objects.values("time_zone").distinct().count() >= 10
    # Remote sessions may belong to no country; the reports leave those out of by_country.
    assert TrainingSession.objects.filter(delivery="remote", country="").exists()


def test_every_demo_session_has_a_trainer_and_days_in_order(seeded):
    assert not TrainingSession.objects.filter(trainers=None).exists()
    assert not TrainingSession.objects.filter(days=None).exists()
    for s in TrainingSession.objects.prefetch_related("days")[:50]:
        days = list(s.days.all())
        assert s.start_date == days[0].date and s.end_date == days[-1].date


def test_running_it_again_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def test_output_prints_every_login(demo_programme, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for role, email, password, _first, _last in data.LOGINS:
        assert role in out and email in out and password in out


def test_demo_logins_can_sign_in(seeded, client):
    for _role, email, password, _first, _last in data.LOGINS:
        assert client.login(email=email, password=password), email
        client.logout()


def snapshot():
    return list(
        TrainingSession.objects.order_by("reference").values_list(
            "reference", "course__code", "delivery", "time_zone", "start_date", "end_date"
        )
    )


def test_demo_is_deterministic():
    fixed = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    runs = []
    for _ in range(2):
        with transaction.atomic():
            builder.build(now=fixed)
            runs.append(snapshot())
            transaction.set_rollback(True)
    assert runs[0] and runs[0] == runs[1]


def test_demo_officers_who_prefer_thai_and_korean_and_the_output_says_so(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "officer@police-th.example" in out and "officer-th-demo-2023" in out
    assert re.search(r"officer@police-th\.example +ภาษาไทย", out)
    assert re.search(r"officer@knpa\.example +한국어", out)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert users.get(email="officer@police-th.example").preferred_language == "th"
    korean = users.get(email="officer@knpa.example")
    assert korean.preferred_language == "ko"
    assert korean.officer_profile.verification == OfficerProfile.Verification.VERIFIED


def test_demo_translates_a_course_into_thai_and_traditional_chinese(seeded, client, capsys):
    course = CoursePage.objects.get(code=data.TRANSLATED_COURSE, locale__language_code="en")
    thai = client.get(f"/th/courses/{course.slug}/").content.decode()
    assert '<h1 lang="th">การสืบสวนสินทรัพย์เสมือน: พื้นฐาน</h1>' in thai
    chinese = client.get(f"/zh-hant/courses/{course.slug}/").content.decode()
    assert '<h1 lang="zh-hant">虛擬資產調查：基礎</h1>' in chinese  # noqa: RUF001
    other = CoursePage.objects.filter(locale__language_code="en").exclude(pk=course.pk).first()
    assert "untranslated-note" in client.get(f"/th/courses/{other.slug}/").content.decode()
    assert "執法人員培訓" in client.get("/zh-hant/").content.decode()
    # The catalogue still lists every course once.
    assert client.get("/th/courses/").context["result_count"] == len(data.COURSES)
    call_command("seed_demo")
    assert "the home page, the catalogue and VAI-101" in capsys.readouterr().out
