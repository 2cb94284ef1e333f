"""Course page facts, material rules held by the database and the forms, blocks and previews."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import Collection, CollectionViewRestriction

from courses.models import (
    RESTRICTED_COLLECTION_NAME,
    AudienceType,
    CourseMaterial,
    CoursePage,
    restricted_collection,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("percent", "ok"), [(0, True), (100, True), (101, False)])
def test_attendance_share_is_a_percentage_in_the_database(percent, ok):
    course = factories.course()
    update = CoursePage.objects.filter(pk=course.pk)
    if ok:
        update.update(certificate_attendance_percent=percent)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            update.update(certificate_attendance_percent=percent)


def test_attendance_share_over_100_fails_validation():
    course = factories.course()
    course.certificate_attendance_percent = 120
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "certificate_attendance_percent" in error.value.message_dict


def test_unknown_access_levels_and_labels_are_refused_by_the_database():
    material = factories.material(access="public")
    for field, value in [("access", "everyone"), ("label", "TLP:WHITE")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            CourseMaterial.objects.filter(pk=material.pk).update(**{field: value})


@pytest.mark.parametrize("label", ["TLP:GREEN", "TLP:AMBER", "TLP:RED"])
def test_public_material_is_tlp_clear_only(label):
    material = factories.material(access="public", label="TLP:CLEAR")
    material.label = label
    with pytest.raises(ValidationError) as error:
        material.full_clean()
    assert "label" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        type(material).objects.filter(pk=material.pk).update(label=label)


def test_a_course_cannot_require_itself():
    course = factories.course()
    course.prerequisites.set([course])
    with pytest.raises(ValidationError):
        course.full_clean()


def test_audience_types_are_the_agency_types():
    from attendees.models import Agency

    assert set(AudienceType.objects.values_list("code", flat=True)) == set(Agency.Type.values)


def test_restricted_collection_exists_with_a_view_restriction():
    collection = restricted_collection()
    assert collection.name == RESTRICTED_COLLECTION_NAME
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.restriction_type == "groups"
    assert set(restriction.groups.values_list("name", flat=True)) == {
        "Editor",
        "Programme lead",
    }


def test_restricted_material_must_sit_in_the_restricted_collection():
    course = factories.course()
    public_doc = factories.document(restricted=False)
    material = CourseMaterial(page=course, document=public_doc, title="x", access="verified")
    with pytest.raises(ValidationError) as error:
        material.full_clean()
    assert "document" in error.value.message_dict
    material.access, material.label = "public", "TLP:CLEAR"
    material.full_clean()
    # a sub-collection of the restricted one is fine
    sub = restricted_collection().add_child(name="VAI-201")
    nested = factories.document(restricted=False)
    nested.collection = sub
    nested.save()
    CourseMaterial(page=course, document=nested, title="x", access="attendees").full_clean()
    assert Collection.objects.filter(name="VAI-201").exists()


BODY = [
    {"type": "text", "value": "<p>Intro text</p>"},
    {
        "type": "objectives",
        "value": {"heading": "Learning objectives", "objectives": ["Trace funds", "Freeze"]},
    },
    {
        "type": "outline",
        "value": {
            "heading": "Course outline",
            "modules": [
                {"title": "Wallets", "minutes": 90, "description": "Keys and addresses"},
                {"title": "Exchanges", "minutes": 1, "description": ""},
            ],
        },
    },
    {"type": "quote", "value": {"text": "Very practical.", "attribution": "An investigator"}},
]


def test_body_blocks_render_with_their_templates(client):
    course = factories.course(body=BODY)
    doc = factories.document(restricted=False, title="Public reading list")
    course.body.append(("document", {"document": doc, "title": ""}))
    course.save()
    html = client.get(course.url).content.decode()
    assert 'class="block-objectives"' in html and "<li>Trace funds</li>" in html
    assert "Wallets" in html and "90 minutes" in html and "1 minute" in html
    assert "<blockquote><p>Very practical.</p></blockquote>" in html
    assert "Public reading list" in html and doc.url in html


def test_blocks_carry_an_icon_and_a_description():
    block = CoursePage.body.field.stream_block
    for name, child in block.child_blocks.items():
        assert child.meta.icon and child.meta.icon != "placeholder", name
        assert child.meta.description, name
        assert child.meta.template.startswith("blocks/"), name


def test_editors_can_preview_a_course_page(client):
    from accounts import roles

    course = factories.course(body=BODY, title="Preview me")
    factories.material(course_obj=course, access="attendees", title="Case file")
    client.force_login(factories.user(role=roles.EDITOR))
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == 200
    preview = course.make_preview_request()
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview me" in html and "Case file" in html and "Wallets" in html


def test_a_draft_revision_previews_with_its_unsaved_relations():
    course = factories.course(title="Live title")
    other = factories.course(code="PRE-001", title="Before this")
    factories.material(course_obj=course, access="public", title="Slides")
    draft = CoursePage.objects.get(pk=course.pk)
    draft.title = "Draft title"
    draft.prerequisites = [other]
    revision = draft.save_revision()
    html = revision.as_object().make_preview_request().content.decode()
    assert "Draft title" in html and "PRE-001 Before this" in html and "Slides" in html
    assert CoursePage.objects.get(pk=course.pk).title == "Live title"
