"""What a course says about its certificates, read in one place.

The course page (courses app) carries `certificate_attendance_percent` and
`certificate_template`; until those fields land on this branch the getattr defaults stand in.
The lead replaces the getattr calls with the fields at merge.
"""

DEFAULT_ATTENDANCE_PERCENT = 80
DEFAULT_TEMPLATE_KEY = "completion"
# The template key a course uses to say it gives no certificate.
NO_CERTIFICATE = "none"


def required_attendance_percent(course):
    """The share of a session's days (0..100) an officer must attend for a certificate."""
    return int(getattr(course, "certificate_attendance_percent", DEFAULT_ATTENDANCE_PERCENT))


def template_key(course):
    """The key of the CertificateTemplate the course prints with, or NO_CERTIFICATE."""
    return getattr(course, "certificate_template", "") or DEFAULT_TEMPLATE_KEY
