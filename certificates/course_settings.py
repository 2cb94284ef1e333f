"""What a course says about its certificates, read in one place."""

from courses.models import NO_CERTIFICATE

__all__ = ["NO_CERTIFICATE", "required_attendance_percent", "template_key"]


def required_attendance_percent(course):
    """The share of a session's days (0..100) an officer must attend for a certificate."""
    return course.certificate_attendance_percent


def template_key(course):
    """The key of the CertificateTemplate the course prints with, or NO_CERTIFICATE."""
    return course.certificate_template or NO_CERTIFICATE
