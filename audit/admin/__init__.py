"""The audit app's Wagtail admin classes (see viewsets.py)."""
