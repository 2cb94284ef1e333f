"""Tables as CSV and XLSX files, and the per-year chart as SVG (drawn on the server)."""

import csv
import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .figures import DELIVERIES


def table_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in table.columns])
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def tables_xlsx(tables):
    """One workbook, one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        # Sheet titles: at most 31 characters, none of []:*?/\ (the keys are safe).
        sheet = workbook.create_sheet(title=table.key[:31])
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(value):
    if isinstance(value, Promise):
        value = str(value)  # lazily translated labels
    # A text cell starting with = + - @ would run as a formula in the reader's spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def per_year_svg(table):
    """Delivered sessions per year, stacked by delivery: SVG with no script in it."""
    import pygal
    from pygal.style import DefaultStyle

    chart = pygal.StackedBar(
        js=[],  # no JavaScript: tooltips are not worth a script under a strict CSP
        disable_xml_declaration=True,
        style=DefaultStyle,
        width=720,
        height=360,
        legend_at_bottom=True,
        print_values=False,
        show_y_guides=True,
        title=str(_("Delivered sessions per year")),
    )
    chart.add_xml_filter(_without_scripts)
    chart.x_labels = [str(row[0]) for row in table.rows]
    for index, label in enumerate(table.columns[1 : 1 + len(DELIVERIES)], start=1):
        chart.add(str(label), [row[index] for row in table.rows])
    return chart.render(is_unicode=True)


def _without_scripts(root):
    """pygal writes its config as a <script> even with js=[]: take every script out, so the
    SVG is a plain drawing (no interactivity is lost: the tooltips needed the external JS)."""
    parents = [(parent, child) for parent in root.iter() for child in parent if _is_script(child)]
    for parent, child in parents:
        parent.remove(child)
    return root


def _is_script(element):
    return isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "script"
