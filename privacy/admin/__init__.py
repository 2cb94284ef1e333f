"""The privacy app's Wagtail admin classes (see viewsets.py)."""
