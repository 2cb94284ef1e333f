"""Upload checks shared by every place a file comes in: Wagtail documents (course materials),
the roster import and the history import. Wagtail's own image field already refuses an image
whose content does not match its extension, and applies WAGTAILIMAGES_MAX_UPLOAD_SIZE and
WAGTAILIMAGES_MAX_IMAGE_PIXELS, so images need nothing more here.

check_upload(name, head) looks at the file's first bytes (its "magic") and refuses, with a
message for the person uploading, a file whose content is not what its extension says, and any
HTML or SVG document whatever its name (a browser would run its scripts if it were ever served).
"""

import io
import os
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

HEAD_BYTES = 4096

_HTML = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|svg|iframe)\b",
    re.IGNORECASE | re.DOTALL,
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OOXML = {"docx", "xlsx", "pptx"}
_ODF = {"odt", "odp", "ods"}
_TEXT = {"csv", "txt"}


def looks_like_html(head):
    # A UTF-8 byte order mark or UTF-16 would hide the tag from the pattern.
    text = head.lstrip(b"\xef\xbb\xbf").replace(b"\x00", b"")
    return bool(_HTML.match(text))


def _read_head(fileobj):
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(position)
    return head


def _zip_names(fileobj):
    position = fileobj.tell()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(position)


def check_upload(fileobj, name=None):
    """Raise ValidationError unless the file's content matches its extension. Reads the head
    (and for ZIP-based formats the archive's directory) and rewinds the file."""
    name = name or getattr(fileobj, "name", "") or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    head = _read_head(fileobj)
    if looks_like_html(head):
        raise ValidationError(
            _("This is a web page (HTML or SVG), which is not accepted here, whatever its name."),
            code="html",
        )
    mismatch = ValidationError(
        _(
            "The content of this file is not a .%(extension)s file: check the file and "
            "upload it again."
        )
        % {"extension": extension},
        code="content_mismatch",
    )
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise mismatch
    elif extension in _OOXML | _ODF | {"zip"}:
        if not head.startswith(_ZIP):
            raise mismatch
        if extension != "zip":
            names = _zip_names(fileobj)
            if names is None:
                raise mismatch
            if extension in _OOXML and "[Content_Types].xml" not in names:
                raise mismatch
            if extension in _ODF and "mimetype" not in names:
                raise mismatch
    elif extension in _TEXT and (
        b"\x00" in head or head.startswith(_ZIP) or head.startswith(b"%PDF-")
    ):
        raise mismatch
    return fileobj


def check_bytes(data, name):
    """check_upload() for content already read into memory."""
    return check_upload(io.BytesIO(data), name)


class CheckedDocumentForm(BaseDocumentForm):
    """Every document form in the admin (single, multiple and chooser uploads) builds on this
    (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE), so course materials are checked on the way in."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and "file" in self.changed_data:
            try:
                check_upload(upload, upload.name)
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned
