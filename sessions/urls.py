"""Public URLs of the sessions app, included at the site root by muster/urls.py."""

from django.urls import path

# Views live with their business area: public pages, feeds, officers' actions and trainers'
# pages apart. URL names and paths are unchanged.
from .attendance import trainer_views as attendance_trainer_views
from .attendance import views as attendance_views
from .registration import trainer_views as registration_trainer_views
from .registration import views as registration_views
from .schedule import feeds
from .schedule import views as schedule_views

app_name = "training_sessions"
urlpatterns = [
    path("sessions/", schedule_views.upcoming_sessions, name="upcoming"),
    path("sessions/<str:reference>/", schedule_views.session_detail, name="detail"),
    path(
        "sessions/<str:reference>/roster/", registration_trainer_views.session_roster, name="roster"
    ),
    path(
        "sessions/<str:reference>/roster/decide/",
        registration_trainer_views.decide_registrations,
        name="decide_registrations",
    ),
    path(
        "sessions/<str:reference>/roll-call/", attendance_trainer_views.roll_call, name="roll_call"
    ),
    path("sessions/<str:reference>/walk-in/", attendance_trainer_views.add_walk_in, name="walk_in"),
    path(
        "sessions/<str:reference>/days/<str:date>/qr/",
        attendance_trainer_views.checkin_code,
        name="checkin_code",
    ),
    path(
        "sessions/<str:reference>/days/<str:date>/check-in/",
        attendance_views.checkin_view,
        name="checkin",
    ),
    path(
        "sessions/<str:reference>/export/<str:table>.<str:fmt>",
        attendance_trainer_views.session_export,
        name="export",
    ),
    path(
        "sessions/<str:reference>/sign-in-sheet/",
        attendance_trainer_views.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "sessions/<str:reference>/import/",
        attendance_trainer_views.roster_import,
        name="roster_import",
    ),
    path(
        "sessions/<str:reference>/headcounts/",
        attendance_trainer_views.headcounts,
        name="headcounts",
    ),
    path("sessions/<str:reference>/register/", registration_views.register, name="register"),
    path(
        "registrations/<int:pk>/cancel/",
        registration_views.cancel_registration,
        name="cancel_registration",
    ),
    path("sessions/<str:reference>/calendar.ics", feeds.session_calendar, name="calendar"),
    # The programme feed's URL is published (docs/user-guide.md): never change it.
    path("calendar/programme.ics", feeds.programme_feed, name="programme_feed"),
    path("calendar/", feeds.feed_settings, name="feed_settings"),
    path("calendar/regenerate/", feeds.regenerate_feed, name="regenerate_feed"),
    path("calendar/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("training-requests/new/", schedule_views.request_training, name="request_training"),
]
