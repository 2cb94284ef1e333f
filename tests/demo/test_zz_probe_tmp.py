import pytest
from django.core.management import call_command

from reports.figures import year_report

pytestmark = pytest.mark.django_db


def test_probe():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    print("PROBE", year_report(2023)["feedback"], year_report(2022)["feedback"])
