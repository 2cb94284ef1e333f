from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.models import Locale

        from .translation import forget_source_locale

        post_save.connect(forget_source_locale, sender=Locale, dispatch_uid="courses_locale_saved")
        post_delete.connect(
            forget_source_locale, sender=Locale, dispatch_uid="courses_locale_deleted"
        )
