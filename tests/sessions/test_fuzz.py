"""Property-based tests: whatever a browser posts to registration and roll call, the answer is
never a server error (the test client re-raises any exception a view lets through)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import given
from hypothesis import strategies as st

from sessions.models import Attendance, Registration
from tests import factories

pytestmark = pytest.mark.django_db

# Text as a browser may send it (any Unicode but surrogates), plus the values the forms expect,
# so that examples reach past the first check.
texts = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(
        ["present", "late", "excused", "absent", "2030-03-04", "2030-03-05", "1", "-1", "0"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
post_data = st.dictionaries(
    st.sampled_from(
        ["registration", "day", "status", "email", "first_name", "last_name", "next", "action"]
    ),
    texts,
    max_size=8,
)


@pytest.fixture
def roster():
    session = factories.session(
        days=[
            (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
        ]
    )
    trainer = factories.trainer()
    session.trainers.add(trainer)
    registration = factories.registration(session_obj=session)
    return session, trainer, registration


def has_nul(data):
    return any("\x00" in key or "\x00" in value for key, value in data.items())


def refused_as_bad_request(response, data):
    """A NUL anywhere is refused with 400 before any view runs (muster/middleware.py)."""
    if has_nul(data):
        assert response.status_code == 400
        return True
    return False


@given(data=post_data)
def test_roll_call_never_fails(client, roster, data):
    session, trainer, registration = roster
    client.force_login(trainer)
    if "registration" in data and data["registration"] == "1":
        data["registration"] = str(registration.pk)
    response = client.post(reverse("training_sessions:roll_call", args=[session.reference]), data)
    if refused_as_bad_request(response, data):
        assert not Attendance.objects.exists()
        return
    assert response.status_code in (302, 404)
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert statuses <= set(Attendance.Status.values)


@given(data=post_data)
def test_walk_ins_never_fail(client, roster, data):
    session, trainer, _registration = roster
    client.force_login(trainer)
    response = client.post(reverse("training_sessions:walk_in", args=[session.reference]), data)
    if refused_as_bad_request(response, data):
        assert not Registration.objects.filter(walk_in=True).exists()
        return
    assert response.status_code in (302, 404)
    for person in Registration.objects.filter(session=session, walk_in=True):
        assert len(person.officer.first_name) <= 150 and "@" in person.officer.email


@given(data=post_data)
def test_registration_never_fails(client, roster, data):
    session, _trainer, _registration = roster
    officer = factories.officer()
    client.force_login(officer)
    response = client.post(reverse("training_sessions:register", args=[session.reference]), data)
    if refused_as_bad_request(response, data):
        assert not Registration.objects.filter(officer=officer).exists()
        return
    assert response.status_code == 302
    mine = Registration.objects.filter(officer=officer).first()
    if mine is not None:
        cancel = reverse("training_sessions:cancel_registration", args=[mine.pk])
        response = client.post(cancel, data)
        assert response.status_code == 302
        # Only a local "next" is followed.
        assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})


def test_a_next_that_looks_like_a_view_name_is_a_plain_redirect(client, roster):
    # Found by the test above: redirect("0") looked "0" up as a view name (a server error).
    session, _trainer, _registration = roster
    officer = factories.officer()
    mine = factories.registration(session_obj=session, officer_obj=officer)
    client.force_login(officer)
    cancel = reverse("training_sessions:cancel_registration", args=[mine.pk])
    response = client.post(cancel, {"next": "0"})
    assert response.status_code == 302 and response["Location"] == "0"
