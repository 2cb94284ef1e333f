"""`manage.py run_worker`: the production task worker (jobs.worker.ResilientWorker).

Takes db_worker's options; it never exits on a database, cache or mail outage (it backs off
and retries), holds a lease on each running task, and queues again the tasks of workers that
died. Run it under a supervisor all the same (systemd, the container runtime): a machine can
still go away.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = "Run the task worker: db_worker with leases, retries and outage back-off"

    def handle(self, *args, **options):
        from django_tasks_db.management.commands import db_worker

        original = db_worker.Worker
        db_worker.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
