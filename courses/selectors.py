"""Reads that the catalogue, course pages and My training share.

Each runs a fixed number of queries however many courses, sessions or materials there are
(tests/courses/test_queries.py holds them to it).
"""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from . import permissions, session_facts
from .forms import CatalogueFilterForm
from .models import CourseIndexPage, CourseMaterial, CoursePage
from .translation import reader_language, show_translations, source_language


def in_source_language_pages(materials: QuerySet[CourseMaterial]) -> QuerySet[CourseMaterial]:
    """Materials of source-language pages only: a translation's copied materials never count."""
    return materials.filter(page__locale__language_code=source_language())


CATALOGUE_PAGE_SIZE = 24


def _with_facts_prefetched(queryset: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    return queryset.prefetch_related("topics", "languages", "audiences")


def in_readers_language_first(materials: list[CourseMaterial]) -> list[CourseMaterial]:
    """Materials in the reader's language first, each group in the editor's order."""
    language = reader_language()
    return sorted(materials, key=lambda m: (not m.is_in(language), m.sort_order or 0))


def catalogue(index_page: CourseIndexPage, params: QueryDict | None) -> dict[str, Any]:
    """The catalogue's context: filter form, promoted results, one page of courses with facts."""
    form = CatalogueFilterForm(params or None, delivery_formats=session_facts.delivery_formats())
    form.is_valid()  # invalid fields drop out of cleaned_data and show their error
    wanted = form.cleaned_data if form.is_bound else {}

    courses = CoursePage.objects.child_of(index_page).live().public()
    if wanted.get("topic"):
        courses = courses.filter(topics__slug=wanted["topic"])
    if wanted.get("level"):
        courses = courses.filter(level=wanted["level"])
    if wanted.get("language"):
        courses = courses.filter(languages__code=wanted["language"])
    if wanted.get("audience"):
        courses = courses.filter(audiences__code=wanted["audience"])

    query = (wanted.get("q") or "").strip()
    promotions = []
    if query:
        # Rank by Wagtail search over every published course, then keep the filtered ones.
        allowed = set(courses.values_list("pk", flat=True))
        # A course code ("VAI-201") finds its course on every backend: PostgreSQL's
        # full-text parser splits codes into tokens that rank poorly or not at all.
        ranked = list(
            courses.filter(code__icontains=query).order_by("code").values_list("pk", flat=True)
        )
        ranked += [
            page.pk
            for page in CoursePage.objects.child_of(index_page).live().public().search(query)
            if page.pk in allowed and page.pk not in ranked
        ]
        by_pk = {c.pk: c for c in _with_facts_prefetched(CoursePage.objects.filter(pk__in=ranked))}
        course_list = [by_pk[pk] for pk in ranked if pk in by_pk]
        promotions = list(
            SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
            .select_related("page")
            .order_by("sort_order")
        )
    else:
        course_list = list(_with_facts_prefetched(courses.order_by("code")))

    facts = session_facts.course_facts([c.pk for c in course_list])
    if wanted.get("delivery"):
        course_list = [c for c in course_list if wanted["delivery"] in facts[c.pk].delivery_values]
    for course in course_list:
        course.session_facts = facts[course.pk]
    show_translations(course_list)

    paginator = Paginator(course_list, CATALOGUE_PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page") if params else None)
    filtered = {k: v for k, v in wanted.items() if v}
    query_string = params.copy() if params else None
    if query_string is not None:
        query_string.pop("page", None)
    return {
        "filter_form": form,
        "courses": page_obj.object_list,
        "page_obj": page_obj,
        "result_count": paginator.count,
        "search_query": query,
        "promotions": [p for p in promotions if p.page is None or p.page.live],
        "is_filtered": bool(filtered),
        "filter_query": query_string.urlencode() if query_string is not None else "",
    }


def course_page(page: CoursePage, request: HttpRequest) -> dict[str, Any]:
    """A course page's context: its facts, upcoming sessions and each material's access."""
    materials = in_readers_language_first(
        list(page.materials.select_related("document", "language").order_by("sort_order"))
    )
    participation = session_facts.participation(request.user, [page.pk])[page.pk]
    here = request.get_full_path()
    rows = []
    for material in materials:
        material.page = page
        rows.append(
            (
                material,
                permissions.material_access(
                    request.user, material, participation=participation, login_next=here
                ),
            )
        )
    return {
        "materials": rows,
        "session_facts": session_facts.course_facts([page.pk])[page.pk],
        "participation": participation,
        # Plain iteration: in a preview the relations are in-memory lists, not querysets.
        "prerequisites": sorted(
            (course for course in page.prerequisites.all() if course.live),
            key=lambda course: course.code,
        ),
    }


def materials_open_to(user: Any) -> list[tuple[CoursePage, list[CourseMaterial]]]:
    """Non-public materials `user` may download, grouped by course: [(course, [material])]."""
    if not getattr(user, "is_authenticated", False):
        return []
    materials = list(
        in_source_language_pages(
            CourseMaterial.objects.exclude(access=CourseMaterial.Access.PUBLIC).filter(
                page__live=True
            )
        )
        .select_related("page", "document", "language")
        .order_by("page__code", "sort_order")
    )
    course_ids = {m.page_id for m in materials}
    participation = session_facts.participation(user, course_ids)
    grouped: dict[int, tuple[CoursePage, list[CourseMaterial]]] = {}
    for material in materials:
        access = permissions.material_access(
            user, material, participation=participation[material.page_id]
        )
        if access.allowed:
            grouped.setdefault(material.page_id, (material.page, []))[1].append(material)
    return [(page, in_readers_language_first(group)) for page, group in grouped.values()]
