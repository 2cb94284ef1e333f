import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from attendees.models import Agency
from muster import dates


def validate_time_zone(value):
    if value not in dates.time_zone_names():
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


class TrainingSessionQuerySet(models.QuerySet):
    def published(self):
        """Sessions the public may see: scheduled, delivered or cancelled, never drafts."""
        return self.exclude(status=TrainingSession.Status.DRAFT)

    def upcoming(self, today=None):
        """Scheduled sessions whose last day is today or later, soonest first."""
        today = today or timezone.localdate()
        return self.filter(status=TrainingSession.Status.SCHEDULED, end_date__gte=today).order_by(
            "start_date", "reference"
        )


class TrainingSession(ClusterableModel):
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
        # Officers nominated by their agency's coordinator (coordinators app), who accept.
        NOMINATION = "nomination", _("By nomination")

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
    # Who may register when eligibility is "named": an officer of one of these agencies, or of
    # an agency in one of these jurisdictions (or a subdivision of one).
    eligible_agencies = models.ManyToManyField(
        Agency, verbose_name=_("eligible agencies"), blank=True, related_name="+"
    )
    eligible_jurisdictions = models.ManyToManyField(
        "attendees.Jurisdiction",
        verbose_name=_("eligible jurisdictions"),
        blank=True,
        related_name="+",
    )
    # Who may register when eligibility is "invitation".
    invited_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited officers"),
        blank=True,
        related_name="session_invitations",
    )
    # With eligibility "by nomination": the most seats one agency (with its units) may hold,
    # counting confirmed registrations and nominations still holding a seat. Empty: no limit.
    seats_per_agency = models.PositiveIntegerField(
        _("seats per agency"),
        null=True,
        blank=True,
        help_text=_("Sessions by nomination only. Leave empty for no limit per agency."),
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
    # The sum of the days' scheduled lengths (UTC end minus UTC start, so right across a clock
    # change), also kept by refresh_schedule(): the yearly training hours add it up per session
    # instead of reading every day of the year.
    scheduled_minutes = models.PositiveIntegerField(
        _("scheduled minutes"), default=0, editable=False
    )
    # iCalendar SEQUENCE: rises with every change calendar programs should pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("training_sessions:detail", kwargs={"reference": self.reference})

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def seats_left(self):
        """Free seats; reads `confirmed_count` when the queryset annotated it (selectors)."""
        from .registration.rules import seats_left

        return seats_left(self)

    @property
    def is_online(self):
        return self.delivery == self.Delivery.REMOTE

    @property
    def trainer_names(self):
        return ", ".join(str(trainer) for trainer in self.trainers.all())

    @property
    def year(self):
        """The year the session belongs to: its first day's local date."""
        return self.start_date.year if self.start_date else None

    @property
    def has_ended(self):
        last = self.days.order_by("-ends_at").first()
        return last is not None and last.ends_at <= timezone.now()

    def refresh_schedule(self):
        """Recompute each day's instants, the session's first and last dates and its scheduled
        minutes."""
        days = list(self.days.all())
        for day in days:
            day.save()
        dates = [day.date for day in days]
        self.start_date = min(dates, default=None)
        self.end_date = max(dates, default=None)
        self.scheduled_minutes = scheduled_minutes(days)
        TrainingSession.objects.filter(pk=self.pk).update(
            start_date=self.start_date,
            end_date=self.end_date,
            scheduled_minutes=self.scheduled_minutes,
        )


def scheduled_minutes(days):
    """Whole minutes from each day's UTC start to its UTC end, added up (days are set in
    minutes). In UTC explicitly: Python subtracts two datetimes of the same zone on the wall
    clock, which is an hour out on the day the clocks change."""
    utc = datetime.UTC
    seconds = sum(
        (day.ends_at.astimezone(utc) - day.starts_at.astimezone(utc)).total_seconds()
        for day in days
    )
    return round(seconds / 60)


class SessionDay(models.Model):
    """One day of a session, in the session's local time. Edited with the session."""

    # A ParentalKey so the admin edits days inline with their session (InlinePanel).
    session = ParentalKey(
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


class Registration(models.Model):
    """An officer's place on a session: confirmed, waitlisted (in order), pending approval,
    cancelled or rejected. Officers register themselves; trainers and leads manage rosters.

    Rows are never deleted (they are the programme's history); a cancelled registration keeps
    its row and frees its seat.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PENDING = "pending", _("Pending approval")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    # Waitlist order is first come, first served: the time the officer joined the list.
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # Added on the day by a trainer at roll call: confirmed even past capacity, because the
    # person is in the room (the seat count only rations places ahead of time).
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # When the reminder before the first day was sent; keeps send_session_reminders idempotent.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    # The decision on a registration that needed approval: who took it and when, and for a
    # rejection the reason the officer reads on My training and on the session page.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    # Present or late on at least one day of the session: a participant in the programme's
    # figures. Derived from Attendance and stored because the yearly figures read it for every
    # registration of a year (issue 7: 1,000,000 attendance rows). Refreshed by an explicit
    # call, sessions.attendance.services.refresh_participated(), in the transaction of every
    # attendance write: follow a roll-call tap from record_attendance() to the yearly report
    # without meeting a hidden override. "Attended" adds "confirmed" (attendance/selectors.py).
    participated = models.BooleanField(_("participated"), default=False, editable=False)

    # Not a column: the approval services leave a decision's {field: (before, after)} on the
    # registrations they return (the same changes they write to the audit log).
    decision_changes: dict[str, tuple[object, object]]

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "officer"], name="registration_one_per_officer"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="registration_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            # The participants of a year's sessions, read from the index alone.
            models.Index(
                fields=["session", "officer"],
                condition=Q(participated=True),
                name="registration_participated",
            ),
        ]

    def __str__(self):
        return f"{self.officer} · {self.session.reference}"

    def save(self, *args, **kwargs):
        # `participated` is written only by refresh_participated() (attendance/services.py),
        # never by a save: a full save of a registration read before its attendance was taken
        # must not put back a stale value.
        if (
            not self._state.adding
            and not args
            and not kwargs.get("force_insert")
            and kwargs.get("update_fields") is None
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "participated"
            ]
        super().save(*args, **kwargs)


class Attendance(models.Model):
    """Whether a registered officer was there on one day of a session, how it was taken and by
    whom. Trainers take it by roll call, officers by QR check-in, or it comes from an import.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        ROLL_CALL = "roll_call", _("Roll call")
        QR = "qr", _("QR check-in")
        IMPORT = "import", _("Import")

    # Statuses that count as having attended (certificates, reports, course materials).
    ATTENDED = (Status.PRESENT, Status.LATE)

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    day = models.ForeignKey(
        SessionDay, verbose_name=_("day"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    method = models.CharField(_("taken by"), max_length=16, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_one_per_day"),
        ]
        indexes = [
            # Certificates and refresh_participated() look up attendance per registration and
            # status; this index answers that from the index alone.
            models.Index(fields=["registration", "status"], name="attendance_registration_status"),
        ]

    def __str__(self):
        return f"{self.registration} · {self.day.date}: {self.get_status_display()}"


class Headcount(models.Model):
    """How many people came from one agency or one jurisdiction to a session where nobody
    registered one by one (symposium panels, lectures). Entered by trainers or imported.
    """

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="headcounts",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT
    )
    jurisdiction = models.ForeignKey(
        "attendees.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    count = models.PositiveIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            # Exactly one of agency or jurisdiction says who the people were.
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(jurisdiction__isnull=True))
                | (Q(agency__isnull=True) & Q(jurisdiction__isnull=False)),
                name="headcount_agency_xor_jurisdiction",
            ),
            models.UniqueConstraint(
                fields=["session", "agency"],
                condition=Q(agency__isnull=False),
                name="headcount_one_per_agency",
            ),
            models.UniqueConstraint(
                fields=["session", "jurisdiction"],
                condition=Q(jurisdiction__isnull=False),
                name="headcount_one_per_jurisdiction",
            ),
        ]

    def __str__(self):
        return f"{self.session.reference}: {self.agency or self.jurisdiction}: {self.count}"


def new_feed_token():
    # 32 bytes = 256 random bits, URL-safe.
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's personal calendar feed URL. Its owner regenerates it (which kills
    the old URL); nobody else edits it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("feeds:personal", kwargs={"token": self.token})


class TrainingRequest(models.Model):
    """A verified officer's request for a training for their agency. Officers submit it;
    programme leads accept it (which creates a draft session) or decline it with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="training_requests",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(
        _("topic"),
        max_length=200,
        blank=True,
        help_text=_("What you need, if no course in the catalogue fits."),
    )
    preferred_start = models.DateField(_("earliest date"), null=True, blank=True)
    preferred_end = models.DateField(_("latest date"), null=True, blank=True)
    preferred_dates = models.CharField(
        _("preferred dates"),
        max_length=200,
        blank=True,
        help_text=_("Anything about dates the range does not say, e.g. 'not in Ramadan'."),
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"))
    delivery = models.CharField(
        _("format"),
        max_length=16,
        choices=TrainingSession.Delivery.choices,
        default=TrainingSession.Delivery.IN_PERSON,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    notes = models.TextField(_("anything else"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    session = models.OneToOneField(
        TrainingSession,
        verbose_name=_("session created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_request",
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("training request")
        verbose_name_plural = _("training requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="training_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=False) | ~Q(topic=""),
                name="training_request_course_or_topic",
            ),
            models.CheckConstraint(
                condition=Q(preferred_start__isnull=True)
                | Q(preferred_end__isnull=True)
                | Q(preferred_end__gte=F("preferred_start")),
                name="training_request_dates_in_order",
            ),
        ]

    def __str__(self):
        what = self.course.title if self.course_id else self.topic
        return f"{self.agency}: {what}"

    @property
    def subject(self):
        return self.course.title if self.course_id else self.topic
