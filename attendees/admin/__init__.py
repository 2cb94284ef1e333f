"""The attendees app's Wagtail admin classes (see viewsets.py)."""
