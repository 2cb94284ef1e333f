import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from attendees.models import Agency


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


class TrainingSession(models.Model):
    """One delivery of a course: a workshop, a multi-day course or a remote session.

    Trainers schedule their own sessions; programme leads see and change all of them.
    """

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Eligibility(models.TextChoices):
        ALL_VERIFIED = "all_verified", _("All verified officers")
        NAMED = "named", _("Named agencies or jurisdictions")
        INVITATION = "invitation", _("Invitation only")
        APPROVAL = "approval", _("Approval needed")

    reference = models.CharField(
        _("reference"), max_length=32, unique=True, help_text=_("For example 2023-HK-014.")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # ISO 3166-1 alpha-2; blank for remote sessions that belong to no country.
    country = models.CharField(_("country"), max_length=2, blank=True)
    join_url = models.URLField(_("online join link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    eligibility = models.CharField(
        _("eligibility"),
        max_length=16,
        choices=Eligibility.choices,
        default=Eligibility.ALL_VERIFIED,
    )
    host_agency = models.ForeignKey(
        Agency,
        verbose_name=_("host agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
    )
    language = models.CharField(_("language"), max_length=16, default="en")
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="trained_sessions",
    )
    notes = models.TextField(_("notes"), blank=True)
    # The local dates of the first and last day, kept by refresh_schedule(). Stored because every
    # list sorts by them and the yearly figures group by the first day's local year.
    start_date = models.DateField(_("first day"), null=True, blank=True, editable=False)
    end_date = models.DateField(_("last day"), null=True, blank=True, editable=False)
    # iCalendar SEQUENCE: rises with every change calendar programs should pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["start_date", "reference"]
        indexes = [
            models.Index(fields=["status", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="training_session_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.course.title}" if self.course_id else self.reference

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_online(self):
        return self.delivery == self.Delivery.REMOTE

    def refresh_schedule(self):
        """Recompute each day's instants and the session's first and last dates."""
        days = list(self.days.all())
        for day in days:
            day.save()
        dates = [day.date for day in days]
        self.start_date = min(dates, default=None)
        self.end_date = max(dates, default=None)
        TrainingSession.objects.filter(pk=self.pk).update(
            start_date=self.start_date, end_date=self.end_date
        )


class SessionDay(models.Model):
    """One day of a session, in the session's local time. Edited with the session."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    # The same times as aware UTC instants, derived from the session's zone on save: used for
    # clash detection across zones, ordering and calendar feeds.
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        ordering = ["session", "date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="session_day_unique_date"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_day_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.session.reference} {self.date.isoformat()}"

    def save(self, *args, **kwargs):
        zone = self.session.zone
        self.starts_at = datetime.datetime.combine(self.date, self.start_time, tzinfo=zone)
        self.ends_at = datetime.datetime.combine(self.date, self.end_time, tzinfo=zone)
        super().save(*args, **kwargs)

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A day must end after it starts.")})

    @property
    def duration_hours(self):
        return (self.ends_at - self.starts_at).total_seconds() / 3600
