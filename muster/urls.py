from django.conf import settings
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# allauth's rate limits answer through this: 429 with Retry-After, or 503 if the counters'
# cache is unreachable (accounts/ratelimit.py).
handler429 = "accounts.ratelimit.handler429"

urlpatterns = [
    # One login form only: the admin's own login URL sends people to allauth's, so its rate
    # limits and MFA apply to staff as well.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
        name="wagtailadmin_login",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("attendees.urls")),
    path("", include("privacy.urls")),
    path("", include("courses.urls")),
    path("", include("sessions.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluation.urls")),
    path("", include("sessions.urls_my_training")),
    path("", include("jobs.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only: documents are served through the access-checked view, never from /media/.
    urlpatterns += static(
        settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images"
    )
    urlpatterns += static(
        settings.MEDIA_URL + "original_images/",
        document_root=settings.MEDIA_ROOT / "original_images",
    )

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
