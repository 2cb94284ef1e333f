"""`manage.py requeue_tasks`: queue again the tasks whose worker died (their lease expired).
Every run_worker does this on its own every half minute; this is for a look by hand."""

from django.core.management.base import BaseCommand

from jobs.worker import requeue_expired


class Command(BaseCommand):
    help = "Queue again running tasks whose worker's lease has expired"

    def handle(self, *args, **options):
        count = requeue_expired()
        self.stdout.write(f"{count} task(s) queued again.")
