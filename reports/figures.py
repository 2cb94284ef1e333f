"""The programme's yearly figures: the counting rules, implemented once.

The admin page, its CSV/XLSX exports and `manage.py session_report` all read their numbers from
here, so they can never disagree. Every figure is an aggregate computed by the database (a
handful of queries per year, none per session), which keeps the yearly report fast on 100,000
sessions (benchmarks/bench_reports.py).

The rules (docs/user-guide.md "Programme reports" says the same for users):

- A session belongs to the year of its first day's *local* date (`start_date`, kept by
  `TrainingSession.refresh_schedule()`), never its UTC date.
- `delivered` counts status delivered, `planned` scheduled, `cancelled` cancelled; drafts never
  count. `in_person`/`remote`/`hybrid` split the delivered ones.
- `by_country` / `by_course`: delivered sessions by the session's ISO country (sessions without
  a country are left out) and by course code.
- `participants`: over delivered sessions, one per officer present or late on at least one day of
  a session (one officer on two sessions is two participants), plus every headcount. Whether a
  registration's officer was present or late on some day is stored on the registration
  (`Registration.participated`, refreshed by the attendance service), so the figures read one
  row per officer and session instead of every attendance row. Only confirmed registrations
  count: "attended" is defined once, in `sessions/attendance/selectors.py`.
  `officers`: distinct officers among them. `agencies`: distinct agencies of those officers and
  of headcounts. `jurisdictions`: distinct *countries* among participants, see `country_of`.
- `training_hours`: over delivered sessions, the sum of each day's scheduled length (stored per
  session as `scheduled_minutes` by `refresh_schedule()`, beside `start_date`).
- `certificates`: certificates issued that year and not revoked, for sessions matching the
  course and country filters (see `certificates_issued`).
- `feedback`: feedback and knowledge-check figures over the delivered sessions (reports/feedback.py
  and evaluation/selectors.py `feedback_figures` hold their rules).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, StrIndex, Substr
from django.utils.translation import gettext_lazy as _

from attendees.models import Agency, Jurisdiction, OfficerProfile
from certificates.models import Certificate
from sessions.attendance.selectors import attended_registrations
from sessions.models import Headcount, TrainingSession
from sessions.schedule.selectors import training_hours

from . import feedback

DELIVERED = TrainingSession.Status.DELIVERED
DELIVERIES = [choice.value for choice in TrainingSession.Delivery]


@dataclass(frozen=True)
class Filters:
    """Narrow every figure to one course and/or one session country (ISO alpha-2)."""

    course_id: int | None = None
    country: str = ""

    def session_q(self, prefix=""):
        q = Q()
        if self.course_id:
            q &= Q(**{f"{prefix}course_id": self.course_id})
        if self.country:
            q &= Q(**{f"{prefix}country": self.country})
        return q


NO_FILTERS = Filters()


def year_bounds(year_from, year_to=None):
    """[1 January of year_from, 1 January after year_to): a range the (status, start_date)
    index serves, where `start_date__year` would hide the column in a function."""
    year_to = year_from if year_to is None else year_to
    return datetime.date(year_from, 1, 1), datetime.date(year_to + 1, 1, 1)


def session_q(year_from, year_to=None, *, filters=NO_FILTERS, prefix="", status=DELIVERED):
    """Sessions of the years (by first local day) and the filters; `prefix` reaches them from
    another model, e.g. "registration__session__"."""
    start, end = year_bounds(year_from, year_to)
    q = Q(**{f"{prefix}start_date__gte": start, f"{prefix}start_date__lt": end})
    if status is not None:
        q &= Q(**{f"{prefix}status": status})
    return q & filters.session_q(prefix)


def country_of(prefix):
    """SQL for `Jurisdiction.country_code` of the jurisdiction at `prefix` (e.g.
    "registration__officer__officer_profile__agency__jurisdiction"; "" on Jurisdiction itself).

    A country is its own code; a subdivision's code is ISO 3166-2, "<country>-<part>", so its
    country is the text before the first "-" (StrIndex/Substr work the same on SQLite and
    PostgreSQL); a supranational body (EU, INTERPOL...) lies in no country: NULL, so it never
    counts as a jurisdiction reached.
    """
    path = f"{prefix}__" if prefix else ""
    code = F(f"{path}code")
    return Case(
        When(**{f"{path}kind": Jurisdiction.Kind.COUNTRY}, then=code),
        When(
            **{f"{path}kind": Jurisdiction.Kind.SUBDIVISION, f"{path}code__contains": "-"},
            then=Substr(code, 1, StrIndex(code, Value("-")) - 1),
        ),
        # A subdivision code without "-" is not ISO 3166-2; like the property, keep it whole
        # (and never ask the database for a substring of negative length).
        When(**{f"{path}kind": Jurisdiction.Kind.SUBDIVISION}, then=code),
        default=Value(None),
        output_field=CharField(),
    )


OFFICER_AGENCY = "officer__officer_profile__agency"


def participations(year_from, year_to=None, *, filters=NO_FILTERS):
    """Registrations whose officer was present or late on at least one day of a delivered
    session: one participant each. The one "attended" selector decides (a confirmed
    registration whose stored `participated` flag is set), so this reads registrations (one row
    per officer and session) and never the attendance rows themselves."""
    return attended_registrations().filter(
        session_q(year_from, year_to, filters=filters, prefix="session__")
    )


COUNTED = [
    TrainingSession.Status.DELIVERED,
    TrainingSession.Status.SCHEDULED,
    TrainingSession.Status.CANCELLED,
]


def session_counts(year, *, filters=NO_FILTERS):
    """The year's sessions by status and delivery, and the delivered ones' training hours: one
    query over the year's sessions (hours from each session's stored `scheduled_minutes`, the
    sum of its days' lengths kept by refresh_schedule(), so no day is read)."""
    # Drafts never count; naming the three statuses lets the (status, start_date) index serve
    # the year's range for each of them.
    counts = TrainingSession.objects.filter(
        session_q(year, filters=filters, status=None), status__in=COUNTED
    ).aggregate(
        delivered=Count("pk", filter=Q(status=DELIVERED)),
        **{
            delivery: Count("pk", filter=Q(status=DELIVERED, delivery=delivery))
            for delivery in DELIVERIES
        },
        planned=Count("pk", filter=Q(status=TrainingSession.Status.SCHEDULED)),
        cancelled=Count("pk", filter=Q(status=TrainingSession.Status.CANCELLED)),
        minutes=Sum("scheduled_minutes", filter=Q(status=DELIVERED)),
    )
    sessions = {key: counts[key] for key in ["delivered", *DELIVERIES, "planned", "cancelled"]}
    return sessions, training_hours(counts["minutes"])


def delivered_by(path, year, *, filters=NO_FILTERS):
    """{value of `path`: delivered sessions}, sorted by value; empty values are left out."""
    rows = (
        TrainingSession.objects.filter(session_q(year, filters=filters))
        .exclude(**{path: ""})
        .exclude(**{f"{path}__isnull": True})
        .values(key=F(path))
        .annotate(n=Count("pk", distinct=True))
        .order_by("key")
    )
    return {row["key"]: row["n"] for row in rows}


def participants_by_agency(year, *, filters=NO_FILTERS):
    """[(agency id or None, participants, officers)], one row per agency of the officers who
    took part in the year's delivered sessions.

    The registrations are first counted per officer (one row per officer, a fraction of the
    participations: 16,000 rows for 172,000 in the benchmark's year), then those rows are
    joined to the officers' profiles and added up per agency: an officer has one agency, so
    the per-agency officer counts add up exactly without a DISTINCT. The Django ORM cannot
    group a grouped query again, so the outer step is SQL around the ORM's own query; it is
    plain SQL that SQLite and PostgreSQL both run. Grouping per officer first is what makes
    this fast (no sort of every participation, no join per participation:
    benchmarks/bench_reports.py).
    """
    per_officer = (
        participations(year, filters=filters)
        .values("officer_id")
        # COUNT(*), not of the id: the registration_participated index holds session and
        # officer, so PostgreSQL reads the participations from the index alone.
        .annotate(n=Count("*"))
        .order_by()
    )
    connection = connections[per_officer.db]
    inner, params = per_officer.query.get_compiler(using=per_officer.db).as_sql()
    qn = connection.ops.quote_name
    profile = OfficerProfile._meta
    agency = qn(profile.get_field("agency").column)
    user = qn(profile.get_field("user").column)
    sql = (
        f"SELECT p.{agency}, SUM(x.n), COUNT(*) FROM ({inner}) x "  # noqa: S608 (no input)
        f"LEFT JOIN {qn(profile.db_table)} p ON p.{user} = x.{qn('officer_id')} "
        f"GROUP BY p.{agency}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], int(row[1]), row[2]) for row in cursor.fetchall()]


def reach(year, *, filters=NO_FILTERS):
    """participants, officers, agencies and jurisdictions (see the module docstring).

    Three small queries: participations per agency (`participants_by_agency`), headcounts
    grouped by what they name, and the countries of the agencies the two name. The distinct
    agencies and countries are unions of those small results (one row per agency or headcount
    kind, never per session).
    """
    participants = officers = 0
    agencies, countries = set(), set()
    for agency, n, officer_count in participants_by_agency(year, filters=filters):
        participants += n
        officers += officer_count
        agencies.add(agency)
    counted = (
        Headcount.objects.filter(session_q(year, filters=filters, prefix="session__"))
        .values("agency_id", jc=country_of("jurisdiction"))
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in counted:
        participants += row["n"] or 0
        agencies.add(row["agency_id"])
        countries.add(row["jc"])
    agencies.discard(None)
    if agencies:
        countries.update(
            Agency.objects.filter(pk__in=agencies)
            .annotate(c=country_of("jurisdiction"))
            .values_list("c", flat=True)
        )
    countries.discard(None)
    return {
        "participants": participants,
        "officers": officers,
        "agencies": len(agencies),
        "jurisdictions": len(countries),
    }


def certificates_issued(year, *, filters=NO_FILTERS):
    """Certificates issued in `year` (UTC) and not revoked, for sessions of the filtered course
    and country. A re-issued certificate counts once: the version that replaced it is counted,
    the superseded one is not."""
    start, end = year_bounds(year)
    zone = datetime.UTC
    return (
        Certificate.objects.filter(
            issued_at__gte=datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
            issued_at__lt=datetime.datetime.combine(end, datetime.time(), tzinfo=zone),
            revoked_at__isnull=True,
            superseded_at__isnull=True,
        )
        .filter(filters.session_q("session__"))
        .count()
    )


def year_report(year, *, filters=NO_FILTERS):
    """Every figure for one year, keys in the order `session_report` prints them."""
    sessions, training_hours = session_counts(year, filters=filters)
    figures = {
        "year": year,
        "sessions": sessions,
        "by_country": delivered_by("country", year, filters=filters),
        "by_course": delivered_by("course__code", year, filters=filters),
    }
    figures.update(reach(year, filters=filters))
    figures["training_hours"] = training_hours
    figures["certificates"] = certificates_issued(year, filters=filters)
    figures["feedback"] = feedback.year_feedback(year, filters=filters)
    return figures


# --- Tables for the admin page and its exports ------------------------------------------------


@dataclass
class Table:
    """A titled grid: what the page shows and what CSV and XLSX exports write."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)


SCALAR_FIGURES = [
    ("delivered", _("Delivered sessions")),
    ("in_person", _("In person")),
    ("remote", _("Remote")),
    ("hybrid", _("Hybrid")),
    ("planned", _("Planned (scheduled)")),
    ("cancelled", _("Cancelled")),
    ("participants", _("Participants")),
    ("officers", _("Officers")),
    ("agencies", _("Agencies")),
    ("jurisdictions", _("Jurisdictions (countries)")),
    ("training_hours", _("Training hours")),
    ("certificates", _("Certificates")),
]


def flat(report):
    return {**report["sessions"], **{k: v for k, v in report.items() if k != "sessions"}}


def comparison(year, *, filters=NO_FILTERS):
    """The year's figures beside the previous year's, with the change."""
    this, last = (
        flat(year_report(year, filters=filters)),
        flat(year_report(year - 1, filters=filters)),
    )
    table = Table(
        "figures",
        _("Figures"),
        [_("Figure"), str(year), str(year - 1), _("Change"), _("Change (%)")],
    )
    for key, label in SCALAR_FIGURES:
        now, before = this[key], last[key]
        change = round(now - before, 2)
        percent = round(100 * change / before, 1) if before else None
        table.rows.append([label, now, before, change, percent])
    return table, this


# Session-level breakdowns: (key, title, label column, path from a session to the grouping
# value, paths to the label fields).
BREAKDOWNS = [
    ("by_country", _("By country"), _("Country"), "country", []),
    ("by_course", _("By course"), _("Course"), "course__code", ["course__title"]),
    ("by_topic", _("By topic"), _("Topic"), "course__topics__id", ["course__topics__name"]),
    (
        "by_trainer",
        _("By trainer"),
        _("Trainer"),
        "trainers__id",
        ["trainers__first_name", "trainers__last_name"],
    ),
    (
        "by_host_agency",
        _("By host agency"),
        _("Host agency"),
        "host_agency_id",
        ["host_agency__name"],
    ),
]


def breakdown(key, year_from, year_to=None, *, filters=NO_FILTERS):
    """Delivered sessions, participants and training hours grouped by one session attribute.

    Three grouped queries whatever the number of sessions; a session with two trainers (or a
    course with two topics) counts under each.
    """
    _key, title, label, path, label_paths = next(b for b in BREAKDOWNS if b[0] == key)
    sessions = (
        TrainingSession.objects.filter(session_q(year_from, year_to, filters=filters))
        .exclude(**{f"{path}__isnull": True})
        .values(k=F(path), **{f"l{i}": F(p) for i, p in enumerate(label_paths)})
        .annotate(n=Count("pk", distinct=True))
    )
    if path == "country":
        sessions = sessions.exclude(country="")
    attended = (
        participations(year_from, year_to, filters=filters)
        .values(k=F(f"session__{path}"))
        .annotate(n=Count("pk", distinct=True))
    )
    counted = (
        Headcount.objects.filter(session_q(year_from, year_to, filters=filters, prefix="session__"))
        .values(k=F(f"session__{path}"))
        .annotate(n=Sum("count"))
    )
    # Each session's stored scheduled minutes, summed per group (a session with two trainers
    # counts under each, as its sessions and participants do).
    hours = (
        TrainingSession.objects.filter(session_q(year_from, year_to, filters=filters))
        .values(k=F(path))
        .annotate(t=Sum("scheduled_minutes"))
    )
    people = {}
    for row in [*attended, *counted]:
        people[row["k"]] = people.get(row["k"], 0) + (row["n"] or 0)
    hours_by = {row["k"]: row["t"] for row in hours}
    names = {}
    if path == "country":
        names = dict(
            Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY).values_list("code", "name")
        )
    table = Table(
        key, title, [label, _("Delivered sessions"), _("Participants"), _("Training hours")]
    )
    rows = []
    for row in sessions:
        parts = [str(row[f"l{i}"]) for i in range(len(label_paths)) if row[f"l{i}"]]
        if path == "country":
            name = f"{row['k']} {names.get(row['k'], '')}".strip()
        elif path == "course__code":
            name = " ".join([row["k"], *parts])
        else:
            name = " ".join(parts) or str(row["k"])
        length = hours_by.get(row["k"])
        rows.append(
            [
                name,
                row["n"],
                people.get(row["k"], 0),
                training_hours(length),
            ]
        )
    table.rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    return table


def by_agency_type(year_from, year_to=None, *, filters=NO_FILTERS):
    """Participants and agencies reached, by the type of the participants' agencies.

    Headcounts given per jurisdiction name no agency, so they appear on a row of their own.
    """
    attended = (
        participations(year_from, year_to, filters=filters)
        .values(t=F(f"{OFFICER_AGENCY}__type"))
        .annotate(n=Count("pk"), a=Count(f"{OFFICER_AGENCY}", distinct=True))
    )
    headcounts = Headcount.objects.filter(
        session_q(year_from, year_to, filters=filters, prefix="session__")
    )
    counted = headcounts.values(t=F("agency__type")).annotate(n=Sum("count"))
    # Distinct agencies across both sources need the pairs themselves (one row per agency).
    pairs = set(
        participations(year_from, year_to, filters=filters)
        .filter(**{f"{OFFICER_AGENCY}__isnull": False})
        .values_list(f"{OFFICER_AGENCY}__type", f"{OFFICER_AGENCY}_id")
        .distinct()
    ) | set(
        headcounts.filter(agency__isnull=False).values_list("agency__type", "agency_id").distinct()
    )
    people = {}
    for row in [*attended, *counted]:
        people[row["t"]] = people.get(row["t"], 0) + (row["n"] or 0)
    labels = dict(Agency.Type.choices)
    table = Table(
        "by_agency_type", _("By agency type"), [_("Agency type"), _("Participants"), _("Agencies")]
    )
    rows = []
    for type_, n in people.items():
        label = labels.get(type_) if type_ else _("No agency (headcount by jurisdiction)")
        rows.append([str(label), n, sum(1 for t, _a in pairs if t == type_)])
    table.rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    return table


def per_year(year_from, year_to, *, filters=NO_FILTERS):
    """Delivered sessions per year split by delivery: the chart's data and the table beside it."""
    rows = (
        TrainingSession.objects.filter(session_q(year_from, year_to, filters=filters))
        .annotate(year=ExtractYear("start_date"))
        .values("year", "delivery")
        .annotate(n=Count("pk"))
    )
    grid = {year: dict.fromkeys(DELIVERIES, 0) for year in range(year_from, year_to + 1)}
    for row in rows:
        grid[row["year"]][row["delivery"]] = row["n"]
    labels = dict(TrainingSession.Delivery.choices)
    table = Table(
        "per_year",
        _("Delivered sessions per year"),
        [_("Year"), *[labels[d] for d in DELIVERIES], _("Total")],
    )
    for year, counts in grid.items():
        table.rows.append([year, *counts.values(), sum(counts.values())])
    return table


def all_tables(year, year_from, year_to, *, filters=NO_FILTERS):
    """Every table of the page: figures for `year` (and the year before), the breakdowns for
    `year`, and delivered sessions per year from `year_from` to `year_to`."""
    figures, _this = comparison(year, filters=filters)
    tables = [figures]
    tables += [breakdown(key, year, filters=filters) for key, *_rest in BREAKDOWNS]
    tables.append(by_agency_type(year, filters=filters))
    tables += feedback.tables(year, filters=filters)
    tables.append(per_year(year_from, year_to, filters=filters))
    return tables


TABLE_KEYS = [
    "figures",
    *[b[0] for b in BREAKDOWNS],
    "by_agency_type",
    *feedback.TABLE_KEYS,
    "per_year",
]


def default_years():
    """(first year with a delivered session, latest such year), or this year twice."""
    delivered = TrainingSession.objects.filter(status=DELIVERED, start_date__isnull=False)
    first = delivered.order_by("start_date").values_list("start_date", flat=True).first()
    last = delivered.order_by("-start_date").values_list("start_date", flat=True).first()
    if first is None:
        this_year = datetime.date.today().year
        return this_year, this_year
    return first.year, last.year
