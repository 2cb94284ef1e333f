"""Upload checks (muster/uploads.py): content must match the extension, HTML is refused
whatever its name, oversized images are refused. Each refusal says why and writes nothing."""

import io
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from accounts import roles
from muster.uploads import check_bytes
from reports.forms import HistoryUploadForm
from reports.services import ImportRefused, import_history
from sessions.models import TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'


def xlsx_bytes(rows=(("E-mail",),)):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(names=("readme.txt",)):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def image_bytes(fmt="PNG", size=(40, 30), noise=False):
    buffer = io.BytesIO()
    if noise:  # does not compress: the file is about as large as its pixels
        image = PILImage.frombytes("RGB", size, random.Random(1).randbytes(size[0] * size[1] * 3))
    else:
        image = PILImage.new("RGB", size)
    image.save(buffer, fmt)
    return buffer.getvalue()


# --- The checker ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content",
    [
        ("handout.pdf", factories.pdf_bytes(pages=1)),
        ("sheet.xlsx", xlsx_bytes()),
        ("notes.docx", zip_bytes(["[Content_Types].xml", "word/document.xml"])),
        ("bundle.zip", zip_bytes()),
        ("list.csv", b"E-mail,Name\nmei@hkpf.example,Mei\n"),
        ("plain.txt", "Ünïcode text".encode()),
    ],
)
def test_matching_content_passes(name, content):
    check_bytes(content, name)


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("handout.pdf", HTML, "html"),
        ("handout.pdf", b"\xef\xbb\xbf  <html><body>hi</body></html>", "html"),
        ("sheet.xlsx", HTML, "html"),
        ("list.csv", SVG, "html"),
        ("handout.pdf", xlsx_bytes(), "content_mismatch"),
        ("sheet.xlsx", factories.pdf_bytes(pages=1), "content_mismatch"),
        ("notes.docx", zip_bytes(), "content_mismatch"),  # a ZIP, not a Word file
        ("slides.pptx", b"PK\x03\x04broken", "content_mismatch"),
        ("list.csv", xlsx_bytes(), "content_mismatch"),
        ("list.csv", b"a,b\x00c", "content_mismatch"),
    ],
)
def test_mismatched_content_and_html_are_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_bytes(content, name)
    assert refused.value.code == code
    assert refused.value.messages[0]


# --- Wagtail documents (course materials) -----------------------------------------------------


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user(role=roles.EDITOR))
    return client


def _upload(client, url, name, content):
    return client.post(
        url,
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_real_pdf_uploads(editor_client):
    response = _upload(editor_client, "/admin/documents/add/", "a.pdf", factories.pdf_bytes())
    assert response.status_code == 302
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("handout.pdf", HTML, "web page (HTML or SVG)"),
        ("handout.pdf", b"MZ\x90\x00 an executable", "is not a .pdf file"),
        ("notes.docx", factories.pdf_bytes(pages=1), "is not a .docx file"),
    ],
)
def test_documents_are_refused_with_a_message(editor_client, name, content, message):
    response = _upload(editor_client, "/admin/documents/add/", name, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Document.objects.exists()


def test_the_multiple_upload_checks_too(editor_client):
    response = editor_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("handout.pdf", HTML)},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "web page" in response.json()["error_message"] or "web page" in str(response.json())
    assert not Document.objects.exists()


# --- Wagtail images (course pages, certificate backgrounds, logos and signatures) -------------


def test_oversized_images_are_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024
    response = _upload(
        editor_client, "/admin/images/add/", "big.png", image_bytes(size=(100, 100), noise=True)
    )
    assert response.status_code == 200
    assert "This file is too big" in " ".join(response.context["form"].errors["file"])
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "name,content",
    [("photo.png", image_bytes("JPEG")), ("photo.png", HTML), ("logo.jpg", factories.pdf_bytes())],
)
def test_images_whose_content_is_not_their_extension_are_refused(editor_client, name, content):
    response = _upload(editor_client, "/admin/images/add/", name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()


# --- Roster and history imports ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("roster.csv", HTML, "web page"),
        ("roster.xlsx", factories.pdf_bytes(pages=1), "is not a .xlsx file"),
        ("roster.csv", xlsx_bytes(), "is not a .csv file"),
    ],
)
def test_the_roster_import_refuses_bad_files(client, name, content, message):
    import datetime

    session = factories.session(
        days=[(datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17))]
    )
    trainer = factories.trainer()
    session.trainers.add(trainer)
    client.force_login(trainer)
    url = reverse("training_sessions:roster_import", args=[session.reference])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not session.registrations.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("history.csv", HTML, "web page"),
        ("history.xlsx", HTML, "web page"),
        ("history.xlsx", zip_bytes(), "is not a .xlsx file"),
    ],
)
def test_the_history_import_refuses_bad_files(name, content, message):
    form = HistoryUploadForm(files={"file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])
    with pytest.raises(ImportRefused) as refused:
        import_history(data=content, filename=name)
    assert message in " ".join(str(error) for error in refused.value.errors)
    assert not TrainingSession.objects.exists()
