"""The worker: leases expire into a retry, transient failures are retried after a back-off,
and an outage never ends the loop."""

import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import runner, worker
from jobs.models import TaskLease
from jobs.tasks import run_import_job

# Transactional: the worker closes and reopens its database connection as a real one does
# (after a task, after an outage), which PostgreSQL refuses inside a test's open transaction.
# serialized_rollback, as every transactional test here: its flush then leaves the tables empty
# (no post_migrate re-creating the roles) for the next one to reload the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CALLS = []


class Flaky:
    """Stands in for the import a real task (jobs.tasks.run_import_job) runs: the worker loads
    tasks by their dotted path, so the tests use a real one and change what it calls."""

    def __init__(self):
        self.fail_with = None

    def __call__(self, job_id):
        CALLS.append(self.fail_with)
        if self.fail_with == "database":
            raise OperationalError("server closed the connection unexpectedly")
        if self.fail_with == "bug":
            raise ValueError("a bug")
        return "done"


def enqueue(fail_with=None):
    FLAKY.fail_with = fail_with
    return run_import_job.enqueue(job_id="00000000-0000-0000-0000-000000000000")


FLAKY = Flaky()


@pytest.fixture
def db_backend(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CALLS.clear()
    monkeypatch.setattr(runner, "run_job", FLAKY)
    # A task object takes its class from the backend configured when it is made: make the
    # task again under the database backend, as production's settings make it at start-up.
    from django_tasks import task

    from jobs import tasks

    global run_import_job
    run_import_job = task()(tasks.run_import_job.func)
    monkeypatch.setattr(tasks, "run_import_job", run_import_job)


def make_worker(**kwargs):
    return worker.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        heartbeat=False,
        **kwargs,
    )


def running(started_minutes_ago, attempts=1):
    result = DBTaskResult.objects.get(pk=enqueue().id)
    result.status = TaskResultStatus.RUNNING
    result.started_at = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    result.worker_ids = [f"w{n}" for n in range(attempts)]
    result.save()
    return result


def test_a_task_whose_workers_lease_expired_is_queued_again(db_backend):
    dead = running(10)
    TaskLease.objects.create(
        task_id=dead.id, worker_id="w0", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    alive = running(10)
    TaskLease.objects.create(
        task_id=alive.id, worker_id="w1", expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    just_claimed = running(0)  # no lease yet: its worker is taking it
    never_leased = running(10)
    assert worker.requeue_expired() == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[never_leased.pk] == TaskResultStatus.READY
    assert statuses[alive.pk] == statuses[just_claimed.pk] == TaskResultStatus.RUNNING
    assert not TaskLease.objects.filter(task_id=dead.id).exists()
    make_worker().run()  # the requeued tasks run to the end
    assert DBTaskResult.objects.get(pk=dead.pk).status == TaskResultStatus.SUCCESSFUL


def test_a_task_whose_worker_died_too_often_fails(db_backend, settings):
    settings.MUSTER_TASK_MAX_ATTEMPTS = 3
    result = running(10, attempts=3)
    assert worker.requeue_expired() == 0
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "jobs.worker.LeaseExpired"


def test_a_database_outage_in_a_task_queues_it_again_after_a_back_off(db_backend):
    result = enqueue("database")
    make_worker().run()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.READY
    assert stored.run_after > timezone.now()
    assert CALLS == ["database"]
    assert not TaskLease.objects.exists()


def test_a_bug_in_a_task_fails_it_at_once(db_backend):
    result = enqueue("bug")
    make_worker().run()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


def test_the_worker_holds_a_lease_while_a_task_runs(db_backend, monkeypatch):
    seen = []

    def spy(job_id):
        seen.append(list(TaskLease.objects.values_list("worker_id", flat=True)))

    monkeypatch.setattr(runner, "run_job", spy)
    enqueue()
    make_worker().run()
    assert seen == [["test-worker"]]
    assert not TaskLease.objects.exists()


def test_an_outage_never_ends_the_worker(db_backend, monkeypatch):
    from django_tasks_db.management.commands.db_worker import Worker

    outcomes = [OperationalError("connection refused"), ConnectionError("redis"), None]
    sleeps = []

    def run(self):
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr(worker.time, "sleep", sleeps.append)
    make_worker().run()
    assert not outcomes and len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1 and 1 <= sleeps[1] <= 2


def test_back_off_doubles_up_to_a_minute():
    assert worker.backoff(1) <= 1 and 2 <= worker.backoff(3) * 2 <= 8
    assert 30 <= worker.backoff(20) <= 60
