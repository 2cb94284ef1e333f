"""Writes with consequences for officers and agencies: sign-up, verification, agency requests,
merging a duplicate agency. Each runs in one transaction, takes a keyword-only `acting_user`,
leaves an audit entry and sends e-mail only after commit, through a task.

Verification, rejection and merges are written to the audit log (audit.services.record), the
one append-only record of consequential writes. Sign-up and agency requests, which the audit
log does not cover, stay in Wagtail's log, where they show in the objects' admin history.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts import roles
from audit.models import AuditEntry
from audit.services import record, record_many

from .domains import candidate_domains, email_domain, normalise_domain
from .models import Agency, AgencyDomain, AgencyRequest, OfficerProfile
from .tasks import send_verification_decision


class AgencyMergeError(ValidationError):
    """The merge cannot be done as asked; nothing was written."""


# --- Sign-up -------------------------------------------------------------------------------


@transaction.atomic
def sign_up_officer(
    *,
    user: Any,
    agency: Agency | None,
    rank: str = "",
    agency_request: dict[str, str] | None = None,
    acting_user: Any = None,
) -> OfficerProfile:
    """Give a newly signed-up user their (pending) officer profile and the Officer role.

    `agency_request` is a dict (name, country, website, email_domain, note) when the officer's
    agency is not listed; the profile then has no agency until a programme lead resolves it.
    """
    if (agency is None) == (agency_request is None):
        raise ValidationError(_("Choose your agency, or describe the agency that is not listed."))
    profile = _make_officer(user, agency=agency, rank=rank)
    if agency_request is not None:
        AgencyRequest.objects.create(officer=profile, **agency_request)
    log(profile, "muster.officer.sign_up", user=acting_user or user)
    return profile


def _make_officers(
    people: list[tuple[Any, Agency | None]], *, rank: str = ""
) -> list[OfficerProfile]:
    """The one place users become officers: a pending profile (with its agency) and the
    Officer role for each (user, agency), in two INSERTs whatever their number."""
    if not people:
        return []
    officer = Group.objects.get(name=roles.OFFICER)
    User = type(people[0][0])
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=officer.pk) for user, _agency in people),
        ignore_conflicts=True,  # as groups.add(): someone already an officer stays one
    )
    return OfficerProfile.objects.bulk_create(
        OfficerProfile(user=user, agency=agency, rank=rank.strip()) for user, agency in people
    )


def _make_officer(user: Any, *, agency: Agency | None, rank: str = "") -> OfficerProfile:
    (profile,) = _make_officers([(user, agency)], rank=rank)
    return profile


def _add_officers(
    entries: list[tuple[str, str, str, Agency | None]], *, acting_user: Any
) -> list[Any]:
    """New pending officers without a password (they set one through "forgot password"; a lead
    verifies them as usual), one per (e-mail, first name, last name, agency), each audited as
    added. Walk-ins, attendance imports and roster imports all add people here."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = []
    for email, first_name, last_name, _agency in entries:
        user = User(
            email=User.objects.normalize_email(email).lower(),
            first_name=first_name,
            last_name=last_name,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    profiles = _make_officers(
        [(user, entry[3]) for user, entry in zip(users, entries, strict=True)]
    )
    record_many(
        actor=acting_user,
        action=AuditEntry.Action.OFFICER_ADDED,
        items=[
            (
                profile,
                user,
                None,
                {"email": user.email, "agency": str(entry[3] or ""), "verification": "pending"},
                str(user),  # OfficerProfile.__str__, without a query per row
            )
            for profile, user, entry in zip(profiles, users, entries, strict=True)
        ],
    )
    return users


@transaction.atomic
def officer_for_email(
    *,
    email: str,
    acting_user: Any,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
) -> Any:
    """The user with this e-mail, or a new pending officer without a password (_add_officers).
    `agency` goes on a new person's profile only: an existing person's agency is theirs and the
    leads' to change."""
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(email__iexact=email).first()
    if person is None:
        (person,) = _add_officers([(email, first_name, last_name, agency)], acting_user=acting_user)
    return person


def officers_for_emails(*, rows: list[dict[str, Any]], acting_user: Any) -> dict[str, Any]:
    """officer_for_email for many rows at once (bulk imports): {e-mail: user}, the people
    Muster knows and new pending officers (_add_officers, with the row's agency) for the
    others. Rows are dicts with email, first_name, last_name and an optional agency_id; e-mails
    already lower-cased."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    User = get_user_model()
    emails = [entry["email"] for entry in rows]
    people: dict[str, Any] = {
        user.lower_email: user
        for user in User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
    }
    missing = [entry for entry in rows if entry["email"] not in people]
    if missing:
        # Checked at preview; an agency deleted or merged since then leaves the profile
        # without one rather than failing the import.
        agencies = Agency.objects.in_bulk({e["agency_id"] for e in missing if e.get("agency_id")})
        new_users = _add_officers(
            [
                (e["email"], e["first_name"], e["last_name"], agencies.get(e.get("agency_id")))
                for e in missing
            ],
            acting_user=acting_user,
        )
        people.update(
            (entry["email"], user) for user, entry in zip(new_users, missing, strict=True)
        )
    return people


# --- Verification --------------------------------------------------------------------------


def domain_owners(email: str) -> list[AgencyDomain]:
    """AgencyDomain rows the address lies on (its own domain or a parent), most specific first."""
    candidates = candidate_domains(email_domain(email))
    rows = AgencyDomain.objects.filter(domain__in=candidates).select_related("agency")
    return sorted(rows, key=lambda row: candidates.index(row.domain))


@transaction.atomic
def verify_from_email(*, profile: OfficerProfile, email: str) -> bool:
    """After the officer confirmed `email`: verify them if it lies on a domain of the agency
    they chose; otherwise leave them pending with a note for the programme lead.

    Returns True when the officer was verified.
    """
    profile = OfficerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.verification != OfficerProfile.Verification.PENDING:
        return False
    owners = domain_owners(email)
    own = [row for row in owners if row.agency_id == profile.agency_id]
    if profile.agency_id and own:
        note = _("Verified automatically: %(email)s is on %(domain)s, a domain of %(agency)s.") % {
            "email": email,
            "domain": own[0].domain,
            "agency": profile.agency,
        }
        _verify(profile, acting_user=None, note=note)
        return True
    if owners:
        note = _(
            "%(email)s is on %(domain)s, a domain of %(owner)s, not of the agency chosen "
            "(%(chosen)s). Check before approving."
        ) % {
            "email": email,
            "domain": owners[0].domain,
            "owner": owners[0].agency,
            "chosen": profile.agency or _("not listed"),
        }
    else:
        note = _("%(email)s is not on the domain of any agency.") % {"email": email}
    profile.verification_note = note
    profile.save(update_fields=["verification_note"])
    return False


def _verify(profile: OfficerProfile, *, acting_user: Any, note: str = "") -> None:
    before = {"verification": profile.verification}
    profile.verification = OfficerProfile.Verification.VERIFIED
    profile.verified_by = acting_user
    profile.verified_at = timezone.now()
    if note:
        profile.verification_note = note
    profile.save()
    record(
        actor=acting_user,
        action=AuditEntry.Action.OFFICER_VERIFIED,
        target=profile,
        subject=profile.user,
        before=before,
        after={"verification": profile.verification, "note": note},
    )


@transaction.atomic
def verify_officer(*, profile: OfficerProfile, acting_user: Any) -> OfficerProfile:
    """A programme lead verifies an officer (pending or previously rejected); e-mails them."""
    profile = OfficerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.agency_id is None:
        raise ValidationError(
            _("%(officer)s has no agency yet: resolve their agency request first.")
            % {"officer": profile}
        )
    if profile.verification == OfficerProfile.Verification.VERIFIED:
        return profile
    _verify(profile, acting_user=acting_user)
    transaction.on_commit(lambda: send_verification_decision.enqueue(profile.pk))
    return profile


@transaction.atomic
def reject_officer(*, profile: OfficerProfile, acting_user: Any, reason: str) -> OfficerProfile:
    """A programme lead rejects an officer, with a reason the officer reads; e-mails them."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the officer reads it."))
    profile = OfficerProfile.objects.select_for_update().get(pk=profile.pk)
    before = {"verification": profile.verification}
    profile.verification = OfficerProfile.Verification.REJECTED
    profile.rejected_by = acting_user
    profile.rejected_at = timezone.now()
    profile.rejection_reason = reason
    profile.verified_by = None
    profile.verified_at = None
    profile.save()
    # An agency request of a rejected officer has nobody left to serve: it closes with them.
    closed = AgencyRequest.objects.filter(officer=profile, status=AgencyRequest.Status.OPEN).update(
        status=AgencyRequest.Status.REJECTED,
        decided_by=acting_user,
        decided_at=timezone.now(),
        decision_note=reason,
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.OFFICER_REJECTED,
        target=profile,
        subject=profile.user,
        before=before,
        after={
            "verification": profile.verification,
            "reason": reason,
            "agency_requests_closed": closed,
        },
    )
    transaction.on_commit(lambda: send_verification_decision.enqueue(profile.pk))
    return profile


@transaction.atomic
def correct_own_name(
    *, user: Any, first_name: str, last_name: str, family_name_first: bool, acting_user: Any
) -> Any:
    """A person corrects their own name (and its order): it prints on their certificates from
    now on. Audited with the old and new name; no change writes nothing."""
    if acting_user is None or acting_user.pk != user.pk:
        raise ValidationError(_("Only the person themselves may correct their name here."))
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name or last_name):
        raise ValidationError(_("Give your name as it should print on your certificates."))
    user = type(user).objects.select_for_update().get(pk=user.pk)
    fields = ("first_name", "last_name", "family_name_first")
    before = {name: getattr(user, name) for name in fields}
    after = {
        "first_name": first_name,
        "last_name": last_name,
        "family_name_first": bool(family_name_first),
    }
    if before == after:
        return user
    for name, value in after.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    record(
        actor=acting_user,
        action=AuditEntry.Action.NAME_CORRECTED,
        target=user,
        subject=user,
        before=before,
        after=after,
    )
    return user


@transaction.atomic
def verify_officers(
    *, profiles: Iterable[OfficerProfile], acting_user: Any
) -> list[OfficerProfile]:
    """Bulk approval: all or none."""
    return [verify_officer(profile=profile, acting_user=acting_user) for profile in profiles]


@transaction.atomic
def reject_officers(
    *, profiles: Iterable[OfficerProfile], acting_user: Any, reason: str
) -> list[OfficerProfile]:
    """Bulk rejection with one reason: all or none."""
    return [
        reject_officer(profile=profile, acting_user=acting_user, reason=reason)
        for profile in profiles
    ]


# --- Agency requests -----------------------------------------------------------------------


def _confirmed_emails(user: Any) -> list[str]:
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


@transaction.atomic
def resolve_agency_request(
    *, agency_request: AgencyRequest, agency: Agency, acting_user: Any
) -> AgencyRequest:
    """Attach the requesting officer to `agency` (existing or just created) and close the
    request. If the officer's confirmed address is on that agency's domain, they are verified
    as if they had chosen it at sign-up.
    """
    agency_request = AgencyRequest.objects.select_for_update().get(pk=agency_request.pk)
    if agency_request.status != AgencyRequest.Status.OPEN:
        raise ValidationError(_("This request has already been decided."))
    agency_request.status = AgencyRequest.Status.RESOLVED
    agency_request.agency = agency
    agency_request.decided_by = acting_user
    agency_request.decided_at = timezone.now()
    agency_request.save()
    profile = agency_request.officer
    profile.agency = agency
    profile.save(update_fields=["agency"])
    log(agency_request, "muster.agency_request.resolve", user=acting_user)
    for email in _confirmed_emails(profile.user):
        if verify_from_email(profile=profile, email=email):
            break
    return agency_request


@transaction.atomic
def create_agency_from_request(
    *,
    agency_request: AgencyRequest,
    type: str,
    jurisdiction: Any,
    acting_user: Any,
    domain: str = "",
) -> AgencyRequest:
    """Create the agency an officer asked for (with its e-mail domain) and resolve the request."""
    if agency_request.status != AgencyRequest.Status.OPEN:
        raise ValidationError(_("This request has already been decided."))
    agency = Agency(name=agency_request.name.strip(), type=type, jurisdiction=jurisdiction)
    agency.full_clean()
    agency.save()
    domain = (domain or "").strip()
    if domain:
        try:
            domain = normalise_domain(domain)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if AgencyDomain.objects.filter(domain=domain).exists():
            raise ValidationError(
                _("The domain %(domain)s already belongs to another agency.") % {"domain": domain}
            )
        AgencyDomain.objects.create(agency=agency, domain=domain)
    log(agency, "wagtail.create", user=acting_user)
    return resolve_agency_request(
        agency_request=agency_request, agency=agency, acting_user=acting_user
    )


@transaction.atomic
def reject_agency_request(
    *, agency_request: AgencyRequest, acting_user: Any, reason: str
) -> AgencyRequest:
    """The agency is not one the programme trains: close the request and reject the officer
    (who is e-mailed the reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the officer reads it."))
    agency_request = AgencyRequest.objects.select_for_update().get(pk=agency_request.pk)
    if agency_request.status != AgencyRequest.Status.OPEN:
        raise ValidationError(_("This request has already been decided."))
    agency_request.status = AgencyRequest.Status.REJECTED
    agency_request.decided_by = acting_user
    agency_request.decided_at = timezone.now()
    agency_request.decision_note = reason
    agency_request.save()
    log(agency_request, "muster.agency_request.reject", user=acting_user)
    reject_officer(profile=agency_request.officer, acting_user=acting_user, reason=reason)
    return agency_request


# --- Merging a duplicate agency ------------------------------------------------------------
#
# Apps above attendees (sessions' host agency and headcounts, whatever comes later) point at
# Agency; attendees may not import them. So the merge walks Agency._meta.related_objects and
# moves every foreign key (and every auto-created many-to-many row) generically. Where moving a
# row would break a unique constraint (a session with a headcount for both agencies), the
# numbers named in settings.MUSTER_AGENCY_MERGE_ADDITIVE_FIELDS are added up; a row that
# carries nothing but its keys is simply dropped; anything else refuses the whole merge.


def agency_references() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key that points at Agency, found generically."""
    refs = []
    for rel in Agency._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            if not through._meta.auto_created:
                continue  # its own foreign key to Agency is listed separately
            refs.append((through, rel.field.m2m_reverse_field_name()))
        else:
            refs.append((rel.related_model, rel.field.name))
    return refs


def _label(model: type[models.Model], field_name: str) -> str:
    field: Any = model._meta.get_field(field_name)
    if model._meta.auto_created:
        return str(model._meta.verbose_name)
    return f"{model._meta.verbose_name_plural} ({field.verbose_name})"


def merge_preview(*, source: Agency) -> list[tuple[str, int]]:
    """What merging `source` away would move: [(label, count)] for every relation, in order."""
    return [
        (_label(model, name), model._base_manager.filter(**{name: source}).count())
        for model, name in agency_references()
    ]


def _unique_sets(
    model: type[models.Model], field_name: str
) -> list[tuple[tuple[str, ...], models.Q | None]]:
    """(fields, condition) of every uniqueness rule on `model` that involves `field_name`."""
    sets: list[tuple[tuple[str, ...], models.Q | None]] = []
    field: Any = model._meta.get_field(field_name)
    if field.unique:
        sets.append(((field_name,), None))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append((tuple(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _attname(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return field.attname


def _settle_collisions(
    model: type[models.Model], field_name: str, source: Agency, target: Agency
) -> int:
    """Rows of `source` that would collide with a row of `target`: add up or drop them."""
    additive = settings.MUSTER_AGENCY_MERGE_ADDITIVE_FIELDS.get(model._meta.label_lower, ())
    settled = 0
    manager = model._base_manager
    for fields, condition in _unique_sets(model, field_name):
        others = [name for name in fields if name != field_name]
        rows = manager.filter(**{field_name: source})
        if condition is not None:
            rows = rows.filter(condition)
        for row in rows:
            twin: Any = manager.filter(
                **{field_name: target},
                **{name: getattr(row, _attname(model, name)) for name in others},
            )
            if condition is not None:
                twin = twin.filter(condition)
            twin = twin.select_for_update().first()
            if twin is None:
                continue
            key_names = {"id", model._meta.pk.name, *fields}
            data_fields = [f.name for f in model._meta.concrete_fields if f.name not in key_names]
            if additive:
                for name in additive:
                    setattr(twin, name, getattr(twin, name) + getattr(row, name))
                row.delete()
                twin.save(update_fields=list(additive))
            elif not data_fields:
                row.delete()
            else:
                raise AgencyMergeError(
                    _(
                        "Both agencies have a %(model)s for the same %(fields)s (%(row)s): "
                        "change or delete one of them first. Nothing was merged."
                    )
                    % {
                        "model": model._meta.verbose_name,
                        "fields": ", ".join(others) or field_name,
                        "row": row,
                    }
                )
            settled += 1
    return settled


@transaction.atomic
def merge_agencies(*, source: Agency, target: Agency, acting_user: Any) -> dict[str, Any]:
    """Move everything that points at the duplicate `source` onto `target`, then delete it.

    Returns {"moved": [(label, count)], "combined": n}. All or nothing.
    """
    if source.pk == target.pk:
        raise AgencyMergeError(_("Choose two different agencies."))
    locked = {
        a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(locked) != 2:
        raise AgencyMergeError(_("One of the agencies no longer exists."))
    source, target = locked[source.pk], locked[target.pk]
    ancestor: Agency | None = target
    while ancestor is not None:
        if ancestor.parent_id == source.pk:
            raise AgencyMergeError(
                _("%(target)s is a unit of %(source)s: merge the other way round.")
                % {"target": target, "source": source}
            )
        ancestor = ancestor.parent
    before = {
        "source": {"id": source.pk, "name": str(source), "counts": merge_preview(source=source)},
        "target": {"id": target.pk, "name": str(target), "counts": merge_preview(source=target)},
    }
    moved, combined = [], 0
    for model, name in agency_references():
        combined += _settle_collisions(model, name, source, target)
        count = model._base_manager.filter(**{name: source}).update(**{name: target})
        moved.append((_label(model, name), count))
    source_name = str(source)
    # Anything still pointing at the duplicate (PROTECT) makes this raise and roll back.
    Agency.objects.filter(pk=source.pk).delete()
    record(
        actor=acting_user,
        action=AuditEntry.Action.AGENCY_MERGED,
        target=target,
        before=before,
        after={
            "source": {"name": source_name, "deleted": True},
            "target": {
                "id": target.pk,
                "name": str(target),
                "counts": merge_preview(source=target),
            },
            "moved": moved,
            "combined": combined,
        },
        summary=_("%(source)s merged into %(target)s") % {"source": source_name, "target": target},
    )
    return {"moved": moved, "combined": combined}
