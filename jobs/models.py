import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One confirmed import (a roster, the programme's history) run on the task worker.

    Created by jobs.services.start_import when a previewed file is confirmed; written only by
    the worker after that (progress, result, errors). Its starter and staff may watch it."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Roster import")
        HISTORY = "history", _("History import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Failed: nothing was imported")

    # A UUID, so a job's address says nothing about how many imports were run.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    title = models.CharField(_("what"), max_length=255)
    # What the worker needs to run it (a checked plan, a stored file's name); JSON only.
    payload = models.JSONField(_("payload"), default=dict, editable=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # Where the starter goes when it is done (a roster page, the reports page).
    done_url = models.CharField(_("next page"), max_length=255, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="importjob_done_within_total",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self):
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class SentEmail(models.Model):
    """The sent-marker of one e-mail a task sends: written in the same transaction as the send,
    so a task run again (a retry, a worker that died before recording success) finds it and
    does not send again. Written only by jobs.mail.send_once."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return self.key


class TaskLease(models.Model):
    """A running task's lease: the worker running it renews `expires_at` while it works. A task
    still marked running whose lease has expired lost its worker (killed, machine gone) and is
    queued again by jobs.worker.requeue_expired. Written only by the worker."""

    task_id = models.UUIDField(_("task"), primary_key=True)
    worker_id = models.CharField(_("worker"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self):
        return f"{self.task_id} ({self.worker_id})"
