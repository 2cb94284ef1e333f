"""The material download view: headers, the download log, stamping, and the doors around it
(Wagtail's document URL and /media/)."""

import io

import pytest
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from accounts import roles
from courses.models import MaterialDownload
from tests import factories

pytestmark = pytest.mark.django_db


def url(material):
    return f"/courses/materials/{material.pk}/download/"


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_download_is_private_and_an_attachment(client):
    material = factories.material(access="public")
    response = client.get(url(material))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert response["Content-Disposition"].startswith("attachment;")
    assert material.document.filename in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_every_download_is_logged_once(client):
    officer = factories.officer(first_name="Mei", last_name="Chan")
    material = factories.material(access="verified", label="TLP:GREEN")
    client.force_login(officer)
    assert MaterialDownload.objects.count() == 0
    body(client.get(url(material)))
    assert MaterialDownload.objects.count() == 1
    body(client.get(url(material)))
    log = list(MaterialDownload.objects.order_by("pk"))
    assert len(log) == 2
    assert {entry.user for entry in log} == {officer}
    assert log[0].material == material and log[0].course_code == material.page.code
    assert not log[0].stamped


def test_refused_downloads_are_not_logged(client):
    material = factories.material(access="verified")
    client.force_login(factories.officer(verified=False))
    assert client.get(url(material)).status_code == 403
    assert not MaterialDownload.objects.exists()


def test_anonymous_public_downloads_are_logged_without_a_user(client):
    material = factories.material(access="public")
    body(client.get(url(material)))
    entry = MaterialDownload.objects.get()
    assert entry.user is None and entry.material == material


@pytest.mark.parametrize("label", ["TLP:AMBER", "TLP:RED"])
def test_amber_and_red_pdfs_are_stamped_on_every_page(client, label):
    agency = factories.agency(name="Commercial Crime Bureau")
    officer = factories.officer(agency_obj=agency, first_name="Somchai", last_name="Rattanakorn")
    doc = factories.document(content=factories.pdf_bytes(pages=3, text="Case file"))
    stored = doc.file.open("rb").read()
    doc.file.close()
    material = factories.material(access="verified", label=label, doc=doc)
    client.force_login(officer)
    data = body(client.get(url(material)))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 3
    for page in pages:
        text = page.extract_text()
        assert "Somchai Rattanakorn" in text
        assert "Commercial Crime Bureau" in text
        assert label in text
        assert "Case file" in text  # the original content is still there
    assert MaterialDownload.objects.get().stamped
    # The stored file is never changed.
    doc.refresh_from_db()
    with doc.file.open("rb") as f:
        assert f.read() == stored
    assert "Somchai" not in pdf_text(stored)


@pytest.mark.parametrize("label", ["TLP:CLEAR", "TLP:GREEN"])
def test_clear_and_green_pdfs_are_sent_as_stored(client, label):
    doc = factories.document()
    material = factories.material(access="verified", label=label, doc=doc)
    client.force_login(factories.officer(first_name="Ana", last_name="Lima"))
    data = body(client.get(url(material)))
    with doc.file.open("rb") as f:
        assert data == f.read()


def test_non_pdf_amber_files_are_served_unstamped(client):
    doc = factories.document(filename="notes.txt", content=b"amber notes")
    material = factories.material(access="verified", label="TLP:AMBER", doc=doc)
    client.force_login(factories.officer())
    response = client.get(url(material))
    assert body(response) == b"amber notes"
    assert response["Content-Type"].startswith("text/plain")
    assert not MaterialDownload.objects.get().stamped


def test_materials_of_unpublished_courses_are_not_found(client):
    material = factories.material(course_obj=factories.course(live=False), access="public")
    assert client.get(url(material)).status_code == 404
    assert client.get("/courses/materials/999999/download/").status_code == 404


def test_materials_behind_a_page_view_restriction_need_it(client):
    material = factories.material(access="public")
    PageViewRestriction.objects.create(page=material.page, restriction_type="login")
    assert client.get(url(material)).status_code == 404
    client.force_login(factories.officer())
    assert client.get(url(material)).status_code == 200


def test_only_get_is_allowed(client):
    material = factories.material(access="public")
    assert client.post(url(material)).status_code == 405


# --- Other doors to the same file -----------------------------------------------------------


def test_the_direct_media_url_of_a_restricted_document_is_not_served(client, settings):
    material = factories.material(access="attendees", label="TLP:RED")
    media_url = material.document.file.url
    assert media_url.startswith("/media/documents/")
    assert client.get(media_url).status_code == 404
    client.force_login(factories.user(is_superuser=True, is_staff=True))
    assert client.get(media_url).status_code == 404


def test_wagtail_document_url_sends_materials_to_the_checked_view(client):
    material = factories.material(access="verified")
    response = client.get(material.document.url)
    assert response.status_code == 302
    assert response["Location"] == url(material)
    assert not MaterialDownload.objects.exists()
    # and the checked view refuses the anonymous visitor there
    assert client.get(response["Location"]).status_code == 403


def test_wagtail_document_url_of_a_public_material_is_logged_through_the_view(client):
    material = factories.material(access="public")
    response = client.get(material.document.url, follow=True)
    assert response.status_code == 200
    assert MaterialDownload.objects.count() == 1


def test_restricted_documents_not_yet_used_are_not_found(client):
    doc = factories.document(restricted=True)
    client.force_login(factories.officer())
    assert client.get(doc.url).status_code in (403, 404)
    response = client.get(doc.url)
    assert not response.has_header("Content-Disposition")


def test_editors_still_open_restricted_documents_from_the_admin(client):
    doc = factories.document(restricted=True)
    client.force_login(factories.user(role=roles.EDITOR))
    response = client.get(doc.url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("first", "last"), [("สมชาย", "ศรีสุข"), ("家豪", "陳"), ("지우", "김"), ("José", "Müller")]
)
def test_stamps_print_names_in_their_own_script(client, first, last):
    from courses import stamping

    if stamping.font_for(first + last) == stamping.FALLBACK_FONT:
        pytest.skip("no font for this script is installed (fonts-tlwg-garuda, fonts-wqy-zenhei)")
    officer = factories.officer(first_name=first, last_name=last)
    material = factories.material(access="verified", label="TLP:RED")
    client.force_login(officer)
    text = pdf_text(body(client.get(url(material))))
    assert first in text and last in text and officer.email in text
