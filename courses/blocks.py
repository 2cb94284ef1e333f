"""StreamField blocks for course pages. Each renders with its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        template = "blocks/rich_text.html"
        icon = "pilcrow"
        label = _("Text")
        description = _("Paragraphs, lists and links.")


class LearningObjectivesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, default=_("Learning objectives"))
    objectives = blocks.ListBlock(
        blocks.CharBlock(label=_("objective"), max_length=300), label=_("objectives")
    )

    class Meta:
        template = "blocks/learning_objectives.html"
        icon = "tick-inverse"
        label = _("Learning objectives")
        description = _("What participants will be able to do after the course.")


class ModuleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    minutes = blocks.IntegerBlock(label=_("duration in minutes"), min_value=5, max_value=600)
    description = blocks.TextBlock(label=_("description"), required=False)


class ModuleOutlineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, default=_("Course outline"))
    modules = blocks.ListBlock(ModuleBlock(), label=_("modules"))

    class Meta:
        template = "blocks/module_outline.html"
        icon = "list-ol"
        label = _("Module outline")
        description = _("The course's modules in order, each with its duration.")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        template = "blocks/image.html"
        icon = "image"
        label = _("Image")
        description = _("An image with alternative text and an optional caption.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), max_length=200, required=False)

    class Meta:
        template = "blocks/quote.html"
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation from a participant or a trainer.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"),
        max_length=200,
        required=False,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        template = "blocks/document.html"
        icon = "doc-full"
        label = _("Document")
        description = _(
            "A link to a public document. Restricted material belongs in the course's "
            "materials, where access is checked and downloads are logged."
        )


class CourseBodyBlock(blocks.StreamBlock):
    text = RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    objectives = LearningObjectivesBlock()
    outline = ModuleOutlineBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
