"""Reads about a session's schedule."""


def training_hours(minutes):
    """Training hours from scheduled minutes (a session's `scheduled_minutes`, or a sum of
    them), to two decimals. The one conversion: the yearly report, its breakdowns and the
    certificates all print hours through here, from minutes measured in UTC (so a day on which
    the clocks change counts its real length)."""
    return round(minutes / 60, 2) if minutes else 0


def session_hours(session):
    """A session's training hours (its days' scheduled length, kept by refresh_schedule())."""
    return training_hours(session.scheduled_minutes)
