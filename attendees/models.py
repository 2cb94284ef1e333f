from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Jurisdiction(models.Model):
    """An ISO 3166-1 country, an ISO 3166-2 subdivision, or a supranational body.

    Loaded from pycountry by a data migration; programme leads add supranational bodies.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        SUBDIVISION = "subdivision", _("Subdivision")
        SUPRANATIONAL = "supranational", _("Supranational body")

    # ISO code ("HK", "US-CA") or a short code of our own for supranational bodies ("EU").
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def country_code(self):
        """The ISO 3166-1 alpha-2 country this jurisdiction is, or lies in (None if none)."""
        if self.kind == self.Kind.COUNTRY:
            return self.code
        if self.kind == self.Kind.SUBDIVISION:
            return self.code.split("-", 1)[0]
        return None


class Agency(ClusterableModel):
    """A law-enforcement, prosecution, FIU, regulatory or other body officers belong to.

    Programme leads manage agencies in the admin, with their e-mail domains edited inline (hence
    a ClusterableModel). Units (a commercial-crime bureau) point to their parent agency.
    """

    class Type(models.TextChoices):
        POLICE = "police", _("Police")
        PROSECUTION = "prosecution", _("Prosecution")
        FIU = "fiu", _("Financial intelligence unit")
        REGULATOR = "regulator", _("Regulator")
        CENTRAL_BANK = "central_bank", _("Central bank")
        CUSTOMS_TAX = "customs_tax", _("Customs or tax")
        JUDICIARY = "judiciary", _("Judiciary")
        FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "jurisdiction", name="attendees_agency_name_per_jurisdiction"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def domain_list(self):
        """The agency's e-mail domains, for admin lists (prefetch "domains")."""
        return ", ".join(sorted(d.domain for d in self.domains.all()))


class AgencyDomain(models.Model):
    """An e-mail domain that belongs to an agency: a confirmed address on it, or on one of its
    subdomains, verifies an officer of that agency at once. Edited inline on the agency.
    """

    agency = ParentalKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@").rstrip(".")
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        from .domains import normalise_domain

        try:
            self.domain = normalise_domain(self.domain)
        except ValueError as error:
            raise ValidationError({"domain": str(error)}) from None


class OfficerProfile(models.Model):
    """What the programme knows of an officer: agency, rank and whether they are verified.

    Created at sign-up; verified automatically from the e-mail domain, or by a programme lead.
    """

    class Verification(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer_profile",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    rank = models.CharField(_("rank or title"), max_length=120, blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Why an officer was left pending after e-mail confirmation (e.g. the address is on another
    # agency's domain), for the programme lead who decides.
    verification_note = models.TextField(_("note for the reviewer"), blank=True)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)

    class Meta:
        verbose_name = _("officer profile")
        verbose_name_plural = _("officer profiles")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["verification", "created_at"])]
        constraints = [
            # Officers read the reason in their e-mail and on their profile page.
            models.CheckConstraint(
                condition=~Q(verification="rejected") | ~Q(rejection_reason=""),
                name="officer_profile_rejected_has_reason",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED


class AgencyRequest(models.Model):
    """An officer's "my agency is not listed" at sign-up. Programme leads resolve it in the
    admin, by attaching the officer to an existing or newly created agency, or reject it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("agency name"), max_length=200)
    country = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Jurisdiction.Kind.COUNTRY},
    )
    website = models.URLField(_("website"), blank=True)
    email_domain = models.CharField(_("e-mail domain"), max_length=253, blank=True)
    note = models.TextField(_("note"), blank=True)
    officer = models.ForeignKey(
        OfficerProfile,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="agency_requests",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency attached"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("agency request")
        verbose_name_plural = _("agency requests")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(agency__isnull=False),
                name="agency_request_resolved_has_agency",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"
