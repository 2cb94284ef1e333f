"""A person's own time zone (their profile's), checked against the zones this machine knows."""

import zoneinfo
from functools import lru_cache


@lru_cache(maxsize=1)
def _known_zones():
    return frozenset(zoneinfo.available_timezones())


def zone_for(user) -> str:
    """The person's chosen zone, or "" when they chose none (or it is not a known zone)."""
    zone = getattr(user, "time_zone", "") or ""
    return zone if zone in _known_zones() else ""
