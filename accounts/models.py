from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who signs in: officer, trainer, programme lead, editor or admin.

    People sign in with their e-mail address; there is no username. What they are allowed to do
    comes from their groups (see accounts/roles.py); an officer's agency and verification live
    on their OfficerProfile in the attendees app.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Used to show a session's days in the viewer's own zone; blank means "from the browser".
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Pages after sign-in, every e-mail and personal calendar feed use it; blank means "the
    # language of the browser" for pages and English for mail (accounts/languages.py).
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=16,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Pages, e-mails and calendar entries are shown in this language."),
    )

    # Family name first ("Chan Tai Man", "김민준"): how certificates, rosters and e-mails write
    # the name. The person sets it with their name on their profile.
    family_name_first = models.BooleanField(
        _("family name first"),
        default=False,
        help_text=_("Write my name with the family name first, as on my identity documents."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            # Addresses differ only by case belong to one person.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        given, family = self.first_name.strip(), self.last_name.strip()
        parts = [family, given] if self.family_name_first else [given, family]
        return " ".join(part for part in parts if part)

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)
