from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from .roles import sync_roles

    sync_roles(apps or global_apps)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # After every migrate (and every test-database flush), groups get exactly the
        # permissions accounts/roles.py lists.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.sync_roles")
