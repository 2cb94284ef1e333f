"""The task worker Muster runs in production: django_tasks_db's db_worker, made to survive.

- **Outages**: an error reaching the database (or the cache, or the mail server) never ends
  the worker. The loop backs off (1 s, 2 s, 4 s ... up to a minute, with jitter), drops its
  connections and tries again, for ever.
- **Transient task failures**: a task that fails because the database or cache went away is
  queued again to run after a back-off instead of being marked failed, up to MAX_ATTEMPTS runs.
- **Leases**: while a task runs, its worker holds a TaskLease and renews it every third of
  LEASE_SECONDS. A task still marked running whose lease ran out lost its worker (killed, the
  machine gone): requeue_expired() queues it again. Every worker calls it between tasks, and
  `manage.py requeue_tasks` runs it by hand.

Tasks must therefore be safe to run twice: imports check their job's status first, and e-mails
go through jobs.mail.send_once.
"""

import contextlib
import datetime
import logging
import random
import threading
import time

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskLease

logger = logging.getLogger("jobs.worker")

MAX_BACKOFF = 60


def lease_seconds():
    return getattr(settings, "MUSTER_TASK_LEASE_SECONDS", 300)


def max_attempts():
    return getattr(settings, "MUSTER_TASK_MAX_ATTEMPTS", 5)


def transient_errors():
    """Errors that say a service is away, not that the task is wrong."""
    errors = [OperationalError, InterfaceError, ConnectionError, TimeoutError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # Redis is the production cache only.
        pass
    return tuple(errors)


def backoff(attempt):
    """Seconds to wait after the attempt-th failure in a row: doubling, capped, jittered."""
    base = min(MAX_BACKOFF, 2 ** max(attempt - 1, 0))
    return base * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not a secret)


def requeue_expired(*, now=None):
    """Queue again every running task whose lease ran out (or that has none and started longer
    ago than a lease lasts); fail those that already ran MAX_ATTEMPTS times. Returns how many
    were queued again."""
    now = now or timezone.now()
    stale_start = now - datetime.timedelta(seconds=lease_seconds())
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        live = set(TaskLease.objects.filter(expires_at__gt=now).values_list("task_id", flat=True))
        leased = set(TaskLease.objects.values_list("task_id", flat=True))
        for result in running:
            if result.id in live:
                continue
            if result.id not in leased and result.started_at and result.started_at > stale_start:
                continue  # Claimed a moment ago; its worker is about to take the lease.
            if len(result.worker_ids) >= max_attempts():
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = "jobs.worker.LeaseExpired"
                result.traceback = "The task's worker stopped, too many times."
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("Task %s failed: its worker died %d times", result.id, max_attempts())
            else:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.save(update_fields=["status", "run_after"])
                requeued += 1
                logger.warning("Task %s queued again: its worker's lease expired", result.id)
        TaskLease.objects.filter(expires_at__lte=now).delete()
    return requeued


class ResilientWorker(Worker):
    """db_worker's loop with leases, retries of transient failures and outage back-off."""

    def __init__(self, *args, reap_every=30.0, heartbeat=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.reap_every = reap_every
        self.heartbeat = heartbeat
        self._last_reap = 0.0

    def run(self):
        # An idle worker never reaches run_task, where the lease check also runs: a worker that
        # (re)starts while a dead worker's lease is still valid would otherwise leave that task
        # marked running for ever. A daemon thread checks every reap_every seconds meanwhile.
        # (A --batch run ends as soon as the queue is empty, so it needs none.)
        if not self.batch:
            threading.Thread(target=self._reap_while_idle, daemon=True).start()
        failures = 0
        while self.running:
            try:
                self._reap_now_and_then()
                super().run()
                return  # --batch or --max-tasks ended the loop
            except SystemExit:
                raise
            except Exception as error:
                failures += 1
                wait = backoff(failures)
                logger.warning("Worker %s: %s; trying again in %.1f s", self.worker_id, error, wait)
                close_old_connections()
                self._drop_connections()
                time.sleep(wait)

    def _reap_while_idle(self):
        from django.db import connection

        while self.running:
            time.sleep(self.reap_every)
            try:
                self._reap_now_and_then()
            except DatabaseError as error:  # an outage: the main loop backs off and reports it
                logger.warning("Worker %s: lease check failed: %s", self.worker_id, error)
            finally:
                connection.close()  # this thread's own connection

    def _reap_now_and_then(self):
        if time.monotonic() - self._last_reap >= self.reap_every:
            self._last_reap = time.monotonic()
            requeue_expired()

    @staticmethod
    def _drop_connections():
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(DatabaseError):
                connection.close()

    def run_task(self, db_task_result):
        lease = self._take_lease(db_task_result)
        try:
            self._run_with_retry(db_task_result)
        finally:
            if lease is not None:
                lease.set()
                lease.thread.join(timeout=5)
            # If the database is away the lease expires by itself; the task's status already
            # says it finished, so nothing queues it again.
            with contextlib.suppress(DatabaseError):
                TaskLease.objects.filter(task_id=db_task_result.id).delete()
        self._reap_now_and_then()

    def _run_with_retry(self, db_task_result):
        """Run the task; a transient failure queues it again after a back-off rather than
        marking it failed (the parent's behaviour for any exception)."""
        errors = transient_errors()
        original = db_task_result.set_failed

        def set_failed(exc):
            attempts = len(db_task_result.worker_ids)
            if isinstance(exc, errors) and attempts < max_attempts():
                close_old_connections()
                db_task_result.status = TaskResultStatus.READY
                db_task_result.run_after = timezone.now() + datetime.timedelta(
                    seconds=backoff(attempts) * 5
                )
                db_task_result.save(update_fields=["status", "run_after"])
                logger.warning(
                    "Task %s hit %r; queued again (attempt %d)", db_task_result.id, exc, attempts
                )
                return
            original(exc)

        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)

    def _take_lease(self, db_task_result):
        seconds = lease_seconds()
        TaskLease.objects.update_or_create(
            task_id=db_task_result.id,
            defaults={
                "worker_id": self.worker_id,
                "expires_at": timezone.now() + datetime.timedelta(seconds=seconds),
            },
        )
        if not self.heartbeat:
            return None
        stop = threading.Event()

        def renew():
            # Its own database connection (Django's are per thread), committed at once, so
            # the renewal is seen while the task's own transaction is still open.
            while not stop.wait(seconds / 3):
                try:
                    TaskLease.objects.filter(task_id=db_task_result.id).update(
                        expires_at=timezone.now() + datetime.timedelta(seconds=seconds)
                    )
                except DatabaseError:
                    logger.warning("Could not renew the lease of task %s", db_task_result.id)
            close_old_connections()

        stop.thread = threading.Thread(target=renew, daemon=True)
        stop.thread.start()
        return stop
