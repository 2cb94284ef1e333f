from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from sessions.schedule import feeds as session_feeds

# allauth's rate limits answer through this: 429 with Retry-After, or 503 if the counters'
# cache is unreachable (accounts/ratelimit.py).
handler429 = "accounts.ratelimit.handler429"

# Addresses that are published, printed or sent, and so never carry a language: the admin,
# allauth (links in e-mails already sent), documents and material downloads, certificate
# verification codes and PDFs (QR codes on paper), calendar feeds (subscribed in calendar
# apps). Pages there still answer in the language of the cookie or the browser.
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
    # The language switcher: Django's set_language, plus the signed-in person's preference.
    path(
        "i18n/",
        include(
            ([path("setlang/", account_views.set_language, name="set")], "language"),
        ),
    ),
    path("", include("attendees.urls")),
    path("", include("privacy.urls")),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("", include("credentials.urls")),
    path("", include("api.urls")),
    path("", include("evaluation.urls")),
    path("", include("jobs.urls")),
    # The feeds' documented addresses (README, "Calendars"), built by every link to a feed.
    # sessions/urls.py names the same views under the language prefix too, so an address
    # redirected from an old link keeps working.
    path(
        "",
        include(
            (
                [
                    path("calendar/programme.ics", session_feeds.programme_feed, name="programme"),
                    path("calendar/<str:token>.ics", session_feeds.personal_feed, name="personal"),
                    path(
                        "sessions/<str:reference>/calendar.ics",
                        session_feeds.session_calendar,
                        name="session",
                    ),
                ],
                "feeds",
            )
        ),
    ),
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

# Public pages carry the language (/th/courses/...), so a shared link opens in that language.
# An unprefixed address (/courses/) redirects to the language of the cookie, else the browser's.
# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += i18n_patterns(
    path("", include("sessions.urls")),
    path("", include("sessions.urls_my_training")),
    path("", include("coordinators.urls")),
    path("", include("credentials.urls_i18n")),
    path("", include(wagtail_urls)),
)
