"""The sessions app's Wagtail admin classes (see viewsets.py)."""
