"""Side effects of issuing, run after commit through the tasks framework."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import task

from accounts.languages import override_for
from jobs.mail import send_once


@task()
def email_certificate_issued(certificate_id):
    """Tell the officer their certificate is ready, with the links to download and verify it.

    The PDF is not attached: the download stays behind the sign-in and its access check.
    One mail per certificate, even if the task runs again or is queued twice (jobs.mail).
    """
    from .models import Certificate

    certificate = (
        Certificate.objects.select_related("officer", "session").filter(pk=certificate_id).first()
    )
    if certificate is None or certificate.revoked_at:
        return False
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "certificate": certificate,
        "pdf_url": base + certificate.get_pdf_url(),
        "verify_url": certificate.get_verification_url(),
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the officer's language, never that of whoever issued it.
    with override_for(certificate.officer):
        subject = render_to_string("certificates/email/issued_subject.txt", context).strip()
        body = render_to_string("certificates/email/issued_body.txt", context)
    message = EmailMessage(subject, body, None, [certificate.officer.email])
    return send_once(f"certificate-issued:{certificate.pk}", message)
