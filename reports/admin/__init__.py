"""The reports app's Wagtail admin classes (see viewsets.py)."""
