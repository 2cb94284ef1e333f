"""An officer whose agency changes (or who loses verification) loses the coordinator roles
they no longer qualify for, through the service so that the removal is audited."""


def officer_profile_saved(sender, instance, created, **kwargs):
    if created:
        return
    from .models import AgencyCoordinator
    from .services import drop_roles_outside_agency

    if AgencyCoordinator.objects.filter(user_id=instance.user_id).exists():
        drop_roles_outside_agency(profile=instance)
