"""Browser journey: a programme lead signs in, opens the reports and downloads the XLSX."""

import datetime

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_lead_opens_the_report_and_downloads_every_table(live_server, page, tmp_path):
    course = factories.course(code="VAI-201", title="Tracing")
    for day in (3, 10, 17):
        factories.session(
            status="delivered",
            course_obj=course,
            country="HK",
            days=[(datetime.date(2023, 5, day), datetime.time(9), datetime.time(17))],
        )
    factories.session(
        status="delivered",
        course_obj=course,
        country="HK",
        days=[(datetime.date(2022, 5, 3), datetime.time(9), datetime.time(17))],
    )
    lead = factories.user(role="Programme lead")

    sign_in(page, live_server, lead)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/admin/reports/")
    assert page.get_by_role("heading", name="Figures").is_visible()
    delivered = page.locator("#table-figures ~ table tbody tr").first
    assert delivered.locator("th").inner_text() == "Delivered sessions"
    assert delivered.locator("td").nth(0).inner_text() == "3"
    assert page.locator("img[src^='/admin/reports/chart.svg']").evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every table (XLSX)").click()
    path = tmp_path / "report.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path)["figures"]
    assert [cell.value for cell in sheet[2]][:4] == ["Delivered sessions", 3, 1, 2]
