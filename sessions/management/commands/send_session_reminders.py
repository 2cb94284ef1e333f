"""Queue reminder e-mails for sessions starting soon. Meant for cron, e.g. hourly:

python manage.py send_session_reminders --hours 48
"""

from django.core.management.base import BaseCommand

from sessions.registration import services as registration_services


class Command(BaseCommand):
    help = "E-mail confirmed registrants of sessions starting within the next N hours (once)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)

    def handle(self, *args, hours, **options):
        due = registration_services.queue_session_reminders(within_hours=hours)
        self.stdout.write(f"{len(due)} reminder(s) queued.")
