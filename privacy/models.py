from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRequest(models.Model):
    """An officer's request to erase their account, or the record that an inactive account was
    anonymised by the `anonymise_inactive_officers` command. Officers create requests from their
    profile; programme leads carry them out in the admin. Never deleted: it is the proof that
    (and when) the person was erased.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Anonymised")

    class Origin(models.TextChoices):
        OFFICER = "officer", _("Asked by the officer")
        INACTIVITY = "inactivity", _("Inactive account")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.OFFICER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    completed_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anonymised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["status", "-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="privacy_one_pending_erasure_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(completed_at__isnull=False),
                name="privacy_done_erasure_has_date",
            ),
        ]

    def __str__(self):
        return f"#{self.user_id} · {self.get_status_display()} · {self.requested_at:%Y-%m-%d}"
