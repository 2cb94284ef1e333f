"""Certificates: the templates they are printed from, the certificates themselves, staff
overrides of eligibility and the per-year serial counters."""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# The placeholders a template's wording may use, and what each stands for.
PLACEHOLDERS = {
    "officer_name": _("the officer's full name"),
    "agency": _("the officer's agency"),
    "course_title": _("the course title"),
    "dates": _("the session's dates"),
    "hours": _("the hours of training"),
    "city": _("the city of the session"),
    "serial": _("the certificate's serial"),
}

DEFAULT_WORDING = (
    "This is to certify that\n{officer_name}\nof {agency}\n"
    "has completed the course\n{course_title}\n{dates} · {city} · {hours} hours"
)


def validate_wording(value):
    """Only the known placeholders, written plainly: `{name}`, no attributes, index or format.

    Attribute access in str.format (`{officer_name.__class__}`) would let an editor read
    internals, so anything but a bare known name is refused.
    """
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValidationError(
            _("The wording has an unbalanced brace: %(error)s. Write {{ or }} for a brace."),
            params={"error": exc},
        ) from None
    unknown = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            unknown.append("{" + field + (f"!{conversion}" if conversion else "") + "}")
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(unknown)s. Use only: %(known)s."),
            params={
                "unknown": ", ".join(unknown),
                "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
        )


class CertificateTemplate(ClusterableModel):
    """How a certificate looks: page, background, logo, wording and signatories.

    A Wagtail snippet edited by programme leads; a course names one by its key
    (course_settings.template_key). Certificates keep a link to the template they were
    printed from, so a template that has certificates cannot be deleted.
    """

    class PageSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("Letter")

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("What a course uses to choose this template, e.g. 'completion'."),
    )
    name = models.CharField(_("name"), max_length=120)
    heading = models.CharField(_("heading"), max_length=120, default="Certificate of completion")
    wording = models.TextField(
        _("wording"),
        default=DEFAULT_WORDING,
        validators=[validate_wording],
        help_text=_(
            "One line per printed line. Placeholders: {officer_name}, {agency}, {course_title}, "
            "{dates}, {hours}, {city}, {serial}. A line holding only {officer_name} is printed "
            "large."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Dates and the small print are written in this language."),
    )
    # A bilingual certificate (Thai beside English): the second language's heading and wording
    # are printed below the first, with the dates and the course's published translation of its
    # title in that language (certificates/pdf.py).
    second_language = models.CharField(
        _("second language"),
        max_length=16,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "Leave blank for a certificate in one language. When set, the second heading and "
            "wording are printed too, with the dates and course title in that language."
        ),
    )
    second_heading = models.CharField(
        _("heading in the second language"), max_length=120, blank=True
    )
    second_wording = models.TextField(
        _("wording in the second language"),
        blank=True,
        validators=[validate_wording],
        help_text=_("The same placeholders as the wording, written in the second language."),
    )
    page_size = models.CharField(
        _("page size"), max_length=8, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept here rather than on the course: the course app is owned elsewhere; a course that
    # needs another validity chooses another template.
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Counted from the session's last day. Leave blank for no expiry."),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("name")]),
        FieldPanel("heading"),
        FieldPanel("wording"),
        FieldRowPanel(
            [FieldPanel("language"), FieldPanel("page_size"), FieldPanel("orientation")],
            heading=_("Page"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("second_language"),
                FieldPanel("second_heading"),
                FieldPanel("second_wording"),
            ],
            heading=_("Second language"),
        ),
        MultiFieldPanel([FieldPanel("background"), FieldPanel("logo")], heading=_("Images")),
        FieldPanel("validity_months"),
        InlinePanel("signatories", heading=_("Signatories"), label=_("Signatory"), max_num=4),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.second_language and self.second_language == self.language:
            raise ValidationError(
                {"second_language": _("Choose a language other than the certificate's own.")}
            )
        if self.second_language and not self.second_wording.strip():
            raise ValidationError(
                {"second_wording": _("Write the wording in the second language.")}
            )


class Signatory(Orderable):
    """A person who signs certificates printed from a template. Edited with the template."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=160, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return self.name


class SerialCounter(models.Model):
    """The last serial number handed out in a year. Written only by services.issue_certificate
    under a row lock, in the issuing transaction, so a failed issue gives its number back."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Neither revoked nor replaced by a newer version (may still be expired)."""
        return self.filter(revoked_at__isnull=True, superseded_at__isnull=True)

    def with_status(self, status, today=None):
        today = today or timezone.localdate()
        Status = Certificate.Status
        if status == Status.REVOKED:
            return self.filter(revoked_at__isnull=False)
        not_revoked = self.filter(revoked_at__isnull=True)
        if status == Status.SUPERSEDED:
            return not_revoked.filter(superseded_at__isnull=False)
        current = not_revoked.filter(superseded_at__isnull=True)
        if status == Status.EXPIRED:
            return current.filter(expires_on__lt=today)
        if status == Status.VALID:
            return current.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        return self.none()


class Certificate(models.Model):
    """A certificate issued to one officer for one session.

    Issued, re-issued and revoked only through certificates/services.py (trainers of the
    session and programme leads); nobody edits one by hand. The officer's name, agency, the
    course title, dates, hours and city are copied at issue, so the certificate keeps saying what
    it said when it was issued; a correction is a re-issue.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    serial = models.CharField(_("serial"), max_length=32, unique=True)
    # secrets.token_urlsafe(32): 256 random bits, unrelated to the serial.
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    officer_name = models.CharField(_("name on the certificate"), max_length=300)
    agency_name = models.CharField(_("agency on the certificate"), max_length=300, blank=True)
    course_title = models.CharField(_("course on the certificate"), max_length=300)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    city = models.CharField(_("city"), max_length=100, blank=True)

    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # Set before the new version is written (the one-current constraint reads it), then
    # superseded_by points at the new version in the same transaction.
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    reissue_reason = models.TextField(_("reason for re-issuing"), blank=True)

    objects = CertificateQuerySet.as_manager()

    # Not a column: coordinators.selectors.officer_record leaves certificate_state()'s answer
    # (valid, expiring, expired, superseded or revoked) on the certificates it returns.
    coordinator_state: str

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="certificate_serial_number"),
            # One live certificate per officer and session: re-issue replaces, revoke ends.
            models.UniqueConstraint(
                fields=["session", "officer"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="certificate_one_current_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revoked_has_reason",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="certificate_number_positive"),
        ]
        indexes = [models.Index(fields=["officer", "year"])]

    def __str__(self):
        return f"{self.serial} · {self.officer_name}"

    def status_on(self, today=None):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.superseded_at:
            return self.Status.SUPERSEDED
        today = today or timezone.localdate()
        if self.expires_on and self.expires_on < today:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self):
        return self.status_on()

    def get_status_display(self):
        return self.Status(self.status).label

    def get_verification_path(self):
        from django.urls import reverse

        return reverse("certificates:verify", kwargs={"code": self.verification_code})

    def get_verification_url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.get_verification_path()

    def get_pdf_url(self):
        from django.urls import reverse

        return reverse("certificates:pdf", kwargs={"serial": self.serial})


class EligibilityOverride(models.Model):
    """A staff decision that an officer is (or is not) eligible for a certificate for a session,
    whatever the attendance says, with the reason. Set by the session's trainers or programme
    leads on the issue page; the latest decision per officer and session holds, and changing it
    keeps the row's history in the audit log."""

    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="certificate_overrides",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible = models.BooleanField(_("eligible"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility override")
        verbose_name_plural = _("eligibility overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "officer"], name="certificate_override_one_per_officer"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="certificate_override_reason"),
        ]

    def __str__(self):
        verdict = _("eligible") if self.eligible else _("not eligible")
        return f"{self.officer} · {self.session_id}: {verdict}"
