"""E-mail from tasks, at most once per key.

A task may run again: the worker retries it after a database outage, or queues it again when
the worker running it died (jobs.worker). send_once writes a sent-marker and sends in one
transaction: if the send fails the marker is rolled back and a retry sends; if it succeeded
the marker is committed and a retry finds it and sends nothing. Two workers running the same
task at once meet on the marker's unique key, and the second waits for the first.

The only window left is a worker killed after the mail server accepted the message and before
the commit (milliseconds): then the mail is sent again rather than lost.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from .models import SentEmail


def task_key(context: Any, name: str) -> str:
    """The sent-marker key of the one e-mail a task run sends, for mails that may rightly be
    sent more than once for the same object (a registration's second "confirmed" after a
    cancellation and a new sign-up; a second reminder). The key is the task's result id: a
    task run again (a retry, a requeue after its worker died) keeps its id and so its key, and
    every new enqueue has a new one. Needs @task(takes_context=True)."""
    return f"{name}:{context.task_result.id}"


def send_once(key: str, message: EmailMessage) -> bool:
    """Send an EmailMessage unless one with this key was sent; True if it was sent now."""
    try:
        with transaction.atomic():
            if SentEmail.objects.select_for_update().filter(key=key).exists():
                return False
            SentEmail.objects.create(key=key)
            message.send()
    except IntegrityError:
        # Another worker wrote the marker between our check and our insert, and committed.
        return False
    return True
