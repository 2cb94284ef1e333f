"""`manage.py import_sessions FILE [--dry-run]`: import past sessions from CSV or XLSX.

All or nothing: any invalid row writes nothing, names the row and column, and exits non-zero.
The columns and rules are in docs/user-guide.md ("Importing past sessions") and reports/history.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.services import ImportRefused, import_history

VERBS = {"create": "created", "update": "updated", "unchanged": "unchanged"}


class Command(BaseCommand):
    help = (
        "Import past sessions from a CSV (UTF-8, header row) or XLSX file, idempotent by reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and print what would change"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            outcome = import_history(data=data, filename=file.name, dry_run=dry_run)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(refused.errors)} error(s) in {file.name}: nothing was imported."
            ) from None
        plan = outcome.plan
        lead = "would be " if dry_run else ""
        for row in plan.rows:
            self.stdout.write(f"{row.reference}: {lead}{VERBS[row.action]}")
        summary = plan.summary
        self.stdout.write(
            ("Dry run, nothing written: " if dry_run else "")
            + f"{summary['create']} {lead}created, {summary['update']} {lead}updated, "
            + f"{summary['unchanged']} unchanged."
        )
