from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import TrainingSession


def session_detail(request, reference):
    try:
        session = selectors.session_for_public(reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    return render(request, "training_sessions/session_detail.html", {"session": session})
