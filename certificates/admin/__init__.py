"""The certificates app's Wagtail admin classes (see viewsets.py)."""
