"""Upload limits, checked through the Wagtail admin's own upload views as an editor."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from accounts import roles
from tests import factories

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user(role=roles.EDITOR))
    return client


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def png(width, height):
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_allowed_documents_upload(editor_client):
    response = upload_document(editor_client, "handout.pdf", factories.pdf_bytes())
    assert response.status_code == 302
    assert Document.objects.filter(title="Upload").exists()


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "macro.docm", "image.svg", "run.sh"])
def test_documents_outside_the_allow_list_are_refused(editor_client, name):
    response = upload_document(editor_client, name, b"content")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "is not allowed" in errors
    assert not Document.objects.exists()


def test_documents_over_the_size_limit_are_refused(editor_client, settings):
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE <= 50 * 1024 * 1024
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(editor_client, "big.pdf", b"%PDF" + b"0" * 2048)
    assert response.status_code == 200
    assert "This file is too big" in " ".join(response.context["form"].errors["file"])
    assert not Document.objects.exists()


def test_svg_images_are_refused(editor_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload_image(editor_client, "logo.svg", svg)
    assert response.status_code == 200
    assert "Not a supported image format" in " ".join(response.context["form"].errors["file"])
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not Image.objects.exists()


def test_small_images_upload(editor_client):
    response = upload_image(editor_client, "photo.png", png(40, 30))
    assert response.status_code == 302
    assert Image.objects.get().width == 40


def test_images_over_the_pixel_limit_are_refused(editor_client):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 128_000_000  # lower than Wagtail's default
    side = int(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS**0.5) + 10
    response = upload_image(editor_client, "huge.png", png(side, side))
    assert response.status_code == 200
    assert "too many pixels" in " ".join(response.context["form"].errors["file"])
    assert not Image.objects.exists()
