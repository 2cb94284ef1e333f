"""The admin's Reports section: figures, tables, chart, exports, and the history import.

Programme leads only: every view checks the reports permissions (accounts/roles.py grants them
to the Programme lead group); Wagtail's admin URL wrapper already turned away anyone who may not
open the admin.
"""

import secrets
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jobs.models import ImportJob
from jobs.services import start_import

from . import figures
from .exports import per_year_svg, table_csv, tables_xlsx
from .forms import HistoryUploadForm, ReportFilterForm
from .services import check_file

VIEW = "reports.view_reports"
IMPORT = "reports.import_sessions"


def permission(perm):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _filter_form(request):
    return ReportFilterForm(request.GET or None, default_years=figures.default_years())


@permission(VIEW)
def index(request):
    form = _filter_form(request)
    year, year_from, year_to, filters = form.report_args()
    tables = figures.all_tables(year, year_from, year_to, filters=filters)
    query = request.GET.urlencode()
    return TemplateResponse(
        request,
        "reports/index.html",
        {
            "page_title": _("Programme reports"),
            "header_icon": "table",
            "form": form,
            "year": year,
            "previous_year": year - 1,
            "year_from": year_from,
            "year_to": year_to,
            "figures_table": tables[0],
            "tables": tables[1:-1],
            "per_year": tables[-1],
            "query": query,
        },
    )


@permission(VIEW)
def export(request, key, fmt):
    if key != "all" and key not in figures.TABLE_KEYS:
        raise Http404
    form = _filter_form(request)
    year, year_from, year_to, filters = form.report_args()
    tables = figures.all_tables(year, year_from, year_to, filters=filters)
    if key != "all":
        tables = [t for t in tables if t.key == key]
    name = f"muster-{key}-{year}"
    if fmt == "csv":
        if key == "all":
            raise Http404  # one CSV holds one table; "all" is a workbook
        response = HttpResponse(table_csv(tables[0]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            tables_xlsx(tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@permission(VIEW)
def chart(request):
    form = _filter_form(request)
    _year, year_from, year_to, filters = form.report_args()
    svg = per_year_svg(figures.per_year(year_from, year_to, filters=filters))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # Shown through <img>, where an SVG may not run scripts anyway; say so for direct opens too.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# --- History import: upload, preview, confirm ---------------------------------------------------

SESSION_KEY = "reports_import"
STORAGE_DIR = "reports-imports"


def _stored(request):
    """The uploaded file this user previewed: (storage name, original name), or None."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None
    if not default_storage.exists(pending["path"]):
        request.session.pop(SESSION_KEY, None)
        return None
    return pending["path"], pending["name"]


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


@permission(IMPORT)
@require_http_methods(["GET", "POST"])
def import_history_view(request):
    """Step 1 (POST file): check it and show the preview. The file is kept in the private
    media storage under a random name, tied to this user's session, until confirmed or
    replaced: nobody else can confirm it, and app servers share that storage."""
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    context = {"page_title": _("Import past sessions"), "header_icon": "upload", "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = check_file(data=data, filename=upload.name)
        _forget(request)
        if not plan.errors:
            suffix = upload.name.rsplit(".", 1)[-1].lower()
            path = default_storage.save(
                f"{STORAGE_DIR}/{secrets.token_urlsafe(24)}.{suffix}", ContentFile(data)
            )
            request.session[SESSION_KEY] = {
                "path": path,
                "name": upload.name,
                "rows": len(plan.rows),
            }
        context.update(plan=plan, filename=upload.name)
    return TemplateResponse(request, "reports/import.html", context)


@permission(IMPORT)
@require_http_methods(["POST"])
def import_confirm(request):
    """Step 2: import the previewed file. The file is checked again inside the import's
    transaction, so what changed in between is caught rather than written."""
    stored = _stored(request)
    if stored is None:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("reports:import")
    path, name = stored
    # Thousands of rows take longer than a request may: the worker imports the file (checking
    # it again inside the import's transaction, so what changed in between is caught rather
    # than written) and the job's page shows the progress. The file now belongs to the job.
    rows = request.session.pop(SESSION_KEY, {}).get("rows", 0)
    job = start_import(
        kind=ImportJob.Kind.HISTORY,
        title=_("History import: %(name)s") % {"name": name},
        payload={"path": path, "filename": name},
        rows_total=rows,
        acting_user=request.user,
        done_url=reverse("reports:index"),
        request=request,
    )
    return redirect("jobs:detail", job.pk)
