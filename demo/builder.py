"""Builds the demo programme. Deterministic: every random choice comes from one seeded Random.

Sessions in the past are pinned to 2022 and 2023 (70 and 120 delivered, as the programme
reported); upcoming sessions are placed relative to today so that `make run` always has some.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from accounts import roles
from attendees.models import Agency, AgencyDomain, Jurisdiction, OfficerProfile
from courses.models import CourseIndexPage, CoursePage, Topic
from courses.translation import in_source_language
from sessions.models import SessionDay, TrainingSession

from . import approvals, coordinators, data, languages, officers, registrations, reporting
from .certificates import build_certificates
from .communications import build_communications
from .evaluation import build_evaluation
from .materials import build_materials
from .privacy import build_privacy
from .scheduling import build_scheduling
from .security import enrol_demo_staff

User = get_user_model()

DELIVERED_PER_YEAR = {2022: 70, 2023: 120}
CANCELLED_PER_YEAR = {2022: 3, 2023: 4}
UPCOMING = 14
DRAFTS = 2
OFFICERS = 240


@dataclass
class Demo:
    rng: random.Random
    now: datetime.datetime
    topics: dict = field(default_factory=dict)
    courses: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    agencies_by_country: dict = field(default_factory=dict)
    trainers: list = field(default_factory=list)
    officers: list = field(default_factory=list)
    references: dict = field(default_factory=dict)


def already_loaded():
    return User.objects.filter(email=data.LOGINS[-1][1]).exists()


@transaction.atomic
def build(*, seed=2023, now=None):
    demo = Demo(rng=random.Random(seed), now=now or timezone.now())
    build_topics_and_courses(demo)
    build_agencies(demo)
    build_people(demo)
    languages.build_language_officers(demo)
    languages.build_translations(demo)
    enrol_demo_staff(demo)
    build_sessions(demo)
    officers.build_officers(demo)
    build_scheduling(demo)
    reporting.build_participation(demo)
    build_certificates(demo)
    build_materials(demo)
    registrations.build_registrations(demo)
    approvals.build_approvals(demo)
    coordinators.build_coordinators(demo)
    build_privacy(demo)
    build_evaluation(demo)
    build_communications(demo)
    return demo


# --- Courses -------------------------------------------------------------------------------


def build_topics_and_courses(demo):
    for name, slug in data.TOPICS:
        demo.topics[slug], _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    catalogue = in_source_language(CourseIndexPage.objects.all()).get()
    for code, title, level, hours, topic_slugs, summary, objectives in data.COURSES:
        body = [
            {"type": "text", "value": f"<p>{escape(summary)}</p>"},
            {
                "type": "text",
                "value": "<h2>Learning objectives</h2><ul>"
                + "".join(f"<li>{escape(item)}</li>" for item in objectives)
                + "</ul>",
            },
        ]
        page = CoursePage(
            title=title,
            code=code,
            summary=summary,
            level=level,
            duration_hours=hours,
            body=body,
        )
        catalogue.add_child(instance=page)
        page.topics.set([demo.topics[slug] for slug in topic_slugs])
        page.save_revision().publish()
        demo.courses.append(page)


# --- Agencies ------------------------------------------------------------------------------


def build_agencies(demo):
    jurisdictions = {j.code: j for j in Jurisdiction.objects.filter(kind="country")}
    parents = {}
    for country, name, acronym, type_, domain in data.NAMED_AGENCIES:
        agency = Agency.objects.create(
            name=name, acronym=acronym, type=type_, jurisdiction=jurisdictions[country]
        )
        AgencyDomain.objects.create(agency=agency, domain=domain)
        # "ccb.hkpf.example" is a unit of the agency that owns "hkpf.example".
        parent_domain = domain.split(".", 1)[1]
        if parent_domain in parents:
            agency.parent = parents[parent_domain]
            agency.save(update_fields=["parent"])
        parents[domain] = agency
        demo.agencies.append(agency)
    named_countries = {row[0] for row in data.NAMED_AGENCIES}
    for country, _zone, _city in data.COUNTRIES:
        jurisdiction = jurisdictions[country]
        templates = data.GENERIC_AGENCIES
        if country in named_countries:
            templates = templates[1:]  # they already have their police listed by name
        for pattern, type_ in templates:
            agency = Agency.objects.create(
                name=pattern.format(country=jurisdiction.name),
                type=type_,
                jurisdiction=jurisdiction,
            )
            slug = f"{type_}-{country.lower()}.example"
            AgencyDomain.objects.create(agency=agency, domain=slug)
            demo.agencies.append(agency)
    for agency in demo.agencies:
        demo.agencies_by_country.setdefault(agency.jurisdiction.code, []).append(agency)


# --- People --------------------------------------------------------------------------------


def build_people(demo):
    groups = {name: Group.objects.get(name=name) for name in roles.ROLE_PERMISSIONS}
    hkpf = Agency.objects.get(acronym="HKPF")
    for role, email, password, first, last in data.LOGINS:
        user = User.objects.create_user(
            email=email, password=password, first_name=first, last_name=last
        )
        if role == "Admin":
            user.is_staff = user.is_superuser = True
            user.save()
        elif role == "Officer":
            user.groups.add(groups[roles.OFFICER])
            OfficerProfile.objects.create(
                user=user,
                agency=hkpf,
                rank="Senior Inspector",
                verification=OfficerProfile.Verification.VERIFIED,
                verified_at=demo.now,
            )
        else:
            user.groups.add(groups[role])
    mark_email_verified(User.objects.filter(email__in=[row[1] for row in data.LOGINS]))

    for first, last, email in data.TRAINERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, first_name=first, last_name=last
        )
        user.groups.add(groups[roles.TRAINER])
        demo.trainers.append(user)

    # Officers who are not logins get no usable password: hashing hundreds is slow and useless.
    rng = demo.rng
    officers = []
    for i in range(OFFICERS):
        agency = rng.choice(demo.agencies)
        if i % 40 == 0:
            first, last, _country = data.NATIVE_NAMES[(i // 40) % len(data.NATIVE_NAMES)]
        else:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        user = User(
            email=f"officer{i:03d}@{agency.domains.first().domain}",
            first_name=first,
            last_name=last,
        )
        user.set_unusable_password()
        officers.append((user, agency))
    User.objects.bulk_create([user for user, _ in officers])
    created = {u.email: u for u in User.objects.filter(email__startswith="officer", is_staff=False)}
    profiles = []
    for user, agency in officers:
        verified = rng.random() < 0.9
        profiles.append(
            OfficerProfile(
                user=created[user.email],
                agency=agency,
                rank=rng.choice(["Inspector", "Detective", "Prosecutor", "Analyst", "Sergeant"]),
                verification="verified" if verified else "pending",
                verified_at=demo.now if verified else None,
            )
        )
        demo.officers.append(created[user.email])
    OfficerProfile.objects.bulk_create(profiles)
    groups[roles.OFFICER].user_set.add(*demo.officers)


def mark_email_verified(users):
    from allauth.account.models import EmailAddress

    for user in users:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


# --- Sessions ------------------------------------------------------------------------------


def build_sessions(demo):
    rng = demo.rng
    for year, delivered in DELIVERED_PER_YEAR.items():
        cancelled = CANCELLED_PER_YEAR[year]
        total = delivered + cancelled
        cancelled_slots = set(rng.sample(range(total), cancelled))
        for i in range(total):
            start = spread_date(year, i, total, rng)
            status = (
                TrainingSession.Status.CANCELLED
                if i in cancelled_slots
                else TrainingSession.Status.DELIVERED
            )
            make_session(demo, start, status, year)

    today = demo.now.date()
    for i in range(UPCOMING + DRAFTS):
        start = weekday_on_or_after(today + datetime.timedelta(days=7 + i * 11))
        status = TrainingSession.Status.SCHEDULED if i < UPCOMING else TrainingSession.Status.DRAFT
        make_session(demo, start, status, start.year)


def spread_date(year, index, total, rng):
    """Spread sessions over the working year, never across New Year."""
    day = 8 + int(index * 330 / total) + rng.randint(0, 3)
    return weekday_on_or_after(datetime.date(year, 1, 1) + datetime.timedelta(days=day))


def working_days(start, count):
    days, date = [], start
    while len(days) < count:
        date = weekday_on_or_after(date)
        days.append(date)
        date += datetime.timedelta(days=1)
    return days


def weekday_on_or_after(date):
    while date.weekday() >= 5:
        date += datetime.timedelta(days=1)
    return date


def make_session(demo, start, status, year):
    rng = demo.rng
    course = rng.choice(demo.courses)
    country, zone, city = rng.choice(data.COUNTRIES)
    roll = rng.random()
    delivery = (
        TrainingSession.Delivery.IN_PERSON
        if roll < 0.6
        else TrainingSession.Delivery.REMOTE
        if roll < 0.9
        else TrainingSession.Delivery.HYBRID
    )
    if delivery == TrainingSession.Delivery.REMOTE and rng.random() < 0.5:
        country_code, venue, city_name = "", "", ""
    else:
        country_code = country
        venue = "" if delivery == TrainingSession.Delivery.REMOTE else f"{city} training centre"
        city_name = "" if delivery == TrainingSession.Delivery.REMOTE else city
    # References read like the programme's own: year, country (RM for remote), number.
    key = (year, country_code or "RM")
    demo.references[key] = demo.references.get(key, 0) + 1
    reference = f"{year}-{key[1]}-{demo.references[key]:03d}"

    hours = float(course.duration_hours)
    day_count = 1 if hours <= 7 else 2
    if course.code == "VAI-201" or rng.random() < 0.1:
        day_count = max(day_count, rng.choice([2, 3]))
    day_hours = min(hours, 7) if day_count == 1 else 7
    host = rng.choice(demo.agencies_by_country.get(country, demo.agencies))

    session = TrainingSession.objects.create(
        reference=reference,
        course=course,
        delivery=delivery,
        status=status,
        cancellation_reason=(
            "Postponed at the host agency's request."
            if status == TrainingSession.Status.CANCELLED
            else ""
        ),
        time_zone=zone,
        venue=venue,
        city=city_name,
        country=country_code,
        join_url=(
            f"https://meet.muster.example/{reference.lower()}"
            if delivery != TrainingSession.Delivery.IN_PERSON
            else ""
        ),
        capacity=rng.choice([20, 25, 30, 40, 60]),
        host_agency=host,
        language="en",
    )
    start_hour = 9 if delivery != TrainingSession.Delivery.REMOTE else rng.choice([9, 10, 14])
    for date in working_days(start, day_count):
        SessionDay.objects.create(
            session=session,
            date=date,
            start_time=datetime.time(start_hour, 0),
            end_time=(
                datetime.datetime.combine(start, datetime.time(start_hour))
                + datetime.timedelta(hours=day_hours)
            ).time(),
        )
    session.refresh_schedule()
    session.trainers.set(rng.sample(demo.trainers, rng.choice([1, 1, 2])))
    return session
