"""The supervision journey, through the pages: a certified restaurant is reported by the public,
sampled for a joint inspection, found seriously at fault, and its food business licence
revoked; the certificate is void and its QR code says so, and the grade falls with its reasons
on the enterprise page."""

import datetime
import re

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from onelicense.licences.models import Permit
from onelicense.supervision import selectors
from onelicense.supervision.models import Complaint, Inspection, SamplingPlan


def text(response) -> str:
    return str(response.content.decode())


def test_from_certificate_to_revocation(
    client, certificate, restaurant, checklist, inspector, fire_inspector
):
    cache.clear()
    # 社会共治: anyone reports the restaurant by its certificate number, without signing in.
    response = client.post(
        reverse("supervision:complaint_new"),
        {"identifier": certificate.number, "content": "后厨卫生很差，发现老鼠，餐具未消毒。"},
    )
    assert response.status_code == 200 and "已收到投诉举报" in text(response)
    complaint = Complaint.objects.get(enterprise=restaurant)

    # The 朝阳区 market inspector accepts it and finds it true: the grade drops to B.
    client.force_login(inspector)
    for status, note in (("accepted", ""), ("substantiated", "现场核实属实")):
        response = client.post(
            reverse("supervision:complaint_handle", args=[complaint.pk]),
            {"status": status, "note": note},
        )
        assert response.status_code == 302
    before = selectors.assessment_latest(restaurant.pk)
    assert before is not None and before.grade == "B"

    # 双随机: a seeded plan draws the restaurant (the only holder in the district).
    response = client.post(
        reverse("supervision:plans"), {"title": "2025年第一季度餐饮抽查", "size": 1, "seed": 7}
    )
    plan = SamplingPlan.objects.get()
    assert response["Location"] == reverse("supervision:plan", args=[plan.pk])
    assert plan.seed == 7 and plan.drawn == [restaurant.uscc]
    page = text(client.get(response["Location"]))
    assert restaurant.name in page and "结果一致" in page

    # 一业一查: market regulation and fire rescue in one visit.
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        reverse("supervision:inspection_new", args=[restaurant.uscc]) + f"?plan={plan.pk}",
        {
            "departments": ["market_regulation", "fire_rescue"],
            "participants": [fire_inspector.pk],
            "planned_for": day.isoformat(),
        },
    )
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("supervision:inspection", args=[inspection.pk])
    assert inspection.plan == plan
    page = text(client.get(reverse("supervision:inbox")))
    assert restaurant.name in page

    # A result at every point: the first a serious failure.
    points = selectors.inspection_points(inspection)
    data = {f"outcome-{p.pk}": "pass" for p in points}
    data[f"outcome-{points[0].pk}"] = "fail"
    data[f"severity-{points[0].pk}"] = "serious"
    data[f"note-{points[0].pk}"] = "无有效食品经营许可公示，后厨鼠患"
    client.post(reverse("supervision:inspection", args=[inspection.pk]), data)
    client.post(reverse("supervision:complete", args=[inspection.pk]), {"summary": "严重违法"})
    inspection.refresh_from_db()
    assert inspection.is_completed

    # A revocation without legal basis is refused and changes nothing.
    permit = Permit.objects.get(holder=restaurant, department__kind__code="market_regulation")
    action = reverse("supervision:action", args=[inspection.pk])
    response = client.post(action, {"kind": "revoke", "permit": permit.pk, "reason": "严重违法"})
    assert "撤销或吊销须写明法律依据" in text(client.get(response["Location"]))
    permit.refresh_from_db()
    assert permit.status == Permit.Status.VALID
    assert client.get(f"/v/{certificate.token}").content.decode().count("已作废") == 0

    # With its legal basis, the food business licence is revoked.
    client.post(
        action,
        {
            "kind": "revoke",
            "permit": permit.pk,
            "reason": "经联合检查发现严重违反食品安全规定",
            "legal_basis": "《中华人民共和国食品安全法》第一百二十六条",
        },
    )
    permit.refresh_from_db()
    assert permit.status == Permit.Status.REVOKED

    # The QR code opens a page that says the certificate is void.
    client.logout()
    live = text(client.get(f"/v/{certificate.token}"))
    assert "ol-verdict--void" in live and "已作废" in live

    # The grade falls to D, and the enterprise page says why.
    client.force_login(inspector)
    page = text(client.get(reverse("supervision:enterprise", args=[restaurant.uscc])))
    after = selectors.assessment_latest(restaurant.pk)
    assert after is not None and after.grade == "D" and after.score < before.score
    assert re.search(r'data-grade="D"', page)
    for label in ("投诉举报经查属实", "联合检查发现严重问题", "许可证件被吊销或撤销"):
        assert label in page
    assert "吊销许可证件" in page and "ol-tag--permit-revoked" in page
