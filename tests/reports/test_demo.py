"""The demo programme's figures: the numbers the programme published, and real reach."""

import io
import json

import pytest
from django.core.management import call_command

# The demo programme is built once per test process (tests/conftest.py); seed_demo below then
# finds it loaded and changes nothing, as it would on a second `make run`.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_programme")]


def test_demo_reports_70_delivered_in_2022_and_120_in_2023_with_participants():
    call_command("seed_demo", stdout=io.StringIO())
    reports = {}
    for year in (2022, 2023):
        out = io.StringIO()
        call_command("session_report", "--year", str(year), stdout=out)
        reports[year] = json.loads(out.getvalue())
    assert reports[2022]["sessions"]["delivered"] == 70
    assert reports[2023]["sessions"]["delivered"] == 120
    for report in reports.values():
        assert report["participants"] > report["officers"] > 50
        assert report["agencies"] >= 20
        assert report["jurisdictions"] >= 10
        assert report["training_hours"] > 0
