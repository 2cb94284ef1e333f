"""The coordinator role: granted and removed by leads (audited), lost on leaving the agency,
covering the agency and its units."""

import pytest

from attendees.models import OfficerProfile
from audit.models import AuditEntry
from coordinators import selectors, services
from coordinators.models import AgencyCoordinator
from tests import factories

from .helpers import coordinator, unit_of

pytestmark = pytest.mark.django_db


def test_a_lead_grants_the_role_and_it_is_audited():
    agency = factories.agency()
    officer = factories.officer(agency_obj=agency)
    lead = factories.lead()
    row = services.grant_coordinator(user=officer, agency=agency, acting_user=lead)
    assert row.granted_by == lead
    entry = AuditEntry.objects.get(action=AuditEntry.Action.COORDINATOR_GRANTED)
    assert entry.actor == lead and entry.subject == officer
    assert selectors.is_coordinator(officer)


def test_only_leads_grant():
    agency = factories.agency()
    officer = factories.officer(agency_obj=agency)
    for someone in (factories.trainer(), factories.officer(agency_obj=agency), officer):
        with pytest.raises(services.CoordinatorRefused) as info:
            services.grant_coordinator(user=officer, agency=agency, acting_user=someone)
        assert info.value.code == "not_allowed"
    assert not AgencyCoordinator.objects.exists()


def test_refused_for_an_unverified_officer_or_another_agencys():
    agency = factories.agency()
    lead = factories.lead()
    with pytest.raises(services.CoordinatorRefused) as info:
        services.grant_coordinator(
            user=factories.officer(agency_obj=agency, verified=False),
            agency=agency,
            acting_user=lead,
        )
    assert info.value.code == "not_verified"
    with pytest.raises(services.CoordinatorRefused) as info:
        services.grant_coordinator(user=factories.officer(), agency=agency, acting_user=lead)
    assert info.value.code == "other_agency"
    assert not AgencyCoordinator.objects.exists()


def test_an_officer_of_a_unit_may_coordinate_the_parent_agency_and_covers_every_unit():
    agency = factories.agency()
    unit = unit_of(agency)
    other_unit = unit_of(agency)
    person = coordinator_of_parent = factories.officer(agency_obj=unit)
    services.grant_coordinator(user=person, agency=agency, acting_user=factories.lead())
    assert selectors.scope_agency_ids(coordinator_of_parent) == {agency.pk, unit.pk, other_unit.pk}


def test_a_unit_coordinator_does_not_cover_the_parent():
    agency = factories.agency()
    unit = unit_of(agency)
    person = coordinator(unit)
    assert selectors.scope_agency_ids(person) == {unit.pk}


def test_a_lead_removes_the_role_audited():
    agency = factories.agency()
    person = coordinator(agency)
    row = AgencyCoordinator.objects.get(user=person)
    with pytest.raises(services.CoordinatorRefused):
        services.remove_coordinator(coordinator=row, acting_user=person)
    services.remove_coordinator(coordinator=row, acting_user=factories.lead())
    assert not AgencyCoordinator.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.COORDINATOR_REMOVED).count() == 1


def test_leaving_the_agency_loses_the_role():
    agency = factories.agency()
    person = coordinator(agency)
    profile = OfficerProfile.objects.get(user=person)
    profile.agency = factories.agency()
    profile.save()
    assert not AgencyCoordinator.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.COORDINATOR_REMOVED)
    assert entry.actor is None and entry.subject == person
    assert not selectors.is_coordinator(person)


def test_moving_to_a_unit_of_the_agency_keeps_the_role():
    agency = factories.agency()
    person = coordinator(agency)
    profile = OfficerProfile.objects.get(user=person)
    profile.agency = unit_of(agency)
    profile.save()
    assert AgencyCoordinator.objects.filter(user=person).exists()


def test_the_scope_needs_the_officers_own_agency_even_before_the_row_goes():
    agency = factories.agency()
    person = coordinator(agency)
    # A bulk update bypasses the signal: the scope still refuses.
    OfficerProfile.objects.filter(user=person).update(agency=factories.agency())
    person.refresh_from_db()
    assert selectors.scope_agency_ids(person) == frozenset()
