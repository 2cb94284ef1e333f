"""The demo's message: the demo officer reads the trainer's note on My training and on the
workshop's page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communications.models import SessionMessage
from demo import data
from demo.communications import SUBJECT

pytestmark = pytest.mark.django_db


def test_the_demo_officer_reads_the_demo_trainers_message(demo_programme, client):
    message = SessionMessage.objects.get(subject=SUBJECT)
    officer = get_user_model().objects.get(email=data.LOGINS[0][1])
    assert message.sender.email == data.LOGINS[1][1]
    assert message.recipients.filter(officer=officer).exists()
    client.force_login(officer)
    assert SUBJECT in client.get("/en/my-training/").content.decode()
    page = client.get(reverse("training_sessions:detail", args=[message.session.reference]))
    assert SUBJECT in page.content.decode()
