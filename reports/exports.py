"""Tables as CSV and XLSX files, and the per-year chart as SVG (drawn on the server)."""

from django.utils.translation import gettext as _

from muster import exports as muster_exports

from .figures import DELIVERIES


def table_csv(table):
    # The BOM lets spreadsheet programs read UTF-8.
    text = muster_exports.csv_text(table.columns, table.rows, lineterminator="\n")
    return text.encode("utf-8-sig")


def tables_xlsx(tables):
    """One workbook, one sheet per table (sheet titles are the tables' keys)."""
    return muster_exports.xlsx_bytes([(t.key, t.columns, t.rows) for t in tables])


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
