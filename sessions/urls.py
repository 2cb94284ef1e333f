"""Public URLs of the sessions app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "training_sessions"
urlpatterns = [
    path("sessions/", views.upcoming_sessions, name="upcoming"),
    path("sessions/<str:reference>/", views.session_detail, name="detail"),
    path("sessions/<str:reference>/roster/", views.session_roster, name="roster"),
    path(
        "sessions/<str:reference>/roster/decide/",
        views.decide_registrations,
        name="decide_registrations",
    ),
    path("sessions/<str:reference>/roll-call/", views.roll_call, name="roll_call"),
    path("sessions/<str:reference>/walk-in/", views.add_walk_in, name="walk_in"),
    path("sessions/<str:reference>/days/<str:date>/qr/", views.checkin_code, name="checkin_code"),
    path("sessions/<str:reference>/days/<str:date>/check-in/", views.checkin_view, name="checkin"),
    path(
        "sessions/<str:reference>/export/<str:table>.<str:fmt>",
        views.session_export,
        name="export",
    ),
    path("sessions/<str:reference>/sign-in-sheet/", views.sign_in_sheet, name="sign_in_sheet"),
    path("sessions/<str:reference>/import/", views.roster_import, name="roster_import"),
    path("sessions/<str:reference>/headcounts/", views.headcounts, name="headcounts"),
    path("sessions/<str:reference>/register/", views.register, name="register"),
    path("registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel_registration"),
    path("sessions/<str:reference>/calendar.ics", views.session_calendar, name="calendar"),
    # The programme feed's URL is published (README): never change it.
    path("calendar/programme.ics", views.programme_feed, name="programme_feed"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/regenerate/", views.regenerate_feed, name="regenerate_feed"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("training-requests/new/", views.request_training, name="request_training"),
]
