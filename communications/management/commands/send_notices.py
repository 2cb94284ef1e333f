"""Queue the scheduled notices that are due (joining instructions, reminders, thank-yous).
Meant for cron or the worker, e.g. every 15 minutes or hourly:

python manage.py send_notices

Each notice goes to each person once however often it runs (communications.models.NoticeSent).
It also sends the reminder the older `send_session_reminders` sent, and skips anyone that
command already reminded.
"""

from django.core.management.base import BaseCommand

from communications import services


class Command(BaseCommand):
    help = "Queue the scheduled notices that are due, each once per person."

    def handle(self, *args, **options):
        queued = services.queue_due_notices()
        self.stdout.write(f"{len(queued)} notice(s) queued.")
