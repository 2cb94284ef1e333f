"""The catalogue: combinable filters in the URL, Wagtail search with promoted results, and the
facts each course card shows; the course page's sessions and materials; the home page."""

import datetime

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from courses.models import AudienceType, Language, Topic
from tests import factories

pytestmark = pytest.mark.django_db

FUTURE = datetime.date.today() + datetime.timedelta(days=30)


def day(date):
    return (date, datetime.time(9), datetime.time(17))


@pytest.fixture
def courses():
    tracing = Topic.objects.create(name="Blockchain tracing", slug="blockchain-tracing")
    scams = Topic.objects.create(name="Scam typologies", slug="scam-typologies")
    en, th = Language.objects.get(code="en"), Language.objects.get(code="th")
    police, fiu = AudienceType.objects.get(code="police"), AudienceType.objects.get(code="fiu")

    def make(code, title, level, topics, languages, audiences, delivery=None):
        page = factories.course(code=code, title=title, level=level)
        page.topics.set(topics)
        page.languages.set(languages)
        page.audiences.set(audiences)
        page.save()
        if delivery:
            factories.session(course_obj=page, delivery=delivery, days=[day(FUTURE)])
        return page

    return {
        "a": make(
            "BCT-100", "Tracing basics", "foundation", [tracing], [en], [police], "in_person"
        ),
        "b": make("BCT-300", "Tracing advanced", "advanced", [tracing], [en, th], [fiu], "remote"),
        "c": make("SCM-100", "Pig butchering scams", "foundation", [scams], [th], [police]),
    }


def codes(response):
    return [c.code for c in response.context["courses"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["BCT-100", "BCT-300", "SCM-100"]),
        ("?topic=blockchain-tracing", ["BCT-100", "BCT-300"]),
        ("?level=foundation", ["BCT-100", "SCM-100"]),
        ("?language=th", ["BCT-300", "SCM-100"]),
        ("?audience=police", ["BCT-100", "SCM-100"]),
        ("?delivery=remote", ["BCT-300"]),
        ("?delivery=in_person&topic=blockchain-tracing", ["BCT-100"]),
        ("?topic=blockchain-tracing&language=th&audience=fiu&level=advanced", ["BCT-300"]),
        ("?topic=scam-typologies&delivery=remote", []),
    ],
)
def test_filters_combine(client, courses, query, expected):
    response = client.get("/en/courses/" + query)
    assert response.status_code == 200
    assert codes(response) == expected


def test_an_unknown_filter_value_says_so_and_is_ignored(client, courses):
    response = client.get("/en/courses/?topic=no-such-topic&level=foundation")
    assert codes(response) == ["BCT-100", "SCM-100"]
    assert "Select a valid choice" in response.content.decode()


def test_filters_keep_their_values_in_the_form(client, courses):
    html = client.get("/en/courses/?topic=blockchain-tracing").content.decode()
    assert '<option value="blockchain-tracing" selected>' in html
    assert "Clear filters" in html


def test_cards_show_languages_delivery_and_next_session(client, courses):
    later = FUTURE + datetime.timedelta(days=20)
    factories.session(course_obj=courses["a"], delivery="hybrid", days=[day(later)])
    factories.session(
        course_obj=courses["a"],
        status="draft",
        days=[day(FUTURE - datetime.timedelta(days=10))],
    )
    response = client.get("/en/courses/")
    card = response.context["courses"][0]
    assert card.code == "BCT-100"
    assert card.session_facts.next_date == FUTURE
    assert [label for _v, label in card.session_facts.deliveries] == ["In person", "Hybrid"]
    html = response.content.decode()
    assert "In person, Hybrid" in html
    assert FUTURE.strftime("%-d %b %Y") in html


def test_search_finds_course_text_and_respects_filters(client, courses):
    courses["c"].summary = "Romance and investment fraud run from scam compounds."
    courses["c"].save_revision().publish()
    assert codes(client.get("/en/courses/?q=compounds")) == ["SCM-100"]
    assert codes(client.get("/en/courses/?q=compounds&level=advanced")) == []
    assert codes(client.get("/en/courses/?q=BCT-300")) == ["BCT-300"]


def test_promoted_results_come_first(client, courses):
    query = Query.get("ransomware")
    SearchPromotion.objects.create(
        query=query, page=courses["b"], description="Start here", sort_order=0
    )
    html = client.get("/en/courses/?q=Ransomware").content.decode()
    assert "Recommended" in html
    assert html.index("Start here") < html.index("0 courses")


def test_search_does_not_write_queries(client, courses):
    client.get("/en/courses/?q=anything+at+all")
    assert not Query.objects.filter(query_string="anything at all").exists()


def test_catalogue_paginates_and_keeps_filters(client):
    for n in range(30):
        factories.course(code=f"PAG-{n:03d}", level="advanced")
    response = client.get("/en/courses/?level=advanced")
    assert len(response.context["courses"]) == 24
    assert "level=advanced&amp;page=2" in response.content.decode()
    assert len(client.get("/en/courses/?level=advanced&page=2").context["courses"]) == 6


def test_course_page_lists_upcoming_sessions_with_seats_and_links(client):
    course = factories.course(code="VAI-201")
    online = factories.session(
        course_obj=course,
        delivery="remote",
        reference="2030-RM-001",
        capacity=10,
        days=[day(FUTURE)],
    )
    factories.session(
        course_obj=course,
        delivery="in_person",
        city="Bangkok",
        reference="2030-TH-001",
        days=[day(FUTURE + datetime.timedelta(days=3)), day(FUTURE + datetime.timedelta(days=4))],
    )
    factories.session(
        course_obj=course,
        status="delivered",
        reference="2020-OLD-001",
        days=[day(datetime.date(2020, 5, 5))],
    )
    factories.registration(session_obj=online, officer_obj=factories.officer())
    html = client.get(course.url).content.decode()
    assert 'href="/en/sessions/2030-RM-001/"' in html and 'href="/en/sessions/2030-TH-001/"' in html
    assert "2020-OLD-001" not in html
    assert "Online" in html and "Bangkok" in html
    assert "<td>9</td>" in html  # ten seats, one confirmed


def test_course_page_shows_materials_with_their_labels_and_next_steps(client):
    course = factories.course()
    factories.material(course_obj=course, access="public", label="TLP:CLEAR", title="Slides")
    factories.material(course_obj=course, access="attendees", label="TLP:RED", title="Case file")
    html = client.get(course.url).content.decode()
    assert "TLP:CLEAR" in html and "TLP:RED" in html
    assert "Slides</a>" in html
    assert "Case file</a>" not in html  # no download link for a refused material
    assert "Sign in with your agency e-mail address" in html


def test_course_page_shows_prerequisites_that_are_published(client):
    basics = factories.course(code="VAI-101", title="Basics")
    hidden = factories.course(code="OLD-101", title="Withdrawn", live=False)
    course = factories.course(code="VAI-201")
    course.prerequisites.set([basics, hidden])
    course.save()
    html = client.get(course.url).content.decode()
    assert "VAI-101 Basics" in html and "Withdrawn" not in html


def test_home_page_has_upcoming_sessions_and_a_search_box(client):
    course = factories.course(title="Ransomware and laundering")
    factories.session(course_obj=course, reference="2030-HK-009", days=[day(FUTURE)])
    html = client.get("/en/").content.decode()
    assert 'href="/en/sessions/2030-HK-009/"' in html
    assert 'name="q"' in html and 'action="/en/courses/"' in html
