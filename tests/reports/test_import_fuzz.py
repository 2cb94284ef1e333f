"""Property-based tests over the history import: any rows give either an import or the
import's own refusal (ImportRefused), and a refusal writes nothing."""

import contextlib
import csv
import io

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from reports.history import COLUMNS
from reports.services import ImportRefused, import_history
from sessions.models import Headcount, SessionDay, TrainingSession

pytestmark = pytest.mark.django_db

plausible = {
    "reference": st.sampled_from(["2021-HK-001", "2021-HK-002", "x" * 40, ""]),
    "course_code": st.sampled_from(["VAI-201", "NEW-1", ""]),
    "course_title": st.sampled_from(["Tracing", ""]),
    "start_date": st.sampled_from(["2021-03-01", "2021-02-30", "01/03/2021", ""]),
    "end_date": st.sampled_from(["2021-03-02", "2021-01-01", "2021-05-30", ""]),
    "start_time": st.sampled_from(["09:00", "25:00", "9", ""]),
    "end_time": st.sampled_from(["17:00", "08:00", ""]),
    "timezone": st.sampled_from(["Asia/Hong_Kong", "Asia/Tokio", "UTC", ""]),
    "delivery": st.sampled_from(["in_person", "remote", "hybrid", "boat"]),
    "status": st.sampled_from(["delivered", "scheduled", "cancelled", "draft"]),
    "country": st.sampled_from(["HK", "TH", "ZZ", "hk", ""]),
    "participants": st.sampled_from(["40", "-3", "1e3", "99999999999999999999", ""]),
    "participant_agencies": st.sampled_from(["HKPF; Customs", ";;", ""]),
    "participant_countries": st.sampled_from(["HK;TH", "XX", ""]),
}
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


def cell(column):
    return st.one_of(plausible.get(column, any_text), any_text)


rows = st.lists(st.tuples(*[cell(column) for column in COLUMNS]), min_size=1, max_size=4)


def _csv(body):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(body)
    return buffer.getvalue().encode()


def _counts():
    return (TrainingSession.objects.count(), SessionDay.objects.count(), Headcount.objects.count())


@given(body=rows)
def test_any_rows_import_or_are_refused_without_writing(body):
    with transaction.atomic():
        before = _counts()
        try:
            import_history(data=_csv(body), filename="history.csv")
        except ImportRefused as refused:
            assert refused.errors
            assert _counts() == before
        transaction.set_rollback(True)


@given(data=st.binary(max_size=400), name=st.sampled_from(["h.csv", "h.xlsx", "h.txt"]))
def test_any_bytes_are_refused_cleanly(data, name):
    before = _counts()
    with contextlib.suppress(ImportRefused):
        import_history(data=data, filename=name)
    assert _counts() == before
