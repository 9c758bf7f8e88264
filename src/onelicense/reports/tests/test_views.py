"""The report pages and exports, by persona: the city admin sees every district, a district
admin their own only, anyone else is refused or sent to log in."""

import csv
import io

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse

from onelicense.accounts.models import District, User
from onelicense.reports.models import Refresh, WorkPlanFiling

pytestmark = pytest.mark.django_db
PERIOD = {"since": "2024-09-01", "until": "2024-10-31"}
PAGES = [
    reverse("reports:dashboard"),
    reverse("reports:dimension", args=["districts"]),
    reverse("reports:dimension", args=["industries"]),
    reverse("reports:dimension", args=["departments"]),
    reverse("reports:export_csv", args=["districts"]),
    reverse("reports:export_xlsx", args=["industries"]),
    reverse("reports:reform"),
    reverse("reports:rollout"),
    reverse("reports:work_plan_new"),
]


@pytest.fixture
def haidian_admin(db: None) -> User:
    haidian = District.objects.get(code="110108")
    return User.objects.create_user(
        "admin_haidian", password="pw", role=User.Role.DISTRICT_ADMIN, district=haidian
    )


def _as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(url: str) -> None:
    response = _as(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_a_clerk_is_refused_in_chinese(url: str, clerk: User) -> None:
    response = _as(clerk).get(url)
    assert response.status_code == 403
    assert "统计报表只供区政务服务管理局和市级管理员使用" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_district_admin_may_not_ask_for_another_district(url: str, district_admin: User) -> None:
    haidian = District.objects.get(code="110108")
    response = _as(district_admin).get(url, {"district": haidian.pk})
    assert response.status_code == 403
    assert "区管理员只能查看和导出本区的统计数据" in response.content.decode()


def test_the_city_dashboard_shows_charts_and_the_district_table(
    city_admin: User, refreshed: Refresh
) -> None:
    response = _as(city_admin).get(reverse("reports:dashboard"), PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="trend"' in page and 'data-chart="bars"' in page
    assert 'data-report-table="district"' in page
    assert "朝阳区" in page and "66.7%" in page  # the on-time rate of the hand-worked history
    assert "数据更新时间" in page
    assert "统计报表" in page  # the header's entry


def test_a_district_admin_sees_their_own_district_by_industry(
    district_admin: User, haidian_admin: User, refreshed: Refresh
) -> None:
    page = _as(district_admin).get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert 'data-report-table="industry"' in page and '<th scope="row">餐饮店' in page
    # 海淀区's admin, same period: nothing of 朝阳区's.
    page = _as(haidian_admin).get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert '<th scope="row">餐饮店' not in page
    assert "该期间没有数据" in page


def test_a_period_ending_before_it_starts_is_a_form_error(city_admin: User) -> None:
    query = {"since": "2024-10-31", "until": "2024-09-01"}
    response = _as(city_admin).get(reverse("reports:dimension", args=["industries"]), query)
    assert response.status_code == 400
    assert "统计截止日期不能早于起始日期" in response.content.decode()
    response = _as(city_admin).get(reverse("reports:export_csv", args=["industries"]), query)
    assert response.status_code == 400


def test_the_csv_export_holds_the_table(city_admin: User, refreshed: Refresh) -> None:
    url = reverse("reports:export_csv", args=["districts"])
    response = _as(city_admin).get(url, PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, chaoyang, total = rows
    assert header[:3] == ["区", "收件", "受理"]
    assert chaoyang[0] == "朝阳区" and total[0] == "合计"
    figures = dict(zip(header, chaoyang, strict=True))
    assert figures["收件"] == "2" and figures["90%办结用时（工作日）"] == "8"
    assert figures["承诺时限内办结率（%）"] == "66.7"


def test_the_excel_export_opens_with_the_same_figures(
    district_admin: User, refreshed: Refresh
) -> None:
    url = reverse("reports:export_xlsx", args=["departments"])
    response = _as(district_admin).get(url, PERIOD)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "统计" and sheet["A2"].font.bold and not sheet["A3"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "统计期间：2024-09-01 至 2024-10-31"
    header = rows[1]
    assert header[0] == "审批部门" and "收件" not in header  # departments decide cases only
    by_department = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert by_department["朝阳区消防救援支队"]["90%办结用时（工作日）"] == 8
    assert by_department["合计"]["单项审批办结"] == 3


def test_the_reform_page_shows_each_industry(city_admin: User, beijing_catalogue: object) -> None:
    page = _as(city_admin).get(reverse("reports:reform")).content.decode()
    assert page.count("<tr>") == 41  # the header and forty industries
    assert "餐饮店" in page and "→" in page


def test_a_district_admin_files_their_work_plan(district_admin: User) -> None:
    data = {
        "filed_on": "2023-03-20",
        "title": "朝阳区一业一证改革实施方案",
        "reference": "朝政办发〔2023〕3号",
    }
    response = _as(district_admin).post(reverse("reports:work_plan_new"), data)
    assert response.status_code == 302
    filing = WorkPlanFiling.objects.get()
    assert filing.district == district_admin.district
    page = _as(district_admin).get(reverse("reports:rollout")).content.decode()
    assert "朝政办发〔2023〕3号" in page and "海淀区" not in page


def test_the_same_reference_twice_is_refused_and_nothing_changes(district_admin: User) -> None:
    data = {"filed_on": "2023-03-20", "title": "方案", "reference": "朝政办发〔2023〕3号"}
    _as(district_admin).post(reverse("reports:work_plan_new"), data)
    response = _as(district_admin).post(reverse("reports:work_plan_new"), data)
    assert response.status_code == 400
    assert "本区已有该文号的工作方案备案" in response.content.decode()
    assert WorkPlanFiling.objects.count() == 1


def test_the_city_sees_every_district_on_the_rollout_matrix(
    city_admin: User, beijing_catalogue: object
) -> None:
    page = _as(city_admin).get(reverse("reports:rollout")).content.decode()
    assert "海淀区" in page and "延庆区" in page and "未备案" in page
    assert "全程网办" in page or "部分网办" in page or "窗口办理" in page
