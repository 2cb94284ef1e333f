"""Browser journey: browse the catalogue, filter by topic, open a course, download a public
material."""

import pytest
from django.core.management import call_command

from courses.models import MaterialDownload
from demo import data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_filter_the_catalogue_and_download_a_public_material(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto(live_server.url + "/courses/")
    assert page.locator(".course-card").count() == 10

    page.get_by_label("Topic").select_option(label="DeFi and protocol exploits")
    page.get_by_role("button", name="Show courses").click()
    page.wait_for_url("**/courses/?*topic=defi-exploits*")
    titles = page.locator(".course-card h3").all_inner_texts()
    expected = {row[1] for row in data.COURSES if "defi-exploits" in row[4]}
    assert set(titles) == expected and len(expected) < 10

    page.get_by_role("link", name="DeFi exploit response").click()
    assert page.locator(".course-code").inner_text() == "DFI-310"
    materials = page.locator("#materials")
    assert materials.get_by_text("TLP:CLEAR").is_visible()
    # A restricted material shows why it is closed instead of a link.
    assert materials.get_by_text("Sign in with your agency e-mail address").first.is_visible()

    before = MaterialDownload.objects.count()
    with page.expect_download() as info:
        materials.get_by_role("link", name="Course slides").click()
    download = info.value
    assert download.suggested_filename == "dfi-310-course-slides.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(4) == b"%PDF"
    assert MaterialDownload.objects.count() == before + 1
