"""StreamField blocks for course pages. Each renders with its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        template = "blocks/rich_text.html"
        icon = "pilcrow"
        label = _("Text")
        description = _("Paragraphs, lists and links.")


class CourseBodyBlock(blocks.StreamBlock):
    text = RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
