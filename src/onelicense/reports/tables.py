"""The columns of a report table, shared by the page, the CSV and Excel exports and the API."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onelicense.reports.selectors import DIMENSIONS, Report, ReportRow

Value = int | float | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Callable[[ReportRow], Value]
    unit: str = ""
    applications: bool = False  # the application's own figure, not a department's


def _count(name: str) -> Callable[[ReportRow], Value]:
    return lambda row: row.counts[name]


COLUMNS = [
    Column("received", _("收件"), _count("received"), applications=True),
    Column("accepted", _("受理"), _count("accepted"), applications=True),
    Column("refused", _("不予受理"), _count("refused"), applications=True),
    Column("withdrawn", _("撤回"), _count("withdrawn"), applications=True),
    Column("completed", _("办结"), _count("completed"), applications=True),
    Column("cases_decided", _("单项审批办结"), _count("cases_decided")),
    Column("cases_refused", _("不予许可"), _count("cases_refused")),
    Column("average_days", _("平均用时（工作日）"), lambda r: r.average_days),
    Column("p90_days", _("90%办结用时（工作日）"), lambda r: r.p90_days),
    Column("average_promised", _("平均承诺时限"), lambda r: r.average_promised),
    Column("average_statutory", _("平均法定时限"), lambda r: r.average_statutory),
    Column("on_time_rate", _("承诺时限内办结率"), lambda r: r.on_time_rate, "%"),
    Column("statutory_rate", _("法定时限内办结率"), lambda r: r.statutory_rate, "%"),
    Column("overdue", _("当前超期"), lambda r: r.overdue),
    Column("corrections_per_item", _("每事项补正次数"), lambda r: r.corrections_per_item),
    Column("commitment_share", _("告知承诺占比"), lambda r: r.commitment_share, "%"),
    Column("verifications_confirmed", _("核查属实"), _count("verifications_confirmed")),
    Column("verifications_rectify", _("责令整改"), _count("verifications_rectify")),
    Column("verifications_revoked", _("核查撤销"), _count("verifications_revoked")),
    Column("certificates_issued", _("颁发凭证"), _count("certificates_issued"), applications=True),
    Column(
        "certificates_reissued", _("换发凭证"), _count("certificates_reissued"), applications=True
    ),
    Column("certificates_voided", _("作废凭证"), _count("certificates_voided"), applications=True),
]


def columns_for(dimension: str) -> list[Column]:
    """A department decides cases; the application's own figures belong to no department."""
    if dimension == "department":
        return [column for column in COLUMNS if not column.applications]
    return COLUMNS


def table_rows(report: Report) -> tuple[list[str], list[list[Value | str]]]:
    """The header and the lines (each row, then the total), as plain values."""
    columns = columns_for(report.dimension)
    header = [str(DIMENSIONS[report.dimension][2])]
    header += [f"{column.label}{'（%）' if column.unit else ''}" for column in columns]
    lines: list[list[Value | str]] = [
        [row.label, *(column.value(row) for column in columns)]
        for row in [*report.rows, report.total]
    ]
    return header, lines
