"""Builders shared by the coordinators tests."""

import datetime

from coordinators import services
from tests import factories


def future(days):
    return datetime.date.today() + datetime.timedelta(days=days)


def by_nomination(**fields):
    days = fields.pop("days", [(future(20), datetime.time(9), datetime.time(17))])
    return factories.session(days=days, eligibility="nomination", **fields)


def coordinator(agency, *, lead=None, **fields):
    """A verified officer of `agency` made its coordinator by a lead."""
    person = factories.officer(agency_obj=agency, **fields)
    services.grant_coordinator(user=person, agency=agency, acting_user=lead or factories.lead())
    return person


def unit_of(agency):
    unit = factories.agency()
    unit.parent = agency
    unit.save()
    return unit
