"""Template filters for dates in the reader's language (muster/dates.py): loaded everywhere as
builtins (settings TEMPLATES), so every template writes {{ day.date|ldate:"full" }}."""

from django import template

from muster import dates

register = template.Library()


@register.filter
def ldate(value, fmt="medium"):
    """{{ value|ldate }}, {{ value|ldate:"full" }}, or a CLDR skeleton:
    {{ value|ldate:"MMMEd" }}."""
    return dates.format_date(value, fmt)


@register.filter
def ltime(value, fmt="short"):
    return dates.format_time(value, fmt)


@register.filter
def ldatetime(value, fmt="medium"):
    return dates.format_datetime(value, fmt)


@register.simple_tag
def ldaterange(start, end):
    return dates.format_date_range(start, end)


@register.filter
def lname(code):
    """{{ session.language|lname }}: a language code named in the reader's language (CLDR)."""
    return dates.language_name(code)
