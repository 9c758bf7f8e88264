"""A report table as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese) or as
an Excel workbook."""

import csv
import io

# openpyxl ships without type hints (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
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
    """Written row by row (openpyxl's write-only mode): no cell objects kept for the sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("统计")
    sheet.column_dimensions["A"].width = 24
    sheet.append([f"统计期间：{_title(report)}"])
    header, lines = table_rows(report)
    bold = Font(bold=True)
    sheet.append([_bold(sheet, text, bold) for text in header])
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet: object, text: str, font: object) -> object:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell
