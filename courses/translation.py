"""Course content in the reader's language.

Editors translate a page with Wagtail's own copy-for-translation
(wagtail.contrib.simple_translation: "Translate" on the page, then edit the copy in its
locale). The English page stays the one that is routed, scheduled and counted: sessions,
materials, registrations, certificates and the catalogue's filters all point at it. When
someone reads a page in another language, the live translation's text (title, summary, body,
introduction) is shown in its place; when there is none, the English text is shown with a note
in the reader's language and marked `lang="en"`.

So translated pages never appear twice in a list, a course code stays one course, and a course
not yet translated is still reachable at /th/courses/<slug>/.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page


def source_language() -> str:
    """The language editors write in and every page is first published in."""
    return settings.LANGUAGE_CODE


def reader_language() -> str:
    """The offered language of the current request (or task), e.g. "th" or "zh-hant"."""
    try:
        return get_supported_language_variant(translation.get_language() or source_language())
    except LookupError:
        return source_language()


def language_name(code: str) -> str:
    """An offered language's name in its own script ("ภาษาไทย"), as the switcher names it."""
    return dict(settings.LANGUAGES).get(code, code)


_source_locale: dict[str, int] = {}


def source_locale_id() -> int | None:
    """The source language's Locale pk, remembered per process (a Locale row is never
    renumbered; saving or deleting one forgets it, see courses/apps.py)."""
    code = source_language()
    if code not in _source_locale:
        pk = Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()
        if pk is None:
            return None
        _source_locale[code] = pk
    return _source_locale[code]


def forget_source_locale(**_kwargs) -> None:
    _source_locale.clear()


def in_source_language(queryset):
    """Only the pages in the source language: the ones sessions and materials belong to."""
    return queryset.filter(locale__language_code=source_language())


class ReadersLanguagePage:
    """Mixin for page models: served through the English tree, shown in the reader's language.

    `translated_fields` are the fields a translation replaces; everything else (facts, materials,
    sessions, certificate settings) is the English page's.
    """

    translated_fields: tuple[str, ...] = ("title", "seo_title", "search_description")

    def source_page(self):
        """This page in the source language (itself when it is the source)."""
        if self.locale_id == source_locale_id():  # type: ignore[attr-defined]
            return self
        source = (
            Page.objects.filter(
                translation_key=self.translation_key,  # type: ignore[attr-defined]
                locale__language_code=source_language(),
            )
            .specific()
            .first()
        )
        return source or self

    def route(self, request, path_components):
        # Wagtail starts routing at the site root's translation in the active language; route
        # through the English tree instead, so untranslated courses are found in every language.
        source = self.source_page()
        if source is not self:
            return source.route(request, path_components)
        return super().route(request, path_components)  # type: ignore[misc]

    def get_url_parts(self, request=None):
        # A page's address is its English page's, in the reader's language (/th/courses/x/),
        # rather than Wagtail's address in the page's own locale.
        source = self.source_page()
        if source is not self:
            return source.get_url_parts(request)
        parts = super().get_url_parts(request)  # type: ignore[misc]
        if parts is None or parts[2] is None:
            return parts
        roots = [
            root
            for root in self._get_relevant_site_root_paths(request)  # type: ignore[attr-defined]
            if root.language_code == source_language()
        ]
        if not roots:
            return parts
        site_id, root_path, root_url, _language = roots[0]
        path = reverse("wagtail_serve", args=(self.url_path[len(root_path) :],))  # type: ignore[attr-defined]
        return site_id, root_url, path

    def show_in_readers_language(self) -> dict[str, Any]:
        """Put the live translation's text in place of this page's for this request.

        Returns the template context: `content_language` (the language the text is in, for
        `lang=`) and `untranslated_in` (the reader's language name when no translation exists).
        """
        show_translations([self])
        language = self.content_language  # type: ignore[attr-defined]
        reader = reader_language()
        return {
            "content_language": language,
            "untranslated_in": language_name(reader) if language != reader else "",
        }


def show_translations(pages: Iterable[Any]) -> None:
    """Give each (source) page its live translation's text in the reader's language, in one
    query; set `content_language` on each to the language its text is now in."""
    pages = list(pages)
    reader = reader_language()
    for page in pages:
        page.content_language = source_language()
    if reader == source_language() or not pages:
        return
    model = type(pages[0])
    fields = model.translated_fields
    translations = {
        t.translation_key: t
        # An alias (Wagtail's synced copy of the English page) is not a translation.
        for t in model.objects.live()
        .filter(
            translation_key__in=[p.translation_key for p in pages],
            locale__language_code=reader,
            alias_of__isnull=True,
        )
        .only("translation_key", *fields)
    }
    for page in pages:
        found = translations.get(page.translation_key)
        if found is None:
            continue
        for field in fields:
            value = getattr(found, field)
            if value:
                setattr(page, field, value)
        page.content_language = reader
