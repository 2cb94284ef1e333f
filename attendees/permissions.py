"""Who may decide about officers and agencies (object rules beyond the role permissions)."""


def can_verify_officers(user):
    return user.is_active and user.has_perm("attendees.change_officerprofile")


def can_resolve_agency_requests(user):
    return user.is_active and user.has_perm("attendees.change_agencyrequest")


def can_merge_agencies(user):
    # A merge deletes the duplicate, so it needs both rights.
    return (
        user.is_active
        and user.has_perm("attendees.change_agency")
        and user.has_perm("attendees.delete_agency")
    )
