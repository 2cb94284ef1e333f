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

        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from . import signals

        user_logged_in.connect(signals.start_idle_clock, dispatch_uid="accounts.idle_clock")
        user_logged_in.connect(
            signals.activate_preferred_language, dispatch_uid="accounts.preferred_language"
        )
        mfa_signals.authenticator_added.connect(
            signals.authenticator_added, dispatch_uid="accounts.mfa_added"
        )
        mfa_signals.authenticator_removed.connect(
            signals.authenticator_removed, dispatch_uid="accounts.mfa_removed"
        )
