"""QR check-in codes: a signed token per session day that rotates and expires.

The token signs "session pk : day date : window", where the window number changes every
ROTATE_SECONDS, so the code on the trainer's screen changes every few minutes; a code is
accepted for MAX_AGE_SECONDS after it was made (a photo passed round the next day fails),
and only on its own day in the session's time zone (a day-2 code shown on day 1 is refused).
"""

import time

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from muster import dates

ROTATE_SECONDS = 180
MAX_AGE_SECONDS = 600
SALT = "muster.sessions.checkin"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def make_token(day, *, now=None):
    window = int((now or time.time()) // ROTATE_SECONDS)
    return _signer().sign(f"{day.session_id}:{day.date.isoformat()}:{window}")


def _now():
    return timezone.now()


def is_today(day):
    """Whether `day` is today in its session's time zone (the only day its code works)."""
    return day.date == timezone.localtime(_now(), day.session.zone).date()


class CheckinRefused(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def read_token(token, *, session, day):
    """Check a scanned code against the session and day in its URL, and that day against
    today in the session's time zone; raise CheckinRefused."""
    try:
        value = _signer().unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise CheckinRefused(
            _("This check-in code has expired. Scan the code on the trainer's screen again."),
            "expired",
        ) from None
    except signing.BadSignature:
        raise CheckinRefused(_("This check-in code is not valid."), "invalid") from None
    session_pk, date, _window = value.split(":")
    if int(session_pk) != session.pk:
        raise CheckinRefused(_("This check-in code belongs to another session."), "session")
    if date != day.date.isoformat():
        raise CheckinRefused(_("This check-in code is for another day."), "day")
    if not is_today(day):
        raise CheckinRefused(
            _("This check-in code is for %(date)s: it works on that day only.")
            % {"date": dates.format_date(day.date, "long")},
            "not_today",
        )
