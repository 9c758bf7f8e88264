from django import template

from onelicense.reports.selectors import ReportRow
from onelicense.reports.tables import Column

register = template.Library()


@register.simple_tag
def cell(row: ReportRow, column: Column) -> str:
    """A table cell: the value with its unit, or a dash where there is nothing to divide."""
    value = column.value(row)
    return "—" if value is None else f"{value}{column.unit}"
