import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from scripts import system_packages
from tests.shared import SHARED_FIXTURES, shared_rows

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made from the same thread (used by tests to set up data and check results).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# tests/stack start real servers (PostgreSQL, Redis, gunicorn, nginx, the worker) and attack
# them: `make test-stack` runs them, apart from the suite (MUSTER_STACK_TESTS=1).
collect_ignore = [] if os.environ.get("MUSTER_STACK_TESTS") else ["stack"]

# Property-based tests (hypothesis): few examples, so the suite stays fast; derandomised, so
# `make test` and CI try the same examples every run and never turn red by chance; no deadline
# (a first request warms caches); no example database written to the working tree. Hunt for new
# failures by hand with HYPOTHESIS_PROFILE=thorough: 1,000 random examples per test.
hypothesis_settings.register_profile(
    "muster",
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough",
    parent=hypothesis_settings.get_profile("muster"),
    max_examples=1000,
    derandomize=False,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "muster"))

CHROMIUM = Path("/usr/bin/chromium")


def require_package(package):
    """Skip the calling test when a Debian package it needs is missing (one summary line per
    package under `make test`, whose pytest runs with -rs)."""
    if not system_packages.is_installed(package):
        pytest.skip(system_packages.skip_reason(package))


@pytest.fixture(scope="session", autouse=True)
def _pretend_fonts_missing():
    """MUSTER_PRETEND_MISSING naming a font package hides its files from certificates/pdf.py, so
    the skip path below can be tried on a machine that has every font."""
    from certificates import pdf

    hidden = system_packages.pretended_missing()
    original = dict(pdf.FONT_SPECS)
    if hidden:
        for key, (name, candidates, package, index) in original.items():
            if package in hidden:
                candidates = [f"/nonexistent{path}" for path in candidates]
            pdf.FONT_SPECS[key] = (name, candidates, package, index)
        pdf._fonts.clear()
    yield
    pdf.FONT_SPECS.update(original)


def _skip_for_missing_font(missing):
    pytest.skip(system_packages.skip_reason(missing.package))


# Certificate PDFs need fonts from Debian: a test that reaches a missing one is skipped naming the
# package (not failed with FontMissing), wherever in the test or its fixtures the PDF is drawn.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    from certificates.pdf import FontMissing

    try:
        return (yield)
    except FontMissing as missing:
        _skip_for_missing_font(missing)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    from certificates.pdf import FontMissing

    try:
        return (yield)
    except FontMissing as missing:
        _skip_for_missing_font(missing)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_in_the_live_server():
    """Serve browser tests one request at a time. On SQLite the live server's threads share the
    test's in-memory database connection; a page whose scripts fetch in parallel (the admin's
    jsi18n, a chart, editing-session pings) then used it from two threads at once and failed
    with "bad parameter or other API misuse". Django's plain WSGIServer closes each connection
    after its response, so the browser simply queues its requests."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SingleThreadedServer(WSGIServer):
        # The live server thread itself installs the shared connections before serving.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SingleThreadedServer


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Every test writes uploads to its own folder; tests of the shared demo programme keep the
    folder its documents and images were written to (the process's test media folder)."""
    if not SHARED_FIXTURES & set(request.fixturenames):
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def _demo_programme_built(django_db_setup, django_db_blocker):
    """The demo programme, built once per test process (20-60 s) in a transaction rolled back
    when the process ends (tests/shared.py). Tests that use it run after every other test
    (pytest_collection_modifyitems below), so no other test ever sees the demo rows."""
    from demo import builder

    def build():
        _restore_migration_rows()
        return builder.build()

    yield from shared_rows(django_db_blocker, build)


def _restore_migration_rows():
    """The rows data migrations made (the site's pages, the roles), put back if a transactional
    test earlier in this process flushed them: pytest-django runs those (browser journeys) before
    the demo's tests, and flushing empties every table. The same reload serialized_rollback does
    at the start of the next transactional test."""
    from django.db import connection

    from courses.models import CourseIndexPage

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents and not CourseIndexPage.objects.exists():
        connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo_programme(_demo_programme_built, db):
    """The demo programme (seed_demo), shared by the tests of a process; changes are undone
    after each test. Not for transactional or browser tests, whose server cannot see it."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Tests of the shared demo programme last, in their existing order: the demo's transaction
    # stays open from the first of them to the end of the process. pytest-xdist hands each
    # worker tests in collection order, so this holds under -n too.
    items.sort(key=lambda item: "demo_programme" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a test that activates another (a request through
    the locale middleware, translation.activate) must not change the next test's."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and used TOTP codes live in the cache: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """Django's test client, with force_login() recording the second factor a real sign-in of
    an enrolled user records (tests/clients.py)."""
    from tests.clients import MusterClient

    return MusterClient()


# One browser per test: a Playwright instance left running across tests changed what later
# transactional tests saw of their reloaded data (the migrations' rows went missing).
@pytest.fixture
def browser():
    require_package("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(request):
    # The browser is asked for here, after the test's database fixtures: started earlier,
    # Playwright's event loop would be running before a transactional test reloads its data,
    # and on PostgreSQL the test then ran without the rows the migrations load.
    browser = request.getfixturevalue("browser")
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def pytest_configure(config):
    """Compile the translation catalogues if missing or stale: .mo files are generated, never
    committed, and a bare `pytest` (without `make test`) must still read every language."""
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "scripts" / "compile_messages.py"
    spec = importlib.util.spec_from_file_location("compile_messages", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_messages()


def pytest_sessionfinish(session, exitstatus):
    from django.conf import settings

    # The test settings put media in a fresh temporary folder per process; remove it.
    root = Path(str(getattr(settings, "MEDIA_ROOT", "")))
    if root.name.startswith("muster-test-media-"):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the migrated data that serialized_rollback restores reachable from every
    connection object. Django stores it on the connection object that created the test
    database; a browser test (Playwright's sync API switches execution contexts) can leave the
    next transactional test with a fresh connection object that lacks it, and then the flushed
    database is never refilled (jurisdictions missing after another browser test ran)."""
    from django.db import connections

    for conn in connections.all():
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None:
            type(conn)._test_serialized_contents = contents
    yield
