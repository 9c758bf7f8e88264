"""Issuing a certificate (颁发综合许可凭证): face, QR token, PDF, PAdES e-seal, and the library
record and archive package queued in the outbox.

Completed 餐饮店 applications in 朝阳区 are built through the services first (answers, the one
form, materials, acceptance, three departments approving); then each is issued once and timed,
with the PDF and the seal also timed on their own. Target: median ≤ 100 ms (told, not asserted).
"""

import argparse
import json
import random
import statistics
import time
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile

from onelicense.accounts.models import Department, District, User
from onelicense.applications import services as intake
from onelicense.applications.models import Application
from onelicense.applications.samples import sample_form
from onelicense.applications.selectors import application_plan
from onelicense.approvals import services as review
from onelicense.catalogue.selectors import offering_get
from onelicense.catalogue.services import offerings_open
from onelicense.exchange.archive import ArchiveBackend
from onelicense.licences import services as licences
from onelicense.licences.keys import district_key
from onelicense.licences.pdf import certificate_pdf
from onelicense.licences.seal import pdf_seal

TITLE = "issue：颁发综合许可凭证（证面、二维码、PDF、电子印章、证照库与归档入队）"
TARGET_MS = 100.0
ANSWERS = {
    "area": 200,
    "chain": False,
    "investment": 50,
    "alcohol": True,
    "tobacco": True,
    "outdoor_sign": False,
    "prepaid_card": False,
}
PDF = b"%PDF-1.4\n% benchmark material\n%%EOF\n"


def _person(username: str, **fields: object) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults=fields)
    return user


def _completed(index: int, people: dict[str, User], rng: random.Random) -> Application:
    applicant = people["applicant"]
    application = intake.application_create(
        actor=applicant, industry_code="restaurant", district_code="110105"
    )
    application = intake.application_save(application=application, actor=applicant, answers=ANSWERS)
    plan = application_plan(application)
    application = intake.application_save(
        application=application, actor=applicant, form_data=sample_form(plan, rng)
    )
    for merged in plan.materials:
        intake.material_upload(
            application=application,
            actor=applicant,
            material_code=merged.material.code,
            upload=SimpleUploadedFile(f"{index}.pdf", PDF),
        )
    application = intake.application_submit(application=application, actor=applicant)
    application = intake.application_accept(application=application, clerk=people["clerk"])
    for case in application.cases.select_related("item__department"):
        review.case_approve(case=case, reviewer=people[case.item.department.code])
    application.refresh_from_db()
    return application


def _people() -> dict[str, User]:
    chaoyang = District.objects.get(code="110105")
    people = {
        "applicant": _person("bench_applicant"),
        "clerk": _person("bench_clerk", role=User.Role.CLERK, district=chaoyang),
        "admin": _person("bench_admin", role=User.Role.DISTRICT_ADMIN, district=chaoyang),
    }
    for kind in ("market_regulation", "fire_rescue", "tobacco"):
        office = Department.objects.get(district=chaoyang, kind__code=kind)
        people[kind] = _person(f"bench_{kind}", role=User.Role.REVIEWER, department=office)
    return people


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):7.1f}   p95 {p95:7.1f}   max {ordered[-1]:7.1f}"


def run(options: argparse.Namespace, out: TextIO) -> None:
    count = min(options.n, 40)
    chaoyang = District.objects.get(code="110105")
    if offering_get(district=chaoyang, industry_code="restaurant") is None:
        import datetime

        offerings_open(
            districts=[chaoyang],
            industry_codes=["restaurant"],
            live_from=datetime.date(2023, 11, 30),
        )
    people = _people()
    rng = random.Random(options.seed)
    out.write(f"准备 {count + 3} 件已办结的餐饮店申请（朝阳区，3 个部门审批）……\n")
    out.flush()
    applications = [_completed(i, people, rng) for i in range(count + 3)]
    key = district_key(chaoyang)
    issue, pdf, seal, archive = [], [], [], []
    for i, application in enumerate(applications):
        start = time.perf_counter()
        certificate = licences.certificate_issue(application=application, admin=people["admin"])
        elapsed = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        content = certificate_pdf(certificate, licences.verify_url(certificate.token))
        pdf_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        pdf_seal(content, key)
        seal_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        ArchiveBackend().send(
            key="", recipient="", subject="", body=json.dumps({"certificate": certificate.pk})
        )
        archive_ms = (time.perf_counter() - start) * 1000
        if i >= 3:  # the first issues warm the font, the keys and the caches
            issue.append(elapsed)
            pdf.append(pdf_ms)
            seal.append(seal_ms)
            archive.append(archive_ms)
    out.write(f"颁发（全部步骤，{count} 次，ms）：{_ms(issue)}\n")
    out.write(f"  其中 证面 PDF（ms）：          {_ms(pdf)}\n")
    out.write(f"  其中 电子印章 PAdES（ms）：     {_ms(seal)}\n")
    out.write(f"之后由 worker 写电子档案包（ms）：{_ms(archive)}\n")
    verdict = "达到" if statistics.median(issue) <= TARGET_MS else "未达到"
    out.write(f"目标：颁发中位数 ≤ {TARGET_MS:g} ms，{verdict}\n")
