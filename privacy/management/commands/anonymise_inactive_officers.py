from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.services import anonymise_inactive


class Command(BaseCommand):
    help = _(
        "Anonymise officers whose last sign-in (or sign-up, if they never signed in) is more "
        "than N years ago. Registrations, attendance and certificates stay, so the yearly "
        "figures do not change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=_("Inactive for more than this many years (default: %(default)s).")
            % {"default": "MUSTER_ANONYMISE_INACTIVE_AFTER_YEARS"},
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("List who would be anonymised; change nothing."),
        )

    def handle(self, *args, years=None, dry_run=False, **options):
        if years is None:
            years = settings.MUSTER_ANONYMISE_INACTIVE_AFTER_YEARS
        if years < 1:
            raise CommandError(_("--years must be at least 1."))
        users = anonymise_inactive(years=years, dry_run=dry_run)
        for user in users:
            self.stdout.write(f"#{user.pk} {user.email}" if dry_run else f"#{user.pk}")
        if dry_run:
            message = _("%(count)d officers would be anonymised (dry run: nothing changed).")
        else:
            message = _("%(count)d officers anonymised.")
        self.stdout.write(message % {"count": len(users)})
