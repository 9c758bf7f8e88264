"""A report table as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese) or as
an Excel workbook."""

import csv
import io

# openpyxl ships without type hints (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from onelicense.reports.selectors import Report
from onelicense.reports.tables import table_rows


def _title(report: Report) -> str:
    period = report.report_filter
    return f"{period.since:%Y-%m-%d} 至 {period.until:%Y-%m-%d}"


def report_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header, lines = table_rows(report)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in line] for line in lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "统计"
    sheet.append([f"统计期间：{_title(report)}"])
    header, lines = table_rows(report)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
