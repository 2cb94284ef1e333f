"""Schedule: sessions, their days, trainer clashes, calendar feeds and training requests."""
