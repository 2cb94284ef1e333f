"""Reads shared by views and the admin."""

from django.shortcuts import get_object_or_404

from .models import OfficerProfile


def own_profile(user):
    """The signed-in person's own officer profile; 404 for anyone without one."""
    return get_object_or_404(
        OfficerProfile.objects.select_related("user", "agency__jurisdiction", "agency__parent"),
        user=user,
    )


def pending_profiles():
    return (
        OfficerProfile.objects.filter(verification=OfficerProfile.Verification.PENDING)
        .select_related("user", "agency__jurisdiction")
        .prefetch_related("agency_requests")
        .order_by("created_at", "pk")
    )
