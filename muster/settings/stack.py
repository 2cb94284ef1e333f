"""`make stack`'s demo data step: the production profile plus the demo app.

Production settings leave the demo (published passwords, a fixed TOTP secret) out. The local
stack is production as it runs on servers, filled with the demo programme so a person can try it;
only `seed_demo` and `demo_totp` run with these settings, never the app servers or the worker.
"""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
MUSTER_DEMO_DATA_ALLOWED = True
