"""Reads shared by views and the admin."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import OfficerProfile


def own_profile(user: Any) -> OfficerProfile:
    """The signed-in person's own officer profile; 404 for anyone without one."""
    return get_object_or_404(
        OfficerProfile.objects.select_related("user", "agency__jurisdiction", "agency__parent"),
        user=user,
    )


def pending_profiles() -> QuerySet[OfficerProfile]:
    return (
        OfficerProfile.objects.filter(verification=OfficerProfile.Verification.PENDING)
        .select_related("user", "agency__jurisdiction")
        .prefetch_related("agency_requests")
        .order_by("created_at", "pk")
    )
