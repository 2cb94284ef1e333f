from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """Not a table: carries the permissions of the Reports section (accounts/roles.py grants
    them to programme leads). Reports read the other apps' models and store nothing."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_reports", _("Can see the programme reports and export them")),
            ("import_sessions", _("Can import past sessions from a spreadsheet")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
