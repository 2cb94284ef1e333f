"""The courses app's Wagtail admin classes (see viewsets.py)."""
