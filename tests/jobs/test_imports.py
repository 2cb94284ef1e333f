"""Import jobs: confirming queues a job (with its audit entry), the worker imports all or
nothing, the progress answers only the starter and leads, and the starter is mailed once."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from audit.models import AuditEntry
from jobs import registry, runner, services, tasks
from jobs.models import ImportJob, SentEmail
from sessions.models import Attendance, Registration
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    s = factories.session(
        days=[
            (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
        ]
    )
    trainer = factories.trainer()
    s.trainers.add(trainer)
    return s, trainer


def plan_entry(row, email, marks=None):
    return {
        "row": row,
        "email": email,
        "first_name": "A",
        "last_name": "B",
        "agency": "",
        "agency_id": None,
        "marks": marks or {"2030-03-04": "present"},
    }


def roster_job(s, trainer, plan):
    return services.start_import(
        kind=ImportJob.Kind.ROSTER,
        title=f"Roster import for {s.reference}",
        payload={"session_id": s.pk, "plan": plan},
        rows_total=len(plan),
        acting_user=trainer,
    )


def test_confirming_a_preview_queues_a_job_and_the_worker_imports_it(client, setup):
    s, trainer = setup
    client.force_login(trainer)
    url = reverse("training_sessions:roster_import", args=[s.reference])
    body = "E-mail,Name,2030-03-04\na@x.example,A B,present\nb@x.example,C D,late\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(url, {"file": SimpleUploadedFile("r.csv", body.encode(), "text/csv")})
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        response = client.post(url, {"action": "confirm"})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert callbacks  # the task was queued after commit, not run inside the request's work
    assert job.started_by == trainer and job.rows_total == 2
    assert job.status == ImportJob.Status.SUCCEEDED and job.rows_done == 2
    assert job.result == {"registrations_added": 2, "marks_written": 2}
    assert AuditEntry.objects.filter(action="import.started", actor=trainer).count() == 1
    assert AuditEntry.objects.filter(action="import.finished").count() == 1
    assert Registration.objects.filter(session=s).count() == 2
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress" in html and 'aria-live="polite"' in html and "Registrations added" in html


def test_a_bad_row_in_the_middle_imports_nothing_and_fails_the_job(setup, monkeypatch):
    s, trainer = setup
    plan = [plan_entry(n, f"p{n}@x.example") for n in range(2, 1202)]
    # Row 700 names a day the session lost after the preview: the chunk holding it fails
    # after earlier chunks were written, and everything is rolled back.
    plan[698]["marks"] = {"2031-01-01": "present"}
    job = roster_job(s, trainer, plan)
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors
    assert not Registration.objects.exists() and not Attendance.objects.exists()
    assert not ImportJob.objects.filter(status=ImportJob.Status.SUCCEEDED).exists()
    assert AuditEntry.objects.filter(action="import.failed").count() == 1
    assert not AuditEntry.objects.filter(action="attendance.recorded").exists()


def test_a_refused_import_shows_the_runners_errors(setup):
    s, trainer = setup

    def refuse(job, progress):
        progress(1)
        raise registry.ImportFailed(["Row 3, column date: not a date."])

    registry.register("roster", refuse)
    try:
        job = roster_job(s, trainer, [plan_entry(2, "a@x.example")])
        runner.run_job(job.pk)
    finally:
        from sessions import imports

        registry.register("roster", imports.run_job)
    job.refresh_from_db()
    assert job.errors == ["Row 3, column date: not a date."]


def test_a_finished_job_run_again_imports_nothing_more(setup):
    s, trainer = setup
    job = roster_job(s, trainer, [plan_entry(2, "a@x.example")])
    runner.run_job(job.pk)
    assert runner.run_job(job.pk) == ImportJob.Status.SUCCEEDED
    assert AuditEntry.objects.filter(action="import.finished").count() == 1


def test_progress_answers_the_starter_and_leads_only(client, setup):
    s, trainer = setup
    job = roster_job(s, trainer, [plan_entry(2, "a@x.example")])
    url = reverse("jobs:progress", args=[job.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    for outsider in (factories.officer(), factories.trainer()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    for watcher in (trainer, factories.lead()):
        client.force_login(watcher)
        data = client.get(url).json()
        assert data["status"] == "queued" and data["rows_total"] == 1 and not data["finished"]
    runner.run_job(job.pk)
    data = client.get(url).json()
    assert data["finished"] and data["rows_done"] == 1 and data["percent"] == 100


def test_progress_is_recorded_as_rows_are_written(setup, monkeypatch):
    s, trainer = setup
    seen = []
    from jobs import progress as progress_module

    original = progress_module.Progress.__call__

    def spy(self, rows_done, **kwargs):
        original(self, rows_done, force=True)
        seen.append(ImportJob.objects.get(pk=self.job.pk).rows_done)

    monkeypatch.setattr(progress_module.Progress, "__call__", spy)
    job = roster_job(s, trainer, [plan_entry(n, f"p{n}@x.example") for n in range(2, 1202)])
    runner.run_job(job.pk)
    assert seen == [500, 1000, 1200]


def test_the_starter_gets_one_email_however_often_the_task_runs(setup):
    s, trainer = setup
    job = roster_job(s, trainer, [plan_entry(2, "a@x.example")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        runner.run_job(job.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [trainer.email]
    assert "Imported" in mail.outbox[0].subject
    tasks.send_import_finished.call(job_id=str(job.pk))
    tasks.send_import_finished.call(job_id=str(job.pk))
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key=f"import-finished:{job.pk}").count() == 1


def test_a_failed_send_leaves_no_marker_so_a_retry_sends(setup, monkeypatch):
    s, trainer = setup
    job = roster_job(s, trainer, [plan_entry(2, "a@x.example")])
    runner.run_job(job.pk)
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", broken)
        with pytest.raises(ConnectionRefusedError):
            tasks.send_import_finished.call(job_id=str(job.pk))
    assert not SentEmail.objects.exists()
    tasks.send_import_finished.call(job_id=str(job.pk))
    assert len(mail.outbox) == 1
