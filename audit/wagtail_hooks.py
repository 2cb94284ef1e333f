"""The audit log in the admin: read by programme leads, filtered by action, person, date and
object type. There are no add, edit, delete, copy or history views at all."""

from wagtail import hooks

from .admin.viewsets import (
    AuditEntryViewSet,
)


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit_log")
