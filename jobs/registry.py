"""What each kind of import job does, registered by the app that owns it (from its
AppConfig.ready()), so this ground-floor app never imports a feature app.

A runner is called as runner(job, progress) inside the import's transaction. It calls
progress(rows_done) as it goes, returns a JSON-able result, and raises ImportFailed (with the
errors to show) to write nothing."""

_RUNNERS = {}


class ImportFailed(Exception):
    """The import wrote nothing; `errors` are the messages for the person who started it."""

    def __init__(self, errors):
        self.errors = [str(error) for error in errors]
        super().__init__("; ".join(self.errors))


def register(kind, runner):
    _RUNNERS[kind] = runner


def runner_for(kind):
    return _RUNNERS[kind]
