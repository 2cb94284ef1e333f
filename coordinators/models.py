"""Agency coordinators and the nominations they make.

A coordinator is a verified officer a programme lead names for an agency (and its units): they
nominate their agency's officers for sessions taken by nomination and read the agency's training
record on the public site. Both models are written only through coordinators/services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendees.models import Agency


class AgencyCoordinator(models.Model):
    """One officer coordinating one agency (and its units). An agency may have several; a
    programme lead grants and removes the role (audited). The role lapses when the officer's own
    agency is no longer the agency or one of its units (signals.py removes the row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.CASCADE,
        related_name="coordinator_roles",
        limit_choices_to={"officer_profile__verification": "verified", "is_active": True},
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="coordinators",
    )
    # Copies of their officers' confirmations, waitlist places, cancellations and certificates.
    notify_copies = models.BooleanField(_("receive copies of notices"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("agency coordinator")
        verbose_name_plural = _("agency coordinators")
        ordering = ["agency__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="coordinator_once_per_agency")
        ]

    def __str__(self):
        return f"{self.user} · {self.agency}"


class Nomination(models.Model):
    """A coordinator's nomination of one of their agency's officers for a session taken by
    nomination. Pending until the officer accepts (a registration through the seat rule),
    declines, or it lapses after NOMINATION_LAPSE_DAYS. A pending nomination may hold a seat.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Lapsed")

    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The agency (with its units) whose seats the nomination counts against: the officer's
    # agency's parent, or the agency itself, when nominated.
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # A pending nomination made while a seat was free keeps it for the officer (rules.py).
    holds_seat = models.BooleanField(_("holds a seat"), default=False)
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    registration = models.ForeignKey(
        "training_sessions.Registration",
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "officer"],
                condition=Q(status__in=["pending", "accepted"]),
                name="nomination_one_open_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(holds_seat=False),
                name="nomination_seat_only_while_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.officer} · {self.session.reference}"
