"""Demo officers and agencies for the verification workflow: officers waiting for a programme
lead, a rejected one, agency requests, an agency with several domains and units, and a
duplicate agency ready to merge. Called once from builder.build(); deterministic.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from attendees.models import Agency, AgencyDomain, AgencyRequest, Jurisdiction, OfficerProfile
from sessions.models import Headcount, TrainingSession

User = get_user_model()

# (email, first, last, agency acronym, rank, reviewer note)
PENDING = [
    ("mei.wong@mail.example", "Mei", "Wong", "HKPF", "Detective Constable", None),
    ("k.srisuk@webmail.example", "Kanya", "Srisuk", "RTP", "Police Lieutenant", None),
    ("jo.lee@spo-tw.example", "Jo", "Lee", "CIB-TW", "Investigator", "SPO"),
]


def _note(email, owner=None, chosen=None):
    if owner is None:
        return f"{email} is not on the domain of any agency."
    return (
        f"{email} is on {owner.domains.first().domain}, a domain of {owner}, not of the agency "
        f"chosen ({chosen or 'not listed'}). Check before approving."
    )


def _officer(demo, email, first, last, agency, rank, **profile_fields):
    from demo.builder import mark_email_verified

    user = User.objects.create_user(email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=roles.OFFICER))
    mark_email_verified([user])
    profile = OfficerProfile.objects.create(user=user, agency=agency, rank=rank, **profile_fields)
    demo.officers.append(user)
    return profile


def build_officers(demo):
    by_acronym = {a.acronym: a for a in Agency.objects.exclude(acronym="")}
    lead = User.objects.get(email="lead@muster.example")
    now = timezone.now() if demo.now is None else demo.now

    # Several domains and units: the HKPF also owns its headquarters' domain; CCB and CSTCB are
    # its units (built in build_agencies from their subdomains).
    hkpf = by_acronym["HKPF"]
    AgencyDomain.objects.get_or_create(domain="police-hq.hk.example", defaults={"agency": hkpf})

    for email, first, last, acronym, rank, owner in PENDING:
        agency = by_acronym[acronym]
        _officer(
            demo,
            email,
            first,
            last,
            agency,
            rank,
            verification_note=_note(email, by_acronym.get(owner), agency),
        )

    _officer(
        demo,
        "not.an.officer@mail.example",
        "Alex",
        "Moreau",
        by_acronym["PN"],
        "Consultant",
        verification=OfficerProfile.Verification.REJECTED,
        rejection_reason="We could not confirm that you work for the French National Police. "
        "Please sign up again with your agency e-mail address.",
        rejected_by=lead,
        rejected_at=now,
        verification_note=_note("not.an.officer@mail.example"),
    )

    requests = [
        (
            "ana.silva@pf-br.example",
            "Ana",
            "Silva",
            "Federal Police of Brazil",
            "BR",
            "https://pf-br.example",
            "pf-br.example",
            "Cybercrime division, Brasília.",
        ),
        (
            "t.nguyen@mail.example",
            "Thanh",
            "Nguyen",
            "Ho Chi Minh City Police Cyber Unit",
            "VN",
            "",
            "",
            "Our unit has no separate e-mail domain.",
        ),
    ]
    for email, first, last, name, country, website, domain, note in requests:
        profile = _officer(demo, email, first, last, None, "Inspector")
        profile.verification_note = _note(email)
        profile.save(update_fields=["verification_note"])
        AgencyRequest.objects.create(
            officer=profile,
            name=name,
            country=Jurisdiction.objects.get(code=country),
            website=website,
            email_domain=domain,
            note=note,
        )

    # A duplicate of the Royal Thai Police, entered by hand before the real one had a domain:
    # two officers and a symposium headcount point at it; merge it in the admin.
    rtp = by_acronym["RTP"]
    duplicate = Agency.objects.create(
        name="Thai Royal Police", acronym="TRP", type=rtp.type, jurisdiction=rtp.jurisdiction
    )
    AgencyDomain.objects.create(agency=duplicate, domain="royalthaipolice.example")
    for i, (first, last) in enumerate([("Somchai", "Prasert"), ("Nok", "Chaiyaporn")]):
        _officer(
            demo,
            f"officer{i}@royalthaipolice.example",
            first,
            last,
            duplicate,
            "Police Captain",
            verification=OfficerProfile.Verification.VERIFIED,
            verified_at=now,
        )
    delivered = TrainingSession.objects.filter(status="delivered").order_by("reference")
    session = delivered[demo.rng.randrange(delivered.count())] if delivered.exists() else None
    if session is not None:
        Headcount.objects.create(session=session, agency=duplicate, count=14)
        Headcount.objects.get_or_create(session=session, agency=rtp, defaults={"count": 21})
