from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryRefused(Exception):
    """An audit entry was about to be changed or deleted: the log is append-only."""


class AuditEntryQuerySet(models.QuerySet):
    # Bulk changes would bypass save()/delete(); the log only ever grows.
    def update(self, **kwargs):
        raise AuditEntryRefused("Audit entries are never changed.")

    def delete(self):
        raise AuditEntryRefused("Audit entries are never deleted.")


class AuditEntry(models.Model):
    """One write with consequences: who did what to which object, when, with the values before
    and after. Written only by audit.services.record() from the owning app's service function,
    inside its transaction; programme leads read it in the admin. Nobody edits or deletes it.

    The actor and target are copied as text (actor_label, target_label) so the entry still reads
    after the object is deleted or the person's account is anonymised.
    """

    class Action(models.TextChoices):
        OFFICER_VERIFIED = "officer.verified", _("Officer verified")
        OFFICER_REJECTED = "officer.rejected", _("Officer rejected")
        REGISTRATION_CREATED = "registration.created", _("Registered")
        REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled")
        REGISTRATION_PROMOTED = "registration.promoted", _("Promoted from the waitlist")
        WALK_IN_ADDED = "registration.walk_in", _("Walk-in added")
        SESSION_STATUS_CHANGED = "session.status_changed", _("Session status changed")
        HEADCOUNT_SET = "session.headcount_set", _("Headcount set")
        TRAINING_REQUEST_SUBMITTED = "training_request.submitted", _("Training requested")
        TRAINING_REQUEST_ACCEPTED = "training_request.accepted", _("Training request accepted")
        TRAINING_REQUEST_DECLINED = "training_request.declined", _("Training request declined")
        OFFICER_ADDED = "officer.added", _("Officer added by staff")
        HISTORY_IMPORTED = "sessions.history_imported", _("Programme history imported")
        REGISTRATION_APPROVED = "registration.approved", _("Registration approved")
        REGISTRATION_REJECTED = "registration.rejected", _("Registration rejected")
        ATTENDANCE_RECORDED = "attendance.recorded", _("Attendance recorded")
        ATTENDANCE_CHANGED = "attendance.changed", _("Attendance changed")
        CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
        CERTIFICATE_REISSUED = "certificate.reissued", _("Certificate re-issued")
        CERTIFICATE_OVERRIDDEN = "certificate.overridden", _("Certificate eligibility overridden")
        CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
        CREDENTIAL_KEY_ROTATED = "credential.key_rotated", _("Credential signing key rotated")
        AGENCY_MERGED = "agency.merged", _("Agencies merged")
        MATERIAL_DOWNLOADED = "material.downloaded", _("Restricted material downloaded")
        PERSONAL_DATA_EXPORTED = "personal_data.exported", _("Personal data exported")
        ERASURE_REQUESTED = "account.erasure_requested", _("Account erasure requested")
        ACCOUNT_ANONYMISED = "account.anonymised", _("Account anonymised")
        FEEDBACK_SETTINGS_CHANGED = "feedback.settings_changed", _("Feedback settings changed")
        FEEDBACK_INVITED = "feedback.invited", _("Feedback invitations sent")
        KNOWLEDGE_CHECK_ATTEMPTED = "knowledge_check.attempted", _("Knowledge check attempted")
        IMPORT_STARTED = "import.started", _("Import confirmed and queued")
        IMPORT_FINISHED = "import.finished", _("Import finished")
        IMPORT_FAILED = "import.failed", _("Import failed, nothing written")
        COORDINATOR_GRANTED = "coordinator.granted", _("Agency coordinator role granted")
        COORDINATOR_REMOVED = "coordinator.removed", _("Agency coordinator role removed")
        NOMINATION_CREATED = "nomination.created", _("Officer nominated")
        NOMINATION_ACCEPTED = "nomination.accepted", _("Nomination accepted")
        NOMINATION_DECLINED = "nomination.declined", _("Nomination declined")
        NOMINATION_LAPSED = "nomination.lapsed", _("Nomination lapsed")
        MESSAGE_SENT = "message.sent", _("Message sent to registrants")
        NOTICES_QUEUED = "notices.queued", _("Scheduled notices queued")
        NOTICE_SETTINGS_CHANGED = "notices.settings_changed", _("Notice settings changed")
        NAME_CORRECTED = "account.name_corrected", _("Name corrected")

    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for the system (a command or an automatic rule)."),
    )
    actor_label = models.CharField(_("who"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=48, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    # The person the entry is about (the officer verified, registered, certified...): what
    # their personal-data export lists as "entries about you".
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("about"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["action", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["subject", "created_at"]),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} · {self.get_action_display()} · {self.target_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryRefused("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryRefused("Audit entries are never deleted.")

    @property
    def who(self):
        return self.actor_label or _("System")
