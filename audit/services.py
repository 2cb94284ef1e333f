"""The one way to write the audit log.

Every service with consequences calls `record(...)` inside its own transaction, so the entry is
written if and only if the change it describes is committed:

    from audit.services import record
    from audit.models import AuditEntry

    record(
        actor=acting_user,                      # a User, or None for the system
        action=AuditEntry.Action.REGISTRATION_APPROVED,
        target=registration,                    # any saved model instance (or None)
        subject=registration.officer,           # the person the entry is about (optional)
        before={"status": "pending"},           # JSON-able values (dates are fine)
        after={"status": "confirmed"},
    )
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils import timezone

from .models import AuditEntry

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from accounts.models import User


def _label(value: object, limit: int = 255) -> str:
    return str(value)[:limit] if value is not None else ""


def _actor_label(actor: "User | None") -> str:
    if actor is None:
        return ""
    name = actor.get_full_name()
    return _label(f"{name} <{actor.email}>" if name else actor.email)


def client_ip(request: "HttpRequest | None") -> str | None:
    """The client's full address, resolved the way allauth resolves it for its rate limits:
    REMOTE_ADDR unless a trusted proxy header is configured (ALLAUTH_TRUSTED_PROXY_COUNT,
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER; see accounts/ratelimit.py)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        value = get_adapter().get_client_ip(request)
    except PermissionDenied:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value


def record(
    *,
    actor: Any,
    action: str,
    target: "Model | None" = None,
    subject: "User | None" = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
    request: "HttpRequest | None" = None,
) -> AuditEntry:
    """Append one entry to the audit log (in the caller's transaction) and return it."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if getattr(actor, "is_authenticated", False) is not True:
        actor = None
    target_type = target_id = None
    if target is not None:
        target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        target_id = str(target.pk)
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=_actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id or "",
        target_label=_label(target),
        subject=subject if getattr(subject, "pk", None) else None,
        before=before,
        after=after,
        summary=_label(summary),
        ip_address=client_ip(request),
    )


def record_many(
    *, actor: Any, action: str, items: Iterable[tuple[Any, ...]], batch_size: int = 1000
) -> list[AuditEntry]:
    """Append one entry per (target, subject, before, after) in a few INSERTs: what a bulk
    write (a 10,000-row roster import) records in place of one record() call per change.
    Same rules as record(): in the caller's transaction, labels cut to their columns.

    An item may carry a fifth element, the target's label (what str(target) gives), when the
    caller has it at hand: str() of a row that names its relations (an attendance mark names
    its registration, officer, session and translated status) costs more than the INSERT."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if getattr(actor, "is_authenticated", False) is not True:
        actor = None
    actor_label = _actor_label(actor)
    actor_id = actor.pk if actor is not None else None
    now = timezone.now()
    types: dict[type, int] = {}
    entries = []
    for item in items:
        target, subject, before, after = item[:4]
        model = type(target)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        # Ids, not instances: a descriptor's checks per row and field add up over 10,000 rows.
        entries.append(
            AuditEntry(
                created_at=now,
                actor_id=actor_id,
                actor_label=actor_label,
                action=action,
                target_type_id=types[model],
                target_id=str(target.pk),
                target_label=item[4][:255] if len(item) > 4 else _label(target),
                subject_id=getattr(subject, "pk", None),
                before=before,
                after=after,
            )
        )
    return AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
