"""Demo course facts and materials: languages, audiences and prerequisites on every course,
materials at each access level and handling label (small real PDFs made with reportlab), a few
logged downloads, and promoted search results. Called once from builder.build()."""

import datetime
import io

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Collection

from courses.models import (
    AudienceType,
    CourseMaterial,
    Language,
    MaterialDownload,
    restricted_collection,
)

# code -> (languages, audiences, prerequisites)
FACTS = {
    "VAI-101": (["en", "fr", "es", "th"], ["police", "prosecution", "fiu", "customs_tax"], []),
    "VAI-201": (["en", "zh-hant"], ["police", "prosecution"], ["VAI-101", "BCT-210"]),
    "BCT-210": (["en", "ko"], ["police", "fiu"], ["VAI-101"]),
    "EXC-110": (["en", "pt"], ["police", "prosecution", "judiciary"], []),
    "SCM-220": (["en", "th", "zh-hans", "vi"], ["police", "financial_institution"], []),
    "RWL-230": (["en", "fr"], ["police", "fiu", "regulator"], ["BCT-210"]),
    "DFI-310": (["en"], ["police", "regulator", "central_bank"], ["BCT-210"]),
    "TFC-240": (["en", "ar", "fr"], ["fiu", "prosecution", "customs_tax"], ["VAI-101"]),
    "FIU-150": (["en", "es", "id"], ["fiu", "regulator", "central_bank"], []),
    "SYM-100": (["en", "ms"], ["police", "prosecution", "fiu", "regulator", "other"], []),
}

# (title, access, label, pages): every course gets the first two, later ones rotate in.
MATERIALS = [
    ("Course slides", "public", "TLP:CLEAR", 3),
    ("Participant handbook", "verified", "TLP:GREEN", 4),
    ("Exercise workbook", "registrants", "TLP:GREEN", 3),
    ("Case file: tracing exercise", "attendees", "TLP:AMBER", 5),
    ("Exchange contact list for investigators", "verified", "TLP:AMBER", 2),
    ("Live case debrief", "attendees", "TLP:RED", 2),
]

PROMOTIONS = [
    ("ransomware", "RWL-230", "The programme's ransomware course."),
    ("pig butchering", "SCM-220", "Typologies and victim support."),
    ("tracing", "BCT-210", "Start here for hands-on blockchain tracing."),
    ("crypto", "VAI-101", "New to virtual assets? Begin with the foundations."),
]


def pdf(title, course, label, pages):
    buffer = io.BytesIO()
    # invariant: no timestamps or random IDs, so the demo files are the same on every run.
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setTitle(f"{course.code} {title}")
    for number in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 760, f"{course.code} · {title}")
        c.setFont("Helvetica", 11)
        c.drawString(72, 736, course.title)
        c.drawString(
            72, 716, f"Handling: {label}. Demo material; every person and case is fictional."
        )
        c.drawString(72, 690, f"Page {number} of {pages}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def build_materials(demo):
    Document = get_document_model()
    languages = {lang.code: lang for lang in Language.objects.all()}
    audiences = {a.code: a for a in AudienceType.objects.all()}
    by_code = {course.code: course for course in demo.courses}
    public_collection = Collection.get_first_root_node()
    private_collection = restricted_collection()

    for index, course in enumerate(demo.courses):
        langs, auds, prereqs = FACTS[course.code]
        course.languages.set([languages[code] for code in langs])
        course.audiences.set([audiences[code] for code in auds])
        course.prerequisites.set([by_code[code] for code in prereqs])
        chosen = MATERIALS[:2] + [MATERIALS[2 + (index + k) % 4] for k in range(index % 3 + 1)]
        for order, (title, access, label, pages) in enumerate(chosen):
            document = Document(
                title=f"{course.code} {title}",
                collection=public_collection if access == "public" else private_collection,
            )
            slug = title.lower().replace(":", "").replace(" ", "-")
            document.file.save(
                f"{course.code.lower()}-{slug}.pdf",
                ContentFile(pdf(title, course, label, pages)),
                save=False,
            )
            document._set_document_file_metadata()
            document.save()
            course.materials.add(
                CourseMaterial(
                    document=document, title=title, access=access, label=label, sort_order=order
                )
            )
        course.save_revision().publish()

    build_downloads(demo)
    for query_string, code, description in PROMOTIONS:
        SearchPromotion.objects.create(
            query=Query.get(query_string),
            page=by_code[code],
            description=description,
            sort_order=0,
        )


def build_downloads(demo):
    rng = demo.rng
    verified = [o for o in demo.officers[:60] if o.officer_profile.is_verified]
    materials = list(
        CourseMaterial.objects.filter(access__in=["public", "verified"]).select_related("page")
    )
    rows = []
    for n in range(40):
        material = rng.choice(materials)
        officer = rng.choice(verified)
        rows.append(
            MaterialDownload(
                user=officer,
                material=material,
                title=material.title,
                label=material.label,
                course_code=material.page.code,
                stamped=material.label in CourseMaterial.STAMPED_LABELS,
                downloaded_at=demo.now - datetime.timedelta(days=n, hours=rng.randint(0, 23)),
            )
        )
    MaterialDownload.objects.bulk_create(rows)
