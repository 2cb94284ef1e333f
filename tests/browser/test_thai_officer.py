"""Browser journey in Thai: an officer whose browser asks for Thai (Accept-Language th) opens the
catalogue and a course translated into Thai, signs in, registers for a session taught in Thai,
reads its dates in the Buddhist Era and finds it on My training, all in Thai."""

import datetime

import pytest
from wagtail.models import Locale

from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def thai_page(request):
    """A page in a browser set to Thai: its requests send Accept-Language th-TH."""
    browser = request.getfixturevalue("browser")  # after the database fixtures, as `page`
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_thai_officer_reads_the_catalogue_registers_and_sees_my_training_in_thai(
    live_server, thai_page
):
    page = thai_page
    course = factories.course(title="Blockchain tracing", summary="Follow the coins.")
    copy = course.copy_for_translation(Locale.objects.get(language_code="th"), copy_parents=True)
    copy.title = "การติดตามธุรกรรมบนบล็อกเชน"
    copy.summary = "ติดตามเส้นทางของสินทรัพย์ดิจิทัล"
    copy.save_revision().publish()
    day = datetime.date.today() + datetime.timedelta(days=30)
    session = factories.session(
        course_obj=course,
        reference="BR-TH-1",
        language="th",
        days=[(day, datetime.time(9), datetime.time(16))],
        time_zone="Asia/Bangkok",
        capacity=10,
    )
    officer = factories.officer(first_name="สมชาย", last_name="ศรีสุข")
    buddhist_year = str(day.year + 543)

    # The first visit follows the browser: the catalogue opens in Thai.
    page.goto(live_server.url + "/courses/")
    page.wait_for_url("**/th/courses/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_role("link", name="การติดตามธุรกรรมบนบล็อกเชน").click()

    # The course in Thai, its session's dates in the Buddhist Era.
    page.wait_for_url(f"**/th/courses/{course.slug}/")
    assert page.locator("h1").inner_text() == "การติดตามธุรกรรมบนบล็อกเชน"
    assert page.locator("h1").get_attribute("lang") == "th"
    assert page.locator(".untranslated-note").count() == 0
    assert buddhist_year in page.locator("#sessions").inner_text()

    # Signs in and registers, in Thai.
    sign_in(page, live_server, officer)
    page.goto(live_server.url + f"/th/sessions/{session.reference}/")
    assert "ไทย" in page.locator("dl").first.inner_text()  # taught in Thai, by name
    page.get_by_role("button", name="ลงทะเบียน").click()
    page.wait_for_selector("text=ที่นั่งของท่านได้รับการยืนยันแล้ว")
    assert session.registrations.get().officer == officer

    # My training, in Thai, with the day written as Thai readers write it.
    page.goto(live_server.url + "/th/my-training/")
    assert page.locator("h1").inner_text() == "การอบรมของฉัน"
    upcoming = page.locator("#my-upcoming").locator("xpath=..").inner_text()
    assert f"พ.ศ. {buddhist_year}" in upcoming
    assert str(day.year) not in upcoming.replace(buddhist_year, "")
