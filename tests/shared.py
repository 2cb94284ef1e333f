"""Set-up shared by many tests: built once, in a transaction rolled back when the fixture ends.

Each test that uses such rows still runs in its own savepoint (pytest-django's `db`), so what a
test changes is undone after it while the shared rows stay for the next one. A fixture built
this way must be torn down before any test that should not see its rows runs: module scope
(a module's tests run together) or the demo programme's ordering (tests/conftest.py).
"""

from django.db import transaction

# Tests using these fixtures keep the process's media folder (files written at set-up).
SHARED_FIXTURES = {"demo_programme", "shared_world"}


def shared_rows(django_db_blocker, build):
    """For a fixture body: `yield from shared_rows(django_db_blocker, build)`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
