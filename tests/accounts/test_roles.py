import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from accounts import roles
from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_four_roles_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.OFFICER, roles.TRAINER, roles.PROGRAMME_LEAD, roles.EDITOR} <= names


def test_officers_cannot_open_the_admin():
    assert "wagtailadmin.access_admin" not in codenames(roles.OFFICER)


def test_staff_roles_open_the_admin():
    for role in (roles.TRAINER, roles.PROGRAMME_LEAD, roles.EDITOR):
        assert "wagtailadmin.access_admin" in codenames(role)


def test_trainers_cannot_delete_sessions_but_leads_can():
    assert "training_sessions.delete_trainingsession" not in codenames(roles.TRAINER)
    assert "training_sessions.delete_trainingsession" in codenames(roles.PROGRAMME_LEAD)
    assert "attendees.change_agency" in codenames(roles.PROGRAMME_LEAD)
    assert "attendees.change_agency" not in codenames(roles.TRAINER)


def test_editors_may_publish_in_the_catalogue_only():
    catalogue = CourseIndexPage.objects.get()
    granted = set(
        GroupPagePermission.objects.filter(group__name=roles.EDITOR).values_list(
            "page_id", "permission__codename"
        )
    )
    assert granted == {
        (catalogue.pk, "add_page"),
        (catalogue.pk, "change_page"),
        (catalogue.pk, "publish_page"),
    }


def test_every_listed_permission_exists():
    """A typo in ROLE_PERMISSIONS would silently grant nothing: catch it here."""
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        have = codenames(role)
        for app_label, codename in wanted:
            assert f"{app_label}.{codename}" in have, (role, codename)


# --- The role and verification predicates (the one home for every app) -------------------


def test_a_programme_lead_is_one_and_an_inactive_one_is_not():
    from tests import factories

    lead = factories.lead()
    assert roles.is_programme_lead(lead)
    lead.is_active = False
    lead.save()
    assert not roles.is_programme_lead(type(lead).objects.get(pk=lead.pk))


def test_other_roles_and_anonymous_are_not_programme_leads():
    from django.contrib.auth.models import AnonymousUser

    from tests import factories

    assert not roles.is_programme_lead(AnonymousUser())
    assert not roles.is_programme_lead(factories.trainer())
    assert not roles.is_programme_lead(factories.officer())


def test_sessions_and_certificates_ask_the_same_predicate():
    from certificates import permissions as certificate_permissions
    from sessions import permissions as session_permissions

    assert session_permissions.is_programme_lead is roles.is_programme_lead
    assert certificate_permissions.is_programme_lead is roles.is_programme_lead
    assert certificate_permissions.is_trainer_of is roles.trains_session


def test_trains_session_only_for_its_active_trainers():
    from tests import factories

    session = factories.session()
    trainer, other = factories.trainer(), factories.trainer()
    session.trainers.add(trainer)
    assert roles.trains_session(trainer, session)
    assert not roles.trains_session(other, session)
    trainer.is_active = False
    assert not roles.trains_session(trainer, session)


def test_a_verified_officer_without_an_agency_is_verified_but_has_no_agency_to_request_for():
    from tests import factories

    officer = factories.officer()
    assert roles.is_verified_officer(officer)
    assert roles.verified_agency_id(officer) == officer.officer_profile.agency_id
    officer.officer_profile.agency = None
    officer.officer_profile.save()
    assert roles.is_verified_officer(officer)
    assert roles.verified_agency_id(officer) is None


def test_pending_officers_and_staff_are_not_verified_officers():
    from tests import factories

    assert not roles.is_verified_officer(factories.officer(verified=False))
    assert not roles.is_verified_officer(factories.trainer())
    assert roles.verified_agency_id(factories.officer(verified=False)) is None
