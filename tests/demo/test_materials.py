import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.contrib.search_promotions.models import SearchPromotion

from courses.models import CourseMaterial, CoursePage, MaterialDownload, restricted_collection
from courses.translation import in_source_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_programme):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_materials_at_every_level_and_label(seeded):
    materials = CourseMaterial.objects.select_related("document", "page")
    assert set(materials.values_list("access", flat=True)) == set(CourseMaterial.Access.values)
    assert set(materials.values_list("label", flat=True)) == set(CourseMaterial.Label.values)
    private = restricted_collection()
    for material in materials:
        in_private = material.document.collection_id == private.pk
        assert in_private is (material.access != "public"), material
        with material.document.open_file() as f:
            assert len(PdfReader(io.BytesIO(f.read())).pages) >= 2


def test_every_demo_course_has_languages_audiences_and_topics(seeded):
    # The courses themselves: a translation carries only the text (courses/translation.py).
    for course in in_source_language(CoursePage.objects.live()):
        assert course.languages.exists() and course.audiences.exists() and course.topics.exists()
    assert CoursePage.objects.get(code="VAI-201").prerequisites.filter(code="VAI-101").exists()


def test_demo_has_downloads_and_promoted_results(seeded, client):
    assert MaterialDownload.objects.count() >= 10
    assert SearchPromotion.objects.count() >= 3
    html = client.get("/en/courses/?q=ransomware").content.decode()
    assert "Recommended" in html and "Ransomware and laundering" in html


def test_seeding_twice_adds_no_materials(seeded):
    before = (CourseMaterial.objects.count(), MaterialDownload.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (CourseMaterial.objects.count(), MaterialDownload.objects.count()) == before
