"""Progress of a running import, visible while the import's own transaction is still open.

An import writes everything in one transaction (all or nothing), so a progress count saved
through that transaction would be seen only at the end. When settings.DATABASES holds the alias
`job_progress` (production: the same database, a second connection), the count is written
through it and committed at once. Without it (SQLite, one writer at a time) the count goes
through the import's own connection: the bar then shows "importing" and jumps to the end, which
is correct, only less informative.
"""

import time

from django.conf import settings

from .models import ImportJob

ALIAS = "job_progress"


def progress_alias():
    return ALIAS if ALIAS in settings.DATABASES else "default"


class Progress:
    """Callable a runner calls with rows done; writes at most every `every` seconds (and the
    first and last calls), so a 10,000-row import makes a few dozen small updates."""

    def __init__(self, job, *, every=0.5):
        self.job = job
        self.every = every
        self.alias = progress_alias()
        self._last = 0.0

    def __call__(self, rows_done, *, force=False):
        rows_done = min(rows_done, self.job.rows_total)
        now = time.monotonic()
        if not force and now - self._last < self.every and rows_done < self.job.rows_total:
            return
        self._last = now
        ImportJob.objects.using(self.alias).filter(pk=self.job.pk).update(rows_done=rows_done)
        self.job.rows_done = rows_done
