"""What invalidates cached pages and feeds: any committed write to what public pages show.

- Wagtail pages: publish, unpublish, move, delete (and any save of a page model, drafts
  included, since page models are saved as rows of the apps below);
- sessions: sessions, session days, registrations (seats left), trainers, feed tokens;
- courses: course facts, materials, topics, languages, audience types;
- evaluation: course ratings shown on course pages;
- people shown on public pages (trainers' names, agencies), except the last-login stamp every
  sign-in writes.

Bulk writes that send no signals (QuerySet.update, bulk_create) call versions.bump()
themselves (sessions/imports.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .versions import bump

APPS = {
    "training_sessions",  # not "sessions": that label is Django's session store
    "courses",
    "evaluation",
    "attendees",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "taggit",
}
# Rows written often that no public page or feed shows.
IGNORED_MODELS = {"training_sessions.attendance", "training_sessions.headcount"}


def _shown(sender):
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    if meta.label_lower in IGNORED_MODELS:
        return False
    return meta.app_label in APPS or meta.label_lower == "accounts.user"


def _on_save(sender, instance, using=None, update_fields=None, **kwargs):
    if not _shown(sender):
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump(using)


def _on_delete(sender, instance, using=None, **kwargs):
    if _shown(sender):
        bump(using)


def _on_m2m(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and _shown(type(instance)):
        bump(using)


def _on_page(sender, **kwargs):
    bump()


def connect():
    post_save.connect(_on_save, dispatch_uid="pagecache-save")
    post_delete.connect(_on_delete, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    page_published.connect(_on_page, dispatch_uid="pagecache-publish")
    page_unpublished.connect(_on_page, dispatch_uid="pagecache-unpublish")
    post_page_move.connect(_on_page, dispatch_uid="pagecache-move")
