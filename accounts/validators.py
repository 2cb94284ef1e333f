"""Validators for text people type about themselves (names, ranks, agency names)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's explicit direction controls: embeddings, overrides, isolates and marks. In a name
# they make "Chan" display as "nahC", or hide text in a roster, a certificate or an e-mail
# subject. Zero-width joiners stay allowed: several scripts need them to spell names.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def validate_plain_name(value):
    """Refuse control characters (tab, newline, NUL, escape...) and direction controls."""
    for char in value:
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            raise ValidationError(
                _(
                    "Use letters, digits, spaces and punctuation only: “%(char)s” is a control "
                    "or text-direction character, which is not allowed here."
                ),
                code="control_character",
                params={"char": f"U+{ord(char):04X}"},
            )
