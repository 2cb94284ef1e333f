"""The bar that holds for daily use: every public page of ours, the officer's pages and the
trainer's pages fit a 390 px phone screen (no horizontal scroll) and a desktop, and axe-core
finds no serious or critical accessibility violation on them, in both viewports."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses.models import CoursePage
from evaluation import selectors as evaluation_selectors
from sessions.models import TrainingSession
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}


def problems_on(page, url, axe):
    """What is wrong with one page in the current viewport, as readable lines."""
    page.goto(url)
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width > viewport:
        found.append(f"{url} at {viewport}px: page is {width}px wide")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{url} at {viewport}px: {violation['id']} ({violation['impact']}) {targets}"
            )
    return found


def check_pages(page, urls):
    axe = Axe()
    found = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for url in urls:
            found += problems_on(page, url, axe)
    return found


def public_urls(live_server):
    session = TrainingSession.objects.upcoming().first()
    course = CoursePage.objects.live().first()
    return [
        live_server.url + path
        for path in (
            "/",
            "/en/courses/",
            course.url,
            reverse("training_sessions:upcoming"),
            reverse("training_sessions:detail", args=[session.reference]),
            reverse("certificates:verify_form"),
            reverse("credentials_public:verifier"),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
        )
    ]


def test_public_officer_and_trainer_pages_fit_a_phone_and_pass_axe(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    found = check_pages(page, public_urls(live_server))

    sign_in(page, live_server, "officer@hkpf.example", password="officer-demo-2023")
    session = TrainingSession.objects.upcoming().first()
    # The demo officer's open feedback form (a Hong Kong workshop that ended yesterday).
    officer = get_user_model().objects.get(email="officer@hkpf.example")
    (open_form, *_rest) = evaluation_selectors.open_forms_for(officer)
    officer_paths = [
        reverse("my_training:index"),
        reverse("attendees:profile"),
        reverse("training_sessions:feed_settings"),
        reverse("training_sessions:request_training"),
        reverse("training_sessions:detail", args=[session.reference]),
        reverse("usersessions_list"),
        reverse("evaluation:feedback", args=[open_form.reference]),
    ]
    from coordinators.models import Nomination

    nomination = Nomination.objects.filter(
        officer__email="officer@hkpf.example", status="pending"
    ).first()
    officer_paths.append(reverse("coordinators:respond", args=[nomination.pk]))
    found += check_pages(page, [live_server.url + path for path in officer_paths])

    page.context.clear_cookies()
    sign_in(page, live_server, "coordinator@hkpf.example", password="coordinator-demo-2023")
    coordinator_paths = [
        reverse("coordinators:index"),
        reverse("coordinators:nominate", args=[nomination.session.reference]),
        reverse("coordinators:officer", args=[nomination.officer_id]),
    ]
    found += check_pages(page, [live_server.url + path for path in coordinator_paths])

    page.context.clear_cookies()
    trainer = get_user_model().objects.get(email="trainer@muster.example")
    sign_in(page, live_server, trainer, password="trainer-demo-2023")
    taught = TrainingSession.objects.upcoming().filter(trainers=trainer).first()
    trainer_paths = [
        reverse("training_sessions:roster", args=[taught.reference]),
        reverse("training_sessions:roll_call", args=[taught.reference]),
        reverse("my_sessions:index"),
        reverse("wagtailadmin_home"),
        reverse("communications_admin:compose", args=[taught.pk]),
        reverse("communications_admin:session_messages", args=[taught.pk]),
    ]
    found += check_pages(page, [live_server.url + path for path in trainer_paths])

    assert not found, "\n".join(found)
