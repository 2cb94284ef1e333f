"""Browser journey: an officer who attended gets the feedback invitation, follows its link on a
phone-sized screen, signs in and answers; the session's trainer then reads the results."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from evaluation import selectors, services
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_attend_invitation_answer_on_a_phone_and_the_trainer_reads_the_results(
    live_server, page, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    trainer = factories.trainer()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    session = factories.session(
        days=[(yesterday, datetime.time(9), datetime.time(17))], status="delivered"
    )
    session.trainers.add(trainer)
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    others = [factories.officer() for _ in range(4)]
    for person in [officer, *others]:
        factories.attendance(session_obj=session, officer_obj=person, attended=1)
    # Four colleagues answered already, so the fifth answer makes the results readable.
    for person in others:
        data = {
            q.pk: ("4" if q.kind == "rating" else "8" if q.kind == "recommend" else "Good")
            for q in selectors.questions_for(session)
        }
        services.submit_feedback(session=session, officer=person, data=data)

    services.queue_feedback_invitations()
    (invitation,) = [m for m in mail.outbox if m.to == [officer.email]]
    link = re.search(r"(https?://\S+/feedback/\S+/)", invitation.body).group(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill("pw-test-1234")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**/feedback/{session.reference}/")
    assert page.locator(".feedback-privacy").inner_text().startswith("Your answers are anonymous")
    # Nothing in the form reaches past the phone's width.
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('article.feedback *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert too_wide == []

    page.get_by_role("button", name="Send my feedback").click()
    assert page.get_by_text("This question needs an answer.").first.is_visible()
    for fieldset in page.locator("fieldset").all():
        scale = fieldset.locator(".feedback-scale label")
        if scale.count() == 5:
            scale.nth(4).click()
        elif scale.count() == 11:
            scale.nth(10).click()
    page.get_by_label("What should we improve?").fill("Más ejercicios prácticos")
    page.get_by_role("button", name="Send my feedback").click()
    page.get_by_text("Thank you for your feedback").wait_for()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, trainer)
    page.goto(live_server.url + f"/admin/evaluation-results/results/{session.pk}/")
    assert "5 of 5 attendees answered" in page.locator(".response-rate").inner_text()
    overall = page.locator(".question-result").first
    assert "Average 4.2" in overall.inner_text()
    assert page.get_by_text("Más ejercicios prácticos").is_visible()
