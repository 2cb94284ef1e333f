"""Merging a duplicate agency moves every reference, in apps attendees does not import."""

import pytest
from django.core.exceptions import ValidationError

from attendees import services
from attendees.models import Agency, AgencyDomain, Jurisdiction, OfficerProfile
from audit.models import AuditEntry
from sessions.models import Headcount, TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    target = factories.agency(name="Hong Kong Police Force", domain="hkpf.example")
    source = factories.agency(name="HK Police", domain="police.hk.example")
    return source, target


def test_every_reference_moves_and_the_duplicate_is_deleted(pair):
    source, target = pair
    lead = factories.user(role="Programme lead")
    officers = [factories.officer(agency_obj=source) for _ in range(3)]
    factories.officer(agency_obj=target)
    unit = factories.agency(name="Cyber Unit")
    unit.parent = source
    unit.save()
    hosted = factories.session(host_agency=source)
    symposium = factories.session()
    Headcount.objects.create(session=symposium, agency=source, count=12)
    request = factories.agency_request()
    request.agency = source
    request.save()

    preview = dict(services.merge_preview(source=source))
    assert preview["officer profiles (agency)"] == 3
    assert preview["agencies (parent agency)"] == 1
    assert preview["training sessions (host agency)"] == 1
    assert preview["headcounts (agency)"] == 1
    assert preview["e-mail domains (agency)"] == 1

    result = services.merge_agencies(source=source, target=target, acting_user=lead)

    assert not Agency.objects.filter(pk=source.pk).exists()
    assert OfficerProfile.objects.filter(agency=target).count() == 4
    moved = OfficerProfile.objects.filter(user__in=officers).values_list("agency", flat=True)
    assert set(moved) == {target.pk}
    assert Agency.objects.get(pk=unit.pk).parent == target
    assert TrainingSession.objects.get(pk=hosted.pk).host_agency == target
    assert Headcount.objects.get(session=symposium).agency == target
    assert set(AgencyDomain.objects.filter(agency=target).values_list("domain", flat=True)) == {
        "hkpf.example",
        "police.hk.example",
    }
    request.refresh_from_db()
    assert request.agency == target
    assert result["combined"] == 0
    assert sum(count for _label, count in result["moved"]) == 3 + 1 + 1 + 1 + 1 + 1
    assert AuditEntry.objects.filter(action="agency.merged", actor=lead).exists()


def test_headcounts_for_the_same_session_are_added_up(pair):
    source, target = pair
    session = factories.session()
    other = factories.session()
    Headcount.objects.create(session=session, agency=source, count=7)
    Headcount.objects.create(session=session, agency=target, count=30)
    Headcount.objects.create(session=other, agency=source, count=4)
    jurisdiction_count = Headcount.objects.create(
        session=session, jurisdiction=Jurisdiction.objects.get(code="MO"), count=5
    )
    result = services.merge_agencies(source=source, target=target, acting_user=None)
    assert result["combined"] == 1
    assert Headcount.objects.get(session=session, agency=target).count == 37
    assert Headcount.objects.get(session=other, agency=target).count == 4
    assert Headcount.objects.get(pk=jurisdiction_count.pk).count == 5
    # The programme's total is unchanged by the merge.
    assert sum(Headcount.objects.values_list("count", flat=True)) == 37 + 4 + 5


def test_a_collision_without_a_rule_refuses_and_writes_nothing(pair, settings):
    source, target = pair
    settings.MUSTER_AGENCY_MERGE_ADDITIVE_FIELDS = {}
    session = factories.session()
    Headcount.objects.create(session=session, agency=source, count=7)
    Headcount.objects.create(session=session, agency=target, count=30)
    officer = factories.officer(agency_obj=source)
    with pytest.raises(ValidationError, match="headcount"):
        services.merge_agencies(source=source, target=target, acting_user=None)
    assert Agency.objects.filter(pk=source.pk).exists()
    assert OfficerProfile.objects.get(user=officer).agency == source
    assert Headcount.objects.get(session=session, agency=source).count == 7
    assert AgencyDomain.objects.get(domain="police.hk.example").agency == source


def test_merging_into_its_own_unit_or_itself_is_refused(pair):
    source, target = pair
    target.parent = source
    target.save()
    with pytest.raises(ValidationError, match="unit"):
        services.merge_agencies(source=source, target=target, acting_user=None)
    with pytest.raises(ValidationError):
        services.merge_agencies(source=source, target=source, acting_user=None)
    assert Agency.objects.filter(pk=source.pk).exists()


def test_the_walk_finds_relations_of_apps_attendees_does_not_import():
    found = {(model._meta.label_lower, name) for model, name in services.agency_references()}
    assert {
        ("training_sessions.trainingsession", "host_agency"),
        ("training_sessions.headcount", "agency"),
        ("attendees.officerprofile", "agency"),
        ("attendees.agencydomain", "agency"),
        ("attendees.agency", "parent"),
    } <= found
