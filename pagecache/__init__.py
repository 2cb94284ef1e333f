"""A shared cache for anonymous pages and calendar feeds, with exact invalidation.

See versions.py (what a change bumps), middleware.py (which responses are stored and served)
and docs/performance.md.
"""
