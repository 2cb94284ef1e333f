"""`manage.py session_report --year 2023 [--format json|csv]`: the programme's yearly figures.

The same numbers as the admin's Reports page (reports/figures.py holds the counting rules).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from muster.exports import write_csv
from reports.figures import year_report


def report_rows(report):
    """The report as (figure, value) rows: nested keys joined with a dot, e.g. sessions.delivered,
    by_country.HK, in the JSON's order."""
    for key, value in report.items():
        if isinstance(value, dict):
            for sub, number in value.items():
                yield f"{key}.{sub}", number
        else:
            yield key, value


class Command(BaseCommand):
    help = "Print one year's programme figures as JSON (one object) or CSV (figure,value rows)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="e.g. 2023")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, year, format, **options):
        if not 1900 <= year <= 9999:
            raise CommandError(f"--year {year} is not a year.")
        report = year_report(year)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        # Through muster/exports.py like every CSV: no cell may start a formula.
        write_csv(self.stdout, ["figure", "value"], report_rows(report), lineterminator="\n")
