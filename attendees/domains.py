"""E-mail domains: how an address is matched against the domains agencies own.

Rule (docs/user-guide.md, "Officers, agencies and verification"): an address belongs to an agency
domain when its domain *is* that domain or a subdomain of it, label by label. `ccb.hkpf.example`
lies under `hkpf.example`; `xhkpf.example` and `hkpf.example.evil.test` do not.
"""

import re

from django.utils.translation import gettext as _

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_domain(value):
    """A lower-case domain without "@" or trailing dot; ValueError if it is not one."""
    domain = (value or "").strip().lower().lstrip("@").rstrip(".")
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(_("Enter a domain such as police.example.org, without http:// or @."))
    return domain


def email_domain(email):
    return (email or "").rsplit("@", 1)[-1].strip().lower().rstrip(".")


def candidate_domains(domain):
    """The domain and every parent domain with at least two labels, most specific first."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
