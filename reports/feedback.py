"""Feedback and knowledge-check figures in the yearly report (issue 17): the "feedback" object of
`session_report` and the feedback tables of the Reports page and its exports.

The counting is evaluation's (evaluation/selectors.py); this module picks the year's sessions
with the report's filters and lays the figures out beside the previous year's. Every group of
fewer than 5 answers is shown as "fewer than 5", never as its number, in the page and every
export alike (the tables carry the text, not the count).
"""

from django.utils.translation import gettext_lazy as _

from evaluation import selectors as evaluation
from sessions.models import TrainingSession

FEWER_THAN = _("fewer than %(n)d")

ANSWER_FIGURES = ("satisfaction_avg", "satisfied", "recommend_nps")


def _sessions(year, filters):
    from .figures import session_q

    return TrainingSession.objects.filter(session_q(year, filters=filters))


def year_feedback(year, *, filters):
    """The year's feedback figures; below 5 responses the figures read from answers are null,
    and below 5 officers who sat both tests the knowledge gain is null."""
    sessions = _sessions(year, filters)
    both, figures = evaluation.feedback_figures_and_pairs(sessions)
    if evaluation.suppress(figures["responses"]):
        for key in ANSWER_FIGURES:
            figures[key] = None
    if evaluation.suppress(both):
        figures["knowledge_gain_points"] = None
    return figures


BREAKDOWN_TITLES = {
    "course": (_("Feedback by course"), _("Course")),
    "trainer": (_("Feedback by trainer"), _("Trainer")),
    "agency_type": (_("Feedback by agency type"), _("Agency type")),
    "jurisdiction": (_("Feedback by jurisdiction"), _("Country")),
}
TABLE_KEYS = [f"feedback_by_{key}" for key in BREAKDOWN_TITLES]


def _labels(key, values):
    from django.contrib.auth import get_user_model

    from attendees.models import Agency

    if key == "trainer":
        users = get_user_model().objects.filter(pk__in=values)
        return {u.pk: u.get_full_name() or u.email for u in users}
    if key == "agency_type":
        return {k: str(v) for k, v in Agency.Type.choices}
    return {}


def _cell(n, value):
    return str(FEWER_THAN % {"n": evaluation.MIN_GROUP}) if n is None else value


def breakdown_table(key, year, *, filters):
    from .figures import Table

    title, label = BREAKDOWN_TITLES[key]
    this = {
        k: (n, avg) for k, n, avg in evaluation.feedback_breakdown(key, _sessions(year, filters))
    }
    last = {
        k: (n, avg)
        for k, n, avg in evaluation.feedback_breakdown(key, _sessions(year - 1, filters))
    }
    labels = _labels(key, set(this) | set(last))
    table = Table(
        f"feedback_by_{key}",
        title,
        [
            label,
            _("Responses %(year)d") % {"year": year},
            _("Satisfaction %(year)d") % {"year": year},
            _("Responses %(year)d") % {"year": year - 1},
            _("Satisfaction %(year)d") % {"year": year - 1},
        ],
    )
    for group in sorted(set(this) | set(last), key=str):
        n, avg = this.get(group, (0, None))
        n_last, avg_last = last.get(group, (0, None))
        table.rows.append(
            [
                labels.get(group, str(group)),
                _cell(n, n),
                _cell(n, avg if avg is not None else ""),
                _cell(n_last, n_last),
                _cell(n_last, avg_last if avg_last is not None else ""),
            ]
        )
    return table


def tables(year, *, filters):
    return [breakdown_table(key, year, filters=filters) for key in BREAKDOWN_TITLES]
