"""A message for the demo (issue 19): the demo trainer thanked those present at the workshop
that ended yesterday (demo/evaluation.py) and pointed them to the slides; the demo officer
(officer@hkpf.example) reads it on the session page and on My training, and the trainer sees it
under "Write to participants" → "Messages already sent"."""

from django.contrib.auth import get_user_model

from communications import services
from communications.selectors import AudienceChoice
from sessions.models import TrainingSession

from . import data

SUBJECT = "Slides and the exercise wallet addresses"
BODY = (
    "Thank you all for yesterday.\n\n"
    "The slides and the list of wallet addresses from the tracing exercise are on the course "
    "page under Materials. Please fill in the feedback form while the day is fresh.\n\n"
    "Tessa"
)


def build_communications(demo):
    User = get_user_model()
    trainer = User.objects.filter(email=data.LOGINS[1][1]).first()
    session = TrainingSession.objects.filter(reference__endswith="-HK-FB1").first()
    if trainer is None or session is None:
        return
    day = session.days.order_by("date").first()
    services.send_message(
        session=session,
        acting_user=trainer,
        subject=SUBJECT,
        body=BODY,
        choice=AudienceChoice(kind="present", day_id=day.pk),
        audience_detail=day.date.isoformat(),
        now=demo.now,
    )
