"""The sessions admin: days inline, trainer scoping (list, edit, delete, export, status,
schedule again), clash errors shown without saving, filters, SEQUENCE on save."""

import csv
import datetime
import io

import openpyxl
import pytest

from sessions.models import TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def form_data(course, *, days, reference="2031-HK-001", time_zone="Asia/Hong_Kong", **extra):
    data = {
        "reference": reference,
        "course": course.pk,
        "delivery": "in_person",
        "language": "en",
        "time_zone": time_zone,
        "venue": "Police HQ",
        "city": "Hong Kong",
        "country": "HK",
        "join_url": "",
        "capacity": "30",
        "eligibility": "all_verified",
        "notes": "",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "1",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (date, start, end) in enumerate(days):
        data[f"days-{i}-date"] = date.isoformat()
        data[f"days-{i}-start_time"] = start.strftime("%H:%M")
        data[f"days-{i}-end_time"] = end.strftime("%H:%M")
        data[f"days-{i}-id"] = ""
        data[f"days-{i}-DELETE"] = ""
    data.update(extra)
    return data


def edit_data(session, **changes):
    days = list(session.days.order_by("date"))
    data = form_data(
        session.course,
        days=[],
        reference=session.reference,
        time_zone=session.time_zone,
    )
    data["trainers"] = [str(t.pk) for t in session.trainers.all()]
    data["days-TOTAL_FORMS"] = str(len(days))
    data["days-INITIAL_FORMS"] = str(len(days))
    for i, day in enumerate(days):
        data[f"days-{i}-id"] = str(day.pk)
        data[f"days-{i}-date"] = day.date.isoformat()
        data[f"days-{i}-start_time"] = day.start_time.strftime("%H:%M")
        data[f"days-{i}-end_time"] = day.end_time.strftime("%H:%M")
        data[f"days-{i}-DELETE"] = ""
    data.update(changes)
    return data


@pytest.fixture
def trainer():
    return factories.trainer()


@pytest.fixture
def lead():
    return factories.lead()


def test_trainer_creates_a_two_day_session_with_days_inline_and_becomes_its_trainer(
    client, trainer
):
    course = factories.course()
    client.force_login(trainer)
    response = client.post(
        "/admin/sessions/new/",
        form_data(course, days=[(D(2031, 3, 4), T(9), T(17)), (D(2031, 3, 5), T(9), T(13))]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TrainingSession.objects.get(reference="2031-HK-001")
    assert session.status == TrainingSession.Status.DRAFT
    assert list(session.trainers.all()) == [trainer]
    assert (session.start_date, session.end_date) == (D(2031, 3, 4), D(2031, 3, 5))
    first = session.days.order_by("date").first()
    assert first.starts_at == datetime.datetime(2031, 3, 4, 1, 0, tzinfo=datetime.UTC)


def test_a_lead_creating_a_session_is_not_made_its_trainer(client, lead):
    client.force_login(lead)
    response = client.post(
        "/admin/sessions/new/", form_data(factories.course(), days=[(D(2031, 3, 4), T(9), T(17))])
    )
    assert response.status_code == 302
    assert not TrainingSession.objects.get(reference="2031-HK-001").trainers.exists()


def test_saving_in_the_admin_bumps_sequence_and_recomputes_instants(client, lead):
    session = factories.session(time_zone="Europe/London", days=[(D(2031, 7, 1), T(9), T(17))])
    client.force_login(lead)
    data = edit_data(session, time_zone="Asia/Tokyo")
    response = client.post(f"/admin/sessions/edit/{session.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.days.get().starts_at == datetime.datetime(2031, 7, 1, 0, 0, tzinfo=datetime.UTC)


def test_a_clash_is_shown_on_the_form_and_nothing_is_saved(client, trainer):
    other = factories.session(
        reference="2031-GB-007",
        time_zone="Europe/London",
        days=[(D(2031, 3, 4), T(9), T(17))],
    )
    other.trainers.add(trainer)
    client.force_login(trainer)
    # 16:00-18:00 in Hong Kong is 08:00-10:00 in London: overlaps 09:00-17:00 London.
    response = client.post(
        "/admin/sessions/new/",
        form_data(factories.course(), days=[(D(2031, 3, 4), T(16), T(18))]),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2031-GB-007" in body
    assert not TrainingSession.objects.filter(reference="2031-HK-001").exists()


def test_an_edit_that_clashes_is_refused_and_leaves_the_session_as_it_was(client, trainer):
    other = factories.session(
        reference="2031-GB-008", time_zone="Europe/London", days=[(D(2031, 3, 4), T(9), T(17))]
    )
    mine = factories.session(
        reference="2031-GB-009", time_zone="Europe/London", days=[(D(2031, 3, 5), T(9), T(17))]
    )
    other.trainers.add(trainer)
    mine.trainers.add(trainer)
    client.force_login(trainer)
    response = client.post(
        f"/admin/sessions/edit/{mine.pk}/", edit_data(mine, **{"days-0-date": "2031-03-04"})
    )
    assert response.status_code == 200
    assert "2031-GB-008" in response.content.decode()
    mine.refresh_from_db()
    assert mine.start_date == D(2031, 3, 5)
    assert mine.sequence == 0


# --- Scoping -----------------------------------------------------------------------------


@pytest.fixture
def two_sessions(trainer):
    mine = factories.session(reference="MINE-001")
    mine.trainers.add(trainer)
    theirs = factories.session(reference="THEIRS-001")
    theirs.trainers.add(factories.trainer())
    return mine, theirs


def test_a_trainer_lists_only_sessions_they_train(client, trainer, two_sessions):
    client.force_login(trainer)
    body = client.get("/admin/sessions/").content.decode()
    assert "MINE-001" in body
    assert "THEIRS-001" not in body


def test_a_lead_lists_every_session(client, lead, two_sessions):
    client.force_login(lead)
    body = client.get("/admin/sessions/").content.decode()
    assert "MINE-001" in body and "THEIRS-001" in body


@pytest.mark.parametrize("url", ["edit", "history", "usage", "status", "again"])
def test_another_trainers_session_answers_404(client, trainer, two_sessions, url):
    mine, theirs = two_sessions
    client.force_login(trainer)
    assert client.get(f"/admin/sessions/{url}/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/sessions/{url}/{mine.pk}/").status_code == 200


def test_a_trainer_cannot_post_an_edit_to_another_trainers_session(client, trainer, two_sessions):
    _mine, theirs = two_sessions
    client.force_login(trainer)
    response = client.post(
        f"/admin/sessions/edit/{theirs.pk}/", edit_data(theirs, city="Elsewhere")
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.city == ""


def test_delete_is_for_leads_only_and_scoped(client, trainer, lead, two_sessions):
    mine, theirs = two_sessions
    client.force_login(trainer)
    # Trainers hold no delete permission at all.
    assert client.get(f"/admin/sessions/delete/{mine.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/sessions/delete/{theirs.pk}/").status_code in (302, 403, 404)
    client.force_login(lead)
    assert client.post(f"/admin/sessions/delete/{theirs.pk}/").status_code == 302
    assert not TrainingSession.objects.filter(pk=theirs.pk).exists()


def test_officers_and_anonymous_are_kept_out(client, two_sessions):
    mine, _theirs = two_sessions
    for url in [
        "/admin/sessions/",
        f"/admin/sessions/edit/{mine.pk}/",
        f"/admin/sessions/status/{mine.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(factories.officer())
    for url in ["/admin/sessions/", f"/admin/sessions/edit/{mine.pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "/login/" in response["Location"]
    assert client.get(f"/admin/sessions/status/{mine.pk}/").status_code in (302, 403)


def test_csv_export_is_scoped_to_the_trainer(client, trainer, lead, two_sessions):
    client.force_login(trainer)
    response = client.get("/admin/sessions/?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    references = [row[0] for row in rows[1:]]
    assert references == ["MINE-001"]
    client.force_login(lead)
    response = client.get("/admin/sessions/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row[0] for row in rows[1:]) == ["MINE-001", "THEIRS-001"]


def test_xlsx_export_is_scoped_and_names_trainers(client, trainer, two_sessions):
    client.force_login(trainer)
    response = client.get("/admin/sessions/?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "MINE-001"
    assert str(trainer) in rows[1][-1]


def test_list_filters_year_status_delivery_country_course_trainer(client, lead, trainer):
    tokyo = factories.session(
        reference="Y2024-TOKYO",
        time_zone="Asia/Tokyo",
        country="JP",
        days=[(D(2024, 1, 1), T(8), T(12))],
    )
    tokyo.trainers.add(trainer)
    factories.session(
        reference="Y2023-LONDON",
        country="GB",
        delivery="remote",
        status="draft",
        days=[(D(2023, 12, 31), T(9), T(12))],
    )
    client.force_login(lead)

    def listed(query):
        body = client.get("/admin/sessions/?" + query).content.decode()
        return {ref for ref in ["Y2024-TOKYO", "Y2023-LONDON"] if ref in body}

    # 08:00 in Tokyo on 1 January is still 31 December in UTC: it belongs to 2024.
    assert listed("year=2024") == {"Y2024-TOKYO"}
    assert listed("year=2023") == {"Y2023-LONDON"}
    assert listed("status=draft") == {"Y2023-LONDON"}
    assert listed("delivery=remote") == {"Y2023-LONDON"}
    assert listed("country=jp") == {"Y2024-TOKYO"}
    assert listed(f"course={tokyo.course_id}") == {"Y2024-TOKYO"}
    assert listed(f"trainer={trainer.pk}") == {"Y2024-TOKYO"}


# --- Status and schedule again -----------------------------------------------------------


def test_status_view_schedules_and_refuses_bad_transitions(client, trainer, two_sessions):
    mine, _theirs = two_sessions
    TrainingSession.objects.filter(pk=mine.pk).update(status="draft")
    client.force_login(trainer)
    response = client.post(f"/admin/sessions/status/{mine.pk}/", {"status": "scheduled"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "scheduled" and mine.sequence == 1
    # Its only day is in 2030-03: not over yet, so it cannot be delivered.
    response = client.post(f"/admin/sessions/status/{mine.pk}/", {"status": "delivered"})
    assert response.status_code == 200
    assert "only after its last day has ended" in response.content.decode()
    response = client.post(f"/admin/sessions/status/{mine.pk}/", {"status": "cancelled"})
    assert "reason for cancelling" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "scheduled"


def test_schedule_again_copies_days_and_trainers_as_a_draft(client, trainer):
    original = factories.session(
        reference="2031-HK-010",
        time_zone="Asia/Hong_Kong",
        country="HK",
        days=[(D(2031, 3, 4), T(9), T(17)), (D(2031, 3, 6), T(10), T(12))],
    )
    original.trainers.add(trainer)
    factories.registration(session_obj=original)
    client.force_login(trainer)
    response = client.post(
        f"/admin/sessions/again/{original.pk}/", {"first_date": "2032-05-10", "reference": ""}
    )
    assert response.status_code == 302
    copy = TrainingSession.objects.exclude(pk=original.pk).get()
    assert copy.reference == "2032-HK-001"
    assert copy.status == "draft"
    assert [(d.date, d.start_time) for d in copy.days.order_by("date")] == [
        (D(2032, 5, 10), T(9)),
        (D(2032, 5, 12), T(10)),
    ]
    assert list(copy.trainers.all()) == [trainer]
    assert not copy.registrations.exists()


def test_a_trainer_cannot_remove_themselves_from_a_session(client, trainer, two_sessions):
    mine, _theirs = two_sessions
    client.force_login(trainer)
    data = edit_data(mine)
    data["trainers"] = []
    response = client.post(f"/admin/sessions/edit/{mine.pk}/", data)
    assert response.status_code == 200
    assert "You cannot remove yourself" in response.content.decode()
    assert list(mine.trainers.all()) == [trainer]


def test_registration_must_close_after_it_opens(client, lead):
    client.force_login(lead)
    data = form_data(
        factories.course(),
        days=[(D(2031, 3, 4), T(9), T(17))],
        registration_opens="2031-02-01 09:00",
        registration_closes="2031-01-01 09:00",
    )
    response = client.post("/admin/sessions/new/", data)
    assert response.status_code == 200
    assert "Registration must close after it opens." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_overlapping_days_of_one_session_on_the_same_date_are_refused(client, lead):
    client.force_login(lead)
    data = form_data(
        factories.course(), days=[(D(2031, 3, 4), T(9), T(12)), (D(2031, 3, 4), T(13), T(17))]
    )
    response = client.post("/admin/sessions/new/", data)
    assert response.status_code == 200
    # The days formset checks the (session, date) unique constraint itself.
    assert "duplicate data for session and date" in response.content.decode()
    assert not TrainingSession.objects.exists()


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_sessions_saved_at_once_for_one_trainer_do_not_both_pass():
    """Each save writes its session and days, then checks clashes, in one transaction; the
    trainer's row lock makes the second check wait for (and see) the first save."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, connections, transaction

    from sessions.schedule import services as schedule_services

    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every writer anyway.")
    trainer = factories.trainer()
    lead = factories.lead()
    course = factories.course()
    barrier = threading.Barrier(2)
    outcomes = []

    def save(reference):
        try:
            with transaction.atomic():
                session = factories.session(
                    course_obj=course, reference=reference, days=[(D(2031, 3, 4), T(9), T(17))]
                )
                session.trainers.add(trainer)
                barrier.wait()
                schedule_services.record_admin_save(session=session, acting_user=lead, created=True)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("clash")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(ref,)) for ref in ("2031-X-1", "2031-X-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["clash", "saved"]
    assert TrainingSession.objects.filter(reference__startswith="2031-X-").count() == 1


def test_the_session_list_shows_seats_taken_and_searches_course_code_and_title(client, lead):
    course = factories.course(title="Blockchain tracing", code="BCT-201")
    session = factories.session(course_obj=course, capacity=30, reference="2031-TH-009")
    other = factories.session(reference="2031-SG-001")
    factories.registration(session_obj=session)
    factories.registration(session_obj=session, status="waitlisted")
    client.force_login(lead)
    page = client.get("/admin/sessions/").content.decode()
    assert "1 / 30" in page  # confirmed seats only, of the capacity
    for q in ("BCT-201", "Blockchain"):
        found = client.get("/admin/sessions/", {"q": q}).content.decode()
        assert session.reference in found and other.reference not in found


def test_the_edit_page_says_the_sessions_status(client, lead):
    session = factories.session(status=TrainingSession.Status.DRAFT, reference="2031-HK-042")
    client.force_login(lead)
    page = client.get(f"/admin/sessions/edit/{session.pk}/").content.decode()
    assert f"{session} · Draft" in page
