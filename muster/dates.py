"""Dates and times written the way each language writes them, from CLDR (Babel).

Django's own formats are used nowhere for dates shown to people: its Thai formats print the
Gregorian year, and hand-built patterns ("j M Y", "l j F Y") put English word order into every
language ("월요일 29 3월 2027"). Babel's CLDR patterns fix both.

Thai readers get the Buddhist Era year (2566 for 2023), as Thai government and police documents
write it: CLDR's Thai Buddhist calendar uses the Gregorian months and days with the year
+ 543 and the era พ.ศ.; Babel formats the Gregorian calendar only, so the pattern's year and
era fields are replaced by those literals (see _buddhist_pattern). Everything else (month and
weekday names, order, punctuation) is CLDR's.
"""

import datetime
import functools
import re
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval, format_skeleton
from babel.dates import format_time as babel_format_time
from django.conf import settings
from django.utils import timezone, translation

BUDDHIST_ERA_OFFSET = 543
BUDDHIST_ERA = "พ.ศ."
# Languages whose readers count years in the Buddhist Era.
BUDDHIST_LANGUAGES = {"th"}
# The programme writes British English ("29 March 2023", "programme"), as it always has.
BABEL_LOCALES = {"en": "en_GB"}


def _language(language=None):
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _locale(language):
    return Locale.parse(BABEL_LOCALES.get(language) or translation.to_locale(language))


def _as_local(value):
    """Aware datetimes in the current time zone ({% timezone %} included); dates unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


# A CLDR pattern alternates plain fields and 'quoted literals'.
_PATTERN_PARTS = re.compile(r"('(?:[^']|'')*')")


def _buddhist_pattern(pattern, year):
    """The pattern with its year fields (y, yy, yyyy) set to the Buddhist Era year and its era
    field (G...) to พ.ศ.; quoted literals are left alone."""
    parts = _PATTERN_PARTS.split(pattern)
    for i in range(0, len(parts), 2):
        part = re.sub(r"y+", f"'{year + BUDDHIST_ERA_OFFSET}'", parts[i])
        parts[i] = re.sub(r"G+", f"'{BUDDHIST_ERA}'", part)
    return "".join(parts)


def _pattern(locale, fmt, value):
    """The CLDR pattern for a width (short, medium, long, full) or a skeleton (e.g. MMMEd)."""
    if fmt in ("short", "medium", "long", "full"):
        return str(locale.date_formats[fmt].pattern)
    return str(locale.datetime_skeletons.get(fmt) or locale.date_formats["medium"].pattern)


def format_date(value, fmt="medium", language=None):
    """A date (or the date of a datetime, in the current zone) in a CLDR width or skeleton."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    language = _language(language)
    locale = _locale(language)
    date = value.date() if isinstance(value, datetime.datetime) else value
    if language in BUDDHIST_LANGUAGES:
        pattern = _buddhist_pattern(_pattern(locale, fmt, date), date.year)
        return babel_format_date(date, pattern, locale=locale)
    if fmt in ("short", "medium", "long", "full"):
        return babel_format_date(date, fmt, locale=locale)
    return format_skeleton(fmt, date, locale=locale)


def format_time(value, fmt="short", language=None):
    """A time (or the time of a datetime, in the current zone): 14:05, 오후 2:05, 下午2:05."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    time = value.time() if isinstance(value, datetime.datetime) else value
    return babel_format_time(time, fmt, locale=_locale(_language(language)))


def format_datetime(value, fmt="medium", language=None):
    """Date and time, joined as the language joins them."""
    if value in (None, ""):
        return ""
    language = _language(language)
    locale = _locale(language)
    join = str(locale.datetime_formats.get(fmt, "{1} {0}"))
    return join.replace("{1}", format_date(value, fmt, language)).replace(
        "{0}", format_time(value, "short", language)
    )


def format_date_range(start, end, language=None):
    """A span of days: "29 Nov \N{EN DASH} 1 Dec 2023", "2023년 11월 29일 ~ 12월 1일", or one
    date if they are equal."""
    if not start:
        return ""
    if not end or end == start:
        return format_date(start, "medium", language)
    language = _language(language)
    if language in BUDDHIST_LANGUAGES:
        first, last = format_date(start, "medium", language), format_date(end, "medium", language)
        return f"{first} \N{EN DASH} {last}"
    return format_interval(start, end, "yMMMd", locale=_locale(language))


@functools.cache
def time_zone_names():
    """The IANA zone names this server knows, read once per process: available_timezones()
    walks the zone database on disk on every call."""
    return frozenset(zoneinfo.available_timezones())


def language_name(code, language=None):
    """A language's name in the reader's language, from CLDR: "th" is "Thai" to an English
    reader, "ไทย" to a Thai one, "泰文" to a Traditional Chinese one. An unknown code is
    returned as it is rather than guessed."""
    if not code:
        return ""
    try:
        named = Locale.parse(str(code).replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return str(code)
    return named.get_display_name(_locale(_language(language))) or str(code)
