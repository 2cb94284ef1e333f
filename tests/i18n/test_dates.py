"""Dates follow the locale (CLDR through Babel), with the Buddhist Era year for Thai readers,
on pages, in e-mails and on certificates."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from muster import dates

DAY = datetime.date(2023, 3, 29)  # a Wednesday


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        # What CLDR writes (Babel's data), with the Thai year in the Buddhist Era.
        ("th", "full", "วันพุธที่ 29 มีนาคม พ.ศ. 2566"),
        ("th", "long", "29 มีนาคม พ.ศ. 2566"),
        ("th", "medium", "29 มี.ค. 2566"),
        ("ko", "full", "2023년 3월 29일 수요일"),
        ("ko", "long", "2023년 3월 29일"),
        ("ko", "MMMEd", "3월 29일 (수)"),
        ("zh-hant", "full", "2023年3月29日 星期三"),
        ("zh-hant", "MMMEd", "3月29日 週三"),
        ("zh-hans", "full", "2023年3月29日星期三"),
        ("en", "full", "Wednesday, 29 March 2023"),
        ("en", "medium", "29 Mar 2023"),
    ],
)
def test_dates_are_written_as_cldr_writes_them(language, fmt, expected):
    assert dates.format_date(DAY, fmt, language) == expected


def test_the_thai_year_is_the_buddhist_era_everywhere_it_appears():
    assert dates.format_date(datetime.date(2024, 2, 29), "long", "th") == "29 กุมภาพันธ์ พ.ศ. 2567"
    assert dates.format_date(DAY, "short", "th") == "29/3/2566"
    assert "2023" not in dates.format_date_range(DAY, datetime.date(2023, 4, 2), "th")
    assert "2566" in dates.format_date_range(DAY, datetime.date(2023, 4, 2), "th")


def test_korean_no_longer_puts_english_word_order_into_dates():
    # Django's hand-built "l j F Y" gave "수요일 29 3월 2023".
    assert dates.format_date(DAY, "full", "ko").startswith("2023년")


def test_date_ranges_follow_the_language():
    end = datetime.date(2023, 4, 2)
    # CLDR sets the English dash between thin spaces.
    assert dates.format_date_range(DAY, end, "en") == "29 Mar\u2009\N{EN DASH}\u20092 Apr 2023"
    assert dates.format_date_range(DAY, end, "ko") == "2023년 3월 29일 ~ 4월 2일"
    assert dates.format_date_range(DAY, end, "zh-hant") == "2023年3月29日至4月2日"
    assert dates.format_date_range(DAY, DAY, "ko") == "2023. 3. 29."


def test_the_template_filters_use_the_active_language():
    template = Template('{{ day|ldate:"long" }} / {% ldaterange day day %}')
    with translation.override("th"):
        assert template.render(Context({"day": DAY})) == "29 มีนาคม พ.ศ. 2566 / 29 มี.ค. 2566"


def test_the_quoted_literals_of_a_pattern_are_left_alone():
    assert dates._buddhist_pattern("d MMMM 'y' G y", 2023) == "d MMMM 'y' 'พ.ศ.' '2566'"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["th", "ko", "zh-hant"])
def test_pages_show_session_dates_in_the_language(client, code):
    from tests import factories

    factories.session(
        reference="2031-HK-020",
        days=[(datetime.date(2031, 3, 5), datetime.time(9), datetime.time(17))],
    )
    html = client.get(f"/{code}/sessions/2031-HK-020/").content.decode()
    with translation.override(code):
        assert dates.format_date(datetime.date(2031, 3, 5), "full") in html
    if code == "th":
        assert "2574" in html  # 2031 + 543
