"""Course content in the reader's language (courses/translation.py): a published translation is
shown in its language, an untranslated page in English with a note and lang="en", and
translations never count twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale

from accounts import roles
from courses.models import CourseIndexPage, CourseMaterial, CoursePage, HomePage, Language
from courses.selectors import materials_open_to
from tests import factories

pytestmark = pytest.mark.django_db


def translate(page, language, **fields):
    """Publish `page` in `language` with `fields` changed, as an editor does with Translate."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


def test_every_offered_language_has_a_locale():
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {
        "en",
        "th",
        "zh-hant",
        "zh-hans",
        "ko",
    }


def test_a_published_translation_is_shown_in_its_language(client):
    course = factories.course(title="Blockchain tracing", summary="Follow the coins.")
    translate(course, "th", title="การติดตามบล็อกเชน", summary="ติดตามเหรียญ")

    thai = client.get(f"/th/courses/{course.slug}/").content.decode()
    assert '<h1 lang="th">การติดตามบล็อกเชน</h1>' in thai
    assert 'lang="th">ติดตามเหรียญ' in thai
    assert "untranslated-note" not in thai
    assert course.code in thai  # facts are the English page's

    english = client.get(f"/en/courses/{course.slug}/").content.decode()
    assert '<h1 lang="en">Blockchain tracing</h1>' in english


def test_a_draft_translation_is_not_shown(client):
    course = factories.course(title="Ransomware response")
    copy = course.copy_for_translation(Locale.objects.get(language_code="th"), copy_parents=True)
    copy.title = "ยังไม่เผยแพร่"
    copy.save_revision()  # not published

    thai = client.get(f"/th/courses/{course.slug}/").content.decode()
    assert "ยังไม่เผยแพร่" not in thai
    assert '<h1 lang="en">Ransomware response</h1>' in thai


def test_an_untranslated_page_is_english_with_a_note_and_lang_en(client):
    course = factories.course(title="Ransomware response")
    translate(factories.course(), "th")  # a Thai tree exists, but not for this course

    thai = client.get(f"/th/courses/{course.slug}/")
    assert thai.status_code == 200
    html = thai.content.decode()
    assert '<html lang="th">' in html
    assert 'class="untranslated-note"' in html
    assert "ภาษาไทย" in html  # the reader's language, named in its own script
    assert '<h1 lang="en">Ransomware response</h1>' in html
    assert '<div class="course-body" lang="en">' in html

    # English readers get no note.
    assert "untranslated-note" not in client.get(f"/en/courses/{course.slug}/").content.decode()


def test_links_stay_in_the_readers_language():
    course = factories.course()
    thai_page = translate(course, "th", title="หลักสูตร")
    with translation.override("th"):
        assert course.url == f"/th/courses/{course.slug}/"
        assert thai_page.url == course.url
    with translation.override("ko"):
        assert course.url == f"/ko/courses/{course.slug}/"


def test_the_catalogue_lists_a_translated_course_once_in_the_readers_language(client):
    course = factories.course(title="Blockchain tracing", code="TRN-101")
    factories.course(title="Crypto seizure", code="TRN-102")
    translate(course, "zh-hant", title="區塊鏈追蹤")
    assert CoursePage.objects.filter(code="TRN-101").count() == 2

    html = client.get("/zh-hant/courses/").content.decode()
    assert html.count("TRN-101") == 1
    assert "區塊鏈追蹤" in html
    assert "Crypto seizure" in html
    assert CourseIndexPage.objects.count() == 2  # the translation's catalogue...
    assert client.get("/zh-hant/courses/").context["result_count"] == 2  # ...lists nothing twice

    home = client.get("/zh-hant/")
    assert home.status_code == 200
    assert [c.code for c in home.context["featured_courses"]].count("TRN-101") == 1
    assert HomePage.objects.count() == 2


def test_a_translation_keeps_the_code_another_course_cannot_take_it():
    course = factories.course(code="DUP-001")
    thai_page = translate(course, "th", title="หลักสูตร")
    thai_page.full_clean()  # the translation shares its course's code

    other = factories.course(code="DUP-002")
    other.code = "DUP-001"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "code" in error.value.message_dict


def test_a_translations_copied_materials_are_not_listed_twice():
    course = factories.course()
    factories.material(course_obj=course, access="verified", label="TLP:GREEN")
    translate(course, "th", title="หลักสูตร")
    assert CourseMaterial.objects.count() == 2  # Wagtail copied the material with the page

    grouped = materials_open_to(factories.officer())
    assert [(page.pk, len(materials)) for page, materials in grouped] == [(course.pk, 1)]


def test_materials_in_the_readers_language_come_first(client):
    course = factories.course()
    english = factories.material(course_obj=course, title="Handbook (English)")
    thai = factories.material(course_obj=course, title="Handbook (Thai)")
    unnamed = factories.material(course_obj=course, title="Slides")
    english.language = Language.objects.get(code="en")
    thai.language = Language.objects.get(code="th")
    english.save()
    thai.save()
    assert [english.sort_order, thai.sort_order, unnamed.sort_order] == sorted(
        [english.sort_order, thai.sort_order, unnamed.sort_order]
    )

    def titles(language):
        response = client.get(f"/{language}/courses/{course.slug}/")
        return [material.title for material, _access in response.context["materials"]]

    assert titles("th") == ["Handbook (Thai)", "Handbook (English)", "Slides"]
    assert titles("en") == ["Handbook (English)", "Handbook (Thai)", "Slides"]
    assert "ไทย" in client.get(f"/th/courses/{course.slug}/").content.decode()


def test_material_language_matching():
    material = CourseMaterial(language=Language(code="zh-Hant"))
    assert material.is_in("zh-hant")
    assert not material.is_in("zh-hans")
    assert CourseMaterial(language=Language(code="th-TH")).is_in("th")
    assert not CourseMaterial().is_in("en")


def test_a_sessions_language_is_named_in_the_readers_language(client):
    soon = datetime.date.today() + datetime.timedelta(days=20)
    session = factories.session(language="th", days=[(soon, datetime.time(9), datetime.time(17))])
    english = client.get(f"/en/sessions/{session.reference}/").content.decode()
    thai = client.get(f"/th/sessions/{session.reference}/").content.decode()
    assert "<dd>Thai</dd>" in english
    assert "<dd>ไทย</dd>" in thai
    assert "<dd>th</dd>" not in english + thai


def test_an_alias_is_not_a_translation(client):
    course = factories.course(title="Ransomware response")
    translate(factories.course(), "th")  # the Thai catalogue, for the alias to sit in
    alias = course.copy_for_translation(Locale.objects.get(language_code="th"), alias=True)
    assert alias.live and alias.alias_of_id == course.pk
    html = client.get(f"/th/courses/{course.slug}/").content.decode()
    assert '<h1 lang="en">Ransomware response</h1>' in html
    assert "untranslated-note" in html


def test_editors_may_translate_and_officers_may_not():
    editor = factories.user(role=roles.EDITOR)
    assert editor.has_perm("simple_translation.submit_translation")
    assert not factories.officer().has_perm("simple_translation.submit_translation")
