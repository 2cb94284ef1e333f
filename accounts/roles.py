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
        # Agency coordinators: granted and removed through coordinators/services.py.
        ("coordinators", "view_agencycoordinator"),
        ("coordinators", "add_agencycoordinator"),
        ("coordinators", "delete_agencycoordinator"),
        ("coordinators", "view_nomination"),
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
        # Translate a page into another locale (wagtail.contrib.simple_translation).
        ("simple_translation", "submit_translation"),
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


# --- Role and verification predicates ------------------------------------------------------
#
# The one home of "who is this person": every app's permissions module, view and service asks
# these functions, so "a programme lead" or "a verified officer" means the same everywhere.
# accounts is the ground floor (it imports no app of ours), so the officer profile is read by
# attribute, not by importing attendees.


def is_active_account(user):
    """Signed in with an account that is switched on."""
    # An inactive account (switched off by a lead, or anonymised) never holds a role, even while
    # an old session cookie still carries it.
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _group_names(user):
    # Asked once per row on list pages: read the groups once per user object (one request).
    cached = getattr(user, "_muster_group_names", None)
    if cached is None:
        cached = frozenset(group.name for group in user.groups.all())
        user._muster_group_names = cached
    return cached


def is_programme_lead(user):
    """A programme lead (or a superuser): sees and decides everything in the programme."""
    if not is_active_account(user):
        return False
    return user.is_superuser or PROGRAMME_LEAD in _group_names(user)


def is_trainer(user):
    """Holds the trainer role (which sessions they train is `trains_session`)."""
    return is_active_account(user) and TRAINER in _group_names(user)


def is_editor(user):
    """Holds the editor role (course pages and their materials)."""
    return is_active_account(user) and EDITOR in _group_names(user)


def trains_session(user, session):
    """`user` is one of `session`'s trainers (prefetched trainers are used when present)."""
    if not is_active_account(user) or getattr(session, "pk", None) is None:
        return False
    if "trainers" in getattr(session, "_prefetched_objects_cache", {}):
        return any(trainer.pk == user.pk for trainer in session.trainers.all())
    return session.trainers.filter(pk=user.pk).exists()


def officer_profile(user):
    """The user's officer profile, or None (anonymous, staff without a profile)."""
    if not is_active_account(user):
        return None
    return getattr(user, "officer_profile", None)


def is_verified_officer(user):
    """An active officer whose profile the programme has verified (by agency domain or by a
    lead). The one definition used by registration, training requests and course materials.
    Having an agency is not part of it: an officer verified by a lead may have none yet.
    Asking for a training for "my agency" additionally needs one (`verified_agency_id`)."""
    profile = officer_profile(user)
    return profile is not None and profile.verification == "verified"


def verified_agency_id(user):
    """The agency id of a verified officer, or None (not verified, or no agency yet)."""
    if not is_verified_officer(user):
        return None
    return user.officer_profile.agency_id


def may_request_training(user):
    """Only verified officers may ask for a training, and only for their own agency: one
    without an agency yet has nothing to ask for. The course catalogue's "Request a training"
    link and the request form both ask here (sessions.permissions.can_request_training)."""
    return verified_agency_id(user) is not None
