"""The four roles, as Django groups, and what each may do.

One source of truth: `sync_roles` runs after every `migrate` (post_migrate, see apps.py), so a
permission added here, or a model added later, reaches the groups without a new data migration.
Object-level rules (a trainer only touches the sessions they
train) live in each app's permissions module, not here.
"""

from django.utils.translation import gettext_lazy as _

OFFICER = "Officer"
TRAINER = "Trainer"
PROGRAMME_LEAD = "Programme lead"
EDITOR = "Editor"

ROLE_LABELS = {
    OFFICER: _("Officer"),
    TRAINER: _("Trainer"),
    PROGRAMME_LEAD: _("Programme lead"),
    EDITOR: _("Editor"),
}

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

# (app_label, codename) pairs per role. Model permissions not yet created are skipped, so a role
# can name a permission before the model that carries it exists.
ROLE_PERMISSIONS = {
    OFFICER: [],
    TRAINER: [
        ADMIN_ACCESS,
        ("training_sessions", "view_trainingsession"),
        ("training_sessions", "add_trainingsession"),
        ("training_sessions", "change_trainingsession"),
        ("training_sessions", "view_sessionday"),
        ("training_sessions", "add_sessionday"),
        ("training_sessions", "change_sessionday"),
        ("training_sessions", "delete_sessionday"),
        ("attendees", "view_agency"),
        ("attendees", "view_jurisdiction"),
        # Issue, re-issue and revoke for the sessions they train (certificates/permissions.py).
        ("certificates", "view_certificate"),
        ("certificates", "add_certificate"),
    ],
    PROGRAMME_LEAD: [
        ADMIN_ACCESS,
        ("training_sessions", "view_trainingsession"),
        ("training_sessions", "add_trainingsession"),
        ("training_sessions", "change_trainingsession"),
        ("training_sessions", "delete_trainingsession"),
        ("training_sessions", "view_sessionday"),
        ("training_sessions", "add_sessionday"),
        ("training_sessions", "change_sessionday"),
        ("training_sessions", "delete_sessionday"),
        # Training requests: leads read them, may fix the course, and accept or decline.
        ("training_sessions", "view_trainingrequest"),
        ("training_sessions", "change_trainingrequest"),
        ("attendees", "view_agency"),
        ("attendees", "add_agency"),
        ("attendees", "change_agency"),
        ("attendees", "view_jurisdiction"),
        ("attendees", "add_jurisdiction"),
        ("attendees", "change_jurisdiction"),
        ("attendees", "view_officerprofile"),
        ("attendees", "change_officerprofile"),
        # Merging a duplicate agency deletes it (attendees/permissions.py).
        ("attendees", "delete_agency"),
        ("attendees", "view_agencydomain"),
        ("attendees", "add_agencydomain"),
        ("attendees", "change_agencydomain"),
        ("attendees", "delete_agencydomain"),
        ("attendees", "view_agencyrequest"),
        ("attendees", "change_agencyrequest"),
        ("reports", "view_reports"),
        ("reports", "import_sessions"),
        # Follow anyone's import job (its page and progress), as the person who started it can.
        ("jobs", "view_importjob"),
        ("certificates", "view_certificate"),
        ("certificates", "add_certificate"),
        ("certificates", "change_certificate"),
        ("certificates", "view_certificatetemplate"),
        ("certificates", "add_certificatetemplate"),
        ("certificates", "change_certificatetemplate"),
        ("certificates", "delete_certificatetemplate"),
        ("certificates", "view_eligibilityoverride"),
        ("certificates", "add_eligibilityoverride"),
        ("certificates", "change_eligibilityoverride"),
        ("courses", "view_materialdownload"),
        # The audit log: read-only for everyone (audit/wagtail_hooks.py).
        ("audit", "view_auditentry"),
        # Pending erasure requests: read them and carry them out (privacy/wagtail_hooks.py).
        ("privacy", "view_erasurerequest"),
        ("privacy", "change_erasurerequest"),
    ],
    EDITOR: [
        ADMIN_ACCESS,
        ("courses", "add_topic"),
        ("courses", "change_topic"),
        ("courses", "view_topic"),
        ("courses", "add_language"),
        ("courses", "change_language"),
        ("courses", "view_language"),
        ("courses", "view_materialdownload"),
        # Documents and images are granted per collection (courses/migrations/0002), so that
        # restricted material can sit in a collection editors of other courses do not see.
    ],
}

# Page permissions editors hold on the course catalogue (and everything below it).
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def sync_roles(apps, schema_editor=None):
    """Create the groups and give each exactly the permissions listed above.

    Works with historical models (`apps` from a migration) as well as the live registry.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created app by app after migrate; make sure all exist now.
    for app_config in apps.get_app_configs():
        # Historical app configs (inside a migration) have no models module; create_permissions
        # skips such apps unless told otherwise.
        historical = getattr(app_config, "models_module", None) is None
        if historical:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if historical:
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        perms = []
        for app_label, codename in wanted:
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
