"""The applications API, end to end with the small fixture catalogue, tried by every persona.

The large 朝阳区 restaurant of the factories (400 ㎡, not a chain) needs the food licence and the
fire check: five materials, and the fire check may go by commitment (告知承诺).
"""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onelicense.applications.models import Application, MaterialFile
from onelicense.applications.tests.factories import (
    ANSWERS,
    FORM,
    MATERIALS,
    PDF,
    PNG,
    draft,
    filled,
    submitted,
)

pytestmark = pytest.mark.usefixtures("small_catalogue")

CHINESE = re.compile(r"[\u4e00-\u9fff]")
BASE = "/api/v1/applications"
NEW = {"industry": "restaurant", "district": "110105"}


def _client(user: Any = None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _json(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    if status == 204:
        return None
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _post(client: Client, url: str, body: Any = None, status: int = 200, **headers: Any) -> Any:
    response = client.post(url, body or {}, content_type="application/json", headers=headers)
    return _json(response, status)


def _patch(client: Client, url: str, body: Any, status: int = 200) -> Any:
    return _json(client.patch(url, body, content_type="application/json"), status)


def _get(client: Client, url: str, status: int = 200) -> Any:
    return _json(client.get(url), status)


def _upload(
    client: Client, code: Any, material: str, content: bytes = PDF, status: int = 201
) -> Any:
    upload = SimpleUploadedFile("材料.pdf", content, content_type="application/pdf")
    response = client.post(f"{BASE}/{code}/materials", {"material": material, "file": upload})
    return _json(response, status)


def _error(body: dict[str, Any], code: str) -> dict[str, Any]:
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code, body
    assert CHINESE.search(body["message"]), body["message"]
    return body


class TestAnonymous:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", ""),
            ("post", ""),
            ("get", "/{code}"),
            ("patch", "/{code}"),
            ("post", "/{code}/materials"),
            ("delete", "/{code}/materials/1"),
            ("post", "/{code}/commitments"),
            ("post", "/{code}/submit"),
            ("post", "/{code}/withdraw"),
            ("post", "/{code}/accept"),
            ("post", "/{code}/refuse"),
        ],
    )
    def test_every_operation_asks_to_sign_in(self, applicant, method, path):
        code = draft(applicant).code
        call = getattr(Client(), method)

        response = call(BASE + path.format(code=code), {}, content_type="application/json")

        body = _error(_json(response, 401), "not_authenticated")
        assert body["message"] == "请先登录"


class TestCreate:
    def test_an_applicant_opens_a_draft(self, applicant):
        body = _post(_client(applicant), BASE, NEW, status=201)

        assert body["status"] == "draft"
        assert body["status_label"] == "草稿"
        assert body["channel"] == "online"
        assert body["number"] is None
        assert body["industry"] == {"code": "restaurant", "name": "餐饮店"}
        assert body["district"] == {"code": "110105", "name": "朝阳区"}
        assert body["version"]["code"] == "test-small"
        assert body["links"]["detail"] == f"{BASE}/{body['code']}"
        assert body["problems"]["answers.area"] == "请回答此问题"
        assert [e["verb"] for e in body["timeline"]] == ["application_created"]
        assert body["timeline"][0]["label"] == "创建申请"

    def test_the_same_idempotency_key_gives_back_the_same_draft(self, applicant):
        client = _client(applicant)

        first = _post(client, BASE, NEW, status=201, **{"Idempotency-Key": "k-1"})
        retry = _post(client, BASE, NEW, status=200, **{"Idempotency-Key": "k-1"})

        assert retry["code"] == first["code"]
        assert Application.objects.count() == 1

    def test_without_a_key_each_request_opens_a_draft(self, applicant):
        client = _client(applicant)

        _post(client, BASE, NEW, status=201)
        _post(client, BASE, NEW, status=201)

        assert Application.objects.count() == 2

    def test_a_key_is_one_users_own(self, applicant, other_applicant):
        _post(_client(applicant), BASE, NEW, status=201, **{"Idempotency-Key": "k-1"})
        _post(_client(other_applicant), BASE, NEW, status=201, **{"Idempotency-Key": "k-1"})

        assert Application.objects.count() == 2

    def test_a_key_reused_for_another_industry_is_refused(self, applicant):
        client = _client(applicant)
        _post(client, BASE, NEW, status=201, **{"Idempotency-Key": "k-1"})

        other = NEW | {"industry": "coffee_shop"}
        body = _post(client, BASE, other, status=422, **{"Idempotency-Key": "k-1"})

        assert set(_error(body, "idempotency_key_reused")["fields"]) == {"Idempotency-Key"}
        assert Application.objects.count() == 1

    def test_an_overlong_key_is_refused(self, applicant):
        body = _post(_client(applicant), BASE, NEW, status=422, **{"Idempotency-Key": "k" * 65})

        assert set(_error(body, "invalid_request")["fields"]) == {"Idempotency-Key"}

    def test_a_district_not_offering_the_industry_says_so(self, applicant):
        body = {"industry": "coffee_shop", "district": "110119"}

        error = _error(_post(_client(applicant), BASE, body, status=422), "industry_not_offered")

        assert error["fields"] == {"district": "该区暂未开通此行业"}
        assert Application.objects.count() == 0

    def test_an_unknown_industry_answers_404(self, applicant):
        body = NEW | {"industry": "spaceport"}

        _error(_post(_client(applicant), BASE, body, status=404), "industry_not_found")

    def test_a_malformed_request_names_its_fields(self, applicant):
        body = _post(_client(applicant), BASE, {"district": "chaoyang"}, status=422)

        assert set(_error(body, "invalid_request")["fields"]) == {"industry", "district"}

    def test_a_clerk_files_at_the_window_with_the_consent(self, clerk):
        client = _client(clerk)

        refused = _post(client, BASE, NEW, status=422)
        body = _post(client, BASE, NEW | {"consent": "申请人当面委托"}, status=201)

        assert _error(refused, "consent_required")["fields"] == {"consent": "请填写申请人授权情况"}
        assert body["channel"] == "window"

    def test_a_clerk_of_another_district_cannot_file_here(self, other_clerk):
        body = _post(_client(other_clerk), BASE, NEW | {"consent": "委托"}, status=403)

        _error(body, "forbidden")

    def test_a_reviewer_cannot_open_an_application(self, market_reviewer):
        _error(_post(_client(market_reviewer), BASE, NEW, status=403), "forbidden")

    def test_a_write_without_the_csrf_token_is_refused(self, applicant):
        client = _client(applicant, enforce_csrf_checks=True)

        body = _post(client, BASE, NEW, status=403)

        _error(body, "csrf_failed")
        assert Application.objects.count() == 0


class TestRead:
    def test_lists_only_my_applications_newest_first(self, applicant, other_applicant):
        older = draft(applicant)
        newer = submitted(applicant)
        draft(other_applicant)

        body = _get(_client(applicant), BASE)

        assert body["count"] == 2
        assert [a["code"] for a in body["items"]] == [str(newer.code), str(older.code)]
        assert body["items"][0]["number"] == newer.number
        assert body["items"][0]["enterprise_name"] == "北京味道餐饮有限公司"

    def test_lists_by_status_and_by_page(self, applicant):
        draft(applicant)
        draft(applicant)
        submitted(applicant)
        client = _client(applicant)

        drafts = _get(client, f"{BASE}?status=draft")
        page = _get(client, f"{BASE}?limit=1&offset=1")

        assert drafts["count"] == 2
        assert {a["status"] for a in drafts["items"]} == {"draft"}
        assert page["count"] == 3
        assert len(page["items"]) == 1
        _error(_get(client, f"{BASE}?status=lost", status=422), "invalid_request")

    def test_a_draft_shows_what_stops_submission(self, applicant):
        application = filled(applicant, skip=("floor_plan",))

        body = _get(_client(applicant), f"{BASE}/{application.code}")

        assert body["answers"] == ANSWERS
        assert body["form_data"]["uscc"] == FORM["uscc"]
        assert [i["code"] for i in body["items"]] == ["food_business_licence", "fire_safety_check"]
        assert body["items"][0]["department"] == "朝阳区市场监督管理局"
        assert body["items"][1]["route"] == "standard"
        assert len(body["materials"]) == 4
        assert body["problems"] == {"materials.floor_plan": "请上传此材料"}

    def test_another_applicant_is_told_nothing_exists(self, applicant, other_applicant):
        application = draft(applicant)

        body = _get(_client(other_applicant), f"{BASE}/{application.code}", status=404)

        _error(body, "application_not_found")

    def test_an_unknown_application_answers_404(self, applicant):
        url = f"{BASE}/00000000-0000-0000-0000-000000000000"

        _error(_get(_client(applicant), url, status=404), "application_not_found")

    def test_a_malformed_code_is_refused(self, applicant):
        _error(_get(_client(applicant), f"{BASE}/not-a-uuid", status=422), "invalid_request")

    def test_the_window_sees_its_districts_applications_but_another_district_does_not(
        self, applicant, clerk, other_clerk
    ):
        application = submitted(applicant)
        url = f"{BASE}/{application.code}"

        assert _get(_client(clerk), url)["number"] == application.number
        _error(_get(_client(other_clerk), url, status=404), "application_not_found")


class TestUpdate:
    def test_answers_and_form_are_saved_and_the_items_follow(self, applicant):
        application = draft(applicant)
        client = _client(applicant)

        body = _patch(client, f"{BASE}/{application.code}", {"answers": ANSWERS, "form_data": FORM})

        assert body["answers"] == ANSWERS
        assert body["form_data"]["enterprise_name"] == "北京味道餐饮有限公司"
        assert [i["code"] for i in body["items"]] == ["food_business_licence", "fire_safety_check"]
        assert "answers.area" not in body["problems"]
        assert "materials.business_licence" in body["problems"]

    def test_a_bad_value_saves_nothing_and_names_the_field(self, applicant):
        application = draft(applicant)
        bad = {"answers": ANSWERS, "form_data": FORM | {"contact_phone": "123"}}

        body = _patch(_client(applicant), f"{BASE}/{application.code}", bad, status=422)

        assert _error(body, "invalid_form")["fields"] == {
            "contact_phone": "请填写 11 位手机号码，如 13800138000"
        }
        application.refresh_from_db()
        assert application.answers == {}

    def test_bad_answers_name_each_question(self, applicant):
        application = draft(applicant)
        url = f"{BASE}/{application.code}"

        body = _patch(_client(applicant), url, {"answers": {"area": -1}}, status=422)

        assert _error(body, "invalid_answers")["fields"] == {"area": "不能小于 1㎡"}

    def test_the_commitment_route_is_chosen_where_the_item_allows_it(self, applicant):
        application = filled(applicant)
        url = f"{BASE}/{application.code}"
        client = _client(applicant)

        chosen = _patch(client, url, {"routes": {"fire_safety_check": "commitment"}})
        refused = _patch(client, url, {"routes": {"food_business_licence": "commitment"}}, 422)

        assert chosen["routes"] == {"fire_safety_check": "commitment"}
        assert chosen["items"][1]["route"] == "commitment"
        assert chosen["problems"] == {"commitments.fire_safety_check": "请签署告知承诺书"}
        assert _error(refused, "invalid_route")["fields"] == {
            "food_business_licence": "该事项不适用告知承诺"
        }

    def test_another_applicant_cannot_change_it(self, applicant, other_applicant):
        application = draft(applicant)
        url = f"{BASE}/{application.code}"

        _patch(_client(other_applicant), url, {"answers": ANSWERS}, status=404)

        application.refresh_from_db()
        assert application.answers == {}

    def test_a_submitted_application_cannot_be_changed(self, applicant):
        application = submitted(applicant)
        url = f"{BASE}/{application.code}"

        body = _patch(_client(applicant), url, {"form_data": {"contact_phone": ""}}, status=409)

        _error(body, "application_not_draft")


class TestMaterials:
    def test_a_pdf_is_stored_and_a_fake_pdf_is_refused(self, applicant):
        application = services_saved(applicant)
        client = _client(applicant)

        stored = _upload(client, application.code, "business_licence")
        fake = _upload(
            client, application.code, "floor_plan", b"<html>not a pdf</html>", status=415
        )

        assert stored["material"] == "business_licence"
        assert stored["material_name"] == "营业执照"
        assert stored["content_type"] == "application/pdf"
        assert stored["size"] == len(PDF)
        assert stored["name"] == "材料.pdf"
        assert _error(fake, "file_type_not_allowed")["fields"] == {
            "file": "文件内容不是 PDF、JPG 或 PNG"
        }
        assert MaterialFile.objects.count() == 1

    def test_a_png_is_stored_as_a_png_whatever_its_name(self, applicant):
        application = services_saved(applicant)

        stored = _upload(_client(applicant), application.code, "floor_plan", PNG)

        assert stored["content_type"] == "image/png"

    def test_a_material_the_application_does_not_need_is_refused(self, applicant):
        application = draft(applicant)  # no answers yet: no items, no materials

        body = _upload(_client(applicant), application.code, "floor_plan", status=422)

        _error(body, "material_not_required")

    def test_a_file_too_large_is_refused(self, applicant, settings, monkeypatch):
        from onelicense.applications import services

        monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
        application = services_saved(applicant)

        body = _upload(_client(applicant), application.code, "floor_plan", status=413)

        _error(body, "file_too_large")

    def test_the_file_is_required(self, applicant):
        application = services_saved(applicant)
        url = f"{BASE}/{application.code}/materials"

        body = _json(_client(applicant).post(url, {"material": "floor_plan"}), 422)

        assert set(_error(body, "invalid_request")["fields"]) == {"file"}

    def test_an_uploaded_file_is_removed(self, applicant):
        application = services_saved(applicant)
        client = _client(applicant)
        stored = _upload(client, application.code, "floor_plan")
        url = f"{BASE}/{application.code}/materials/{stored['id']}"

        _json(client.delete(url), 204)
        again = _json(client.delete(url), 404)

        _error(again, "file_not_found")
        assert MaterialFile.objects.count() == 0

    def test_another_applicant_can_neither_upload_nor_remove(self, applicant, other_applicant):
        application = services_saved(applicant)
        stored = _upload(_client(applicant), application.code, "floor_plan")
        client = _client(other_applicant)

        _upload(client, application.code, "floor_plan", status=404)
        url = f"{BASE}/{application.code}/materials/{stored['id']}"
        _json(client.delete(url), 404)

        assert MaterialFile.objects.count() == 1


def services_saved(applicant: Any) -> Application:
    """A draft with the large restaurant's answers and form, and no materials yet."""
    return filled(applicant, skip=tuple(MATERIALS))


class TestCommitments:
    def test_signing_puts_the_item_on_the_commitment_route(self, applicant):
        application = filled(applicant)
        client = _client(applicant)
        url = f"{BASE}/{application.code}/commitments"

        signed = _post(client, url, {"item": "fire_safety_check", "signer_name": "张明"}, 201)
        body = _get(client, f"{BASE}/{application.code}")

        assert signed["item"] == "fire_safety_check"
        assert signed["signer_name"] == "张明"
        assert signed["text"] == "本单位承诺场所符合消防技术标准和管理规定。"
        assert body["routes"] == {"fire_safety_check": "commitment"}
        assert [c["item"] for c in body["commitments"]] == ["fire_safety_check"]
        assert body["problems"] == {}

    def test_an_item_without_the_commitment_route_is_refused(self, applicant):
        application = filled(applicant)
        url = f"{BASE}/{application.code}/commitments"
        item = {"item": "food_business_licence", "signer_name": "张明"}

        body = _post(_client(applicant), url, item, status=422)

        _error(body, "commitment_not_allowed")

    def test_the_signer_is_named(self, applicant):
        application = filled(applicant)
        url = f"{BASE}/{application.code}/commitments"
        item = {"item": "fire_safety_check", "signer_name": " "}

        body = _post(_client(applicant), url, item, status=422)

        assert _error(body, "signer_required")["fields"] == {"signer_name": "请填写承诺人姓名"}


class TestSubmitAndWithdraw:
    def test_submit_gives_a_number_and_a_second_submit_the_same(self, applicant):
        application = filled(applicant)
        client = _client(applicant)
        url = f"{BASE}/{application.code}/submit"

        first = _post(client, url)
        again = _post(client, url)

        assert first["status"] == "submitted"
        assert re.fullmatch(r"11010520\d{6}0001", first["number"])
        assert again["number"] == first["number"]
        assert first["problems"] == {}
        assert [i["code"] for i in first["items"]] == ["food_business_licence", "fire_safety_check"]
        verbs = [e["verb"] for e in again["timeline"]]
        assert verbs.count("application_submitted") == 1

    def test_an_incomplete_application_lists_its_problems(self, applicant):
        application = draft(applicant)

        body = _post(_client(applicant), f"{BASE}/{application.code}/submit", status=422)

        fields = _error(body, "application_incomplete")["fields"]
        assert fields == {
            "answers.area": "请回答此问题",
            "answers.chain": "请回答此问题",
            "items": "根据您的回答，没有需要办理的审批事项",
            "form.enterprise_name": "此项必填",
            "form.uscc": "此项必填",
            "form.legal_representative": "此项必填",
            "form.legal_rep_id_number": "此项必填",
            "form.contact_phone": "此项必填",
            "form.premises_address": "此项必填",
        }
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT

    def test_another_applicant_cannot_submit(self, applicant, other_applicant):
        application = filled(applicant)

        _post(_client(other_applicant), f"{BASE}/{application.code}/submit", status=404)

        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT

    def test_a_submitted_application_is_withdrawn_with_the_reason(self, applicant):
        application = submitted(applicant)

        url = f"{BASE}/{application.code}/withdraw"
        body = _post(_client(applicant), url, {"reason": "改为下月再申请"})

        assert body["status"] == "withdrawn"
        assert body["timeline"][-1]["verb"] == "application_withdrawn"
        assert body["timeline"][-1]["reason"] == "改为下月再申请"

    def test_a_refused_application_cannot_be_withdrawn(self, applicant, clerk):
        application = submitted(applicant)
        refusal = {"reason": "不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条"}
        _post(_client(clerk), f"{BASE}/{application.code}/refuse", refusal)

        body = _post(_client(applicant), f"{BASE}/{application.code}/withdraw", status=409)

        _error(body, "application_not_withdrawable")


class TestWindow:
    def test_the_districts_clerk_accepts(self, applicant, clerk):
        application = submitted(applicant)

        body = _post(_client(clerk), f"{BASE}/{application.code}/accept", {"deferred": []})

        assert body["status"] == "accepted"
        assert body["decided_at"]
        assert body["promised_date"]
        assert body["timeline"][-1]["verb"] == "application_accepted"
        assert body["timeline"][-1]["actor"] == "clerk_chaoyang"

    def test_a_deferral_of_a_material_that_cannot_wait_is_refused(self, applicant, clerk):
        application = submitted(applicant)
        url = f"{BASE}/{application.code}/accept"

        body = _post(_client(clerk), url, {"deferred": ["floor_plan"]}, status=422)

        fields = _error(body, "materials_incomplete")["fields"]
        assert set(fields) == {"floor_plan"}
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED

    def test_a_clerk_of_another_district_is_refused(self, applicant, other_clerk):
        application = submitted(applicant)

        body = _post(_client(other_clerk), f"{BASE}/{application.code}/accept", status=404)

        _error(body, "application_not_found")
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED

    def test_the_applicant_cannot_accept_their_own(self, applicant):
        application = submitted(applicant)

        body = _post(_client(applicant), f"{BASE}/{application.code}/accept", status=403)

        _error(body, "forbidden")

    def test_a_draft_cannot_be_accepted(self, applicant, clerk):
        application = filled(applicant)

        # The window sees its district's submitted applications, not drafts in progress.
        assert (
            _client(clerk).post(f"{BASE}/{application.code}/accept", {}, "application/json")
        ).status_code in (404, 409)

    def test_a_refusal_needs_a_reason_and_a_legal_basis(self, applicant, clerk):
        application = submitted(applicant)
        url = f"{BASE}/{application.code}/refuse"

        blank = _post(_client(clerk), url, {"reason": " ", "legal_basis": ""}, status=422)
        missing = _post(_client(clerk), url, {"legal_basis": "行政许可法第三十二条"}, status=422)

        assert set(_error(blank, "refusal_incomplete")["fields"]) == {"reason", "legal_basis"}
        assert set(_error(missing, "invalid_request")["fields"]) == {"reason"}
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED

    def test_the_clerk_refuses_with_reasons(self, applicant, clerk):
        application = submitted(applicant)
        refusal = {
            "reason": "申请事项依法不需要取得行政许可",
            "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（一）项",
        }

        body = _post(_client(clerk), f"{BASE}/{application.code}/refuse", refusal)

        assert body["status"] == "refused"
        assert body["refusal_reason"] == refusal["reason"]
        assert body["refusal_basis"] == refusal["legal_basis"]

    def test_a_clerk_of_another_district_cannot_refuse(self, applicant, other_clerk):
        application = submitted(applicant)
        refusal = {"reason": "理由", "legal_basis": "依据"}

        _post(_client(other_clerk), f"{BASE}/{application.code}/refuse", refusal, status=404)

        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED


def test_the_whole_online_path_through_the_api(applicant, clerk):
    """Create, answer, fill, upload, sign, submit, and the window accepts."""
    client = _client(applicant)
    created = _post(client, BASE, NEW, status=201, **{"Idempotency-Key": "journey"})
    code = created["code"]
    assert _post(client, BASE, NEW, status=200, **{"Idempotency-Key": "journey"})["code"] == code

    plan = _patch(client, f"{BASE}/{code}", {"answers": ANSWERS, "form_data": FORM})
    assert [i["code"] for i in plan["items"]] == ["food_business_licence", "fire_safety_check"]
    for material in MATERIALS:
        _upload(client, code, material)
    _upload(client, code, "floor_plan", b"GIF89a fake", status=415)
    sign = {"item": "fire_safety_check", "signer_name": "张明"}
    _post(client, f"{BASE}/{code}/commitments", sign, status=201)

    number = _post(client, f"{BASE}/{code}/submit")["number"]
    assert _post(client, f"{BASE}/{code}/submit")["number"] == number

    accepted = _post(_client(clerk), f"{BASE}/{code}/accept")
    assert accepted["status"] == "accepted"
    assert [e["verb"] for e in accepted["timeline"]] == [
        "application_created",
        *["material_uploaded"] * len(MATERIALS),
        "commitment_signed",
        "application_submitted",
        "application_accepted",
        "case_approved",  # the fire check, taken on the commitment route, granted at once
    ]
    mine = _get(client, BASE)
    assert [(a["code"], a["status"]) for a in mine["items"]] == [(code, "accepted")]


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    from onelicense.api import api

    paths = api.get_openapi_schema()["paths"]
    return [
        (path, method, op)
        for path, ops in paths.items()
        if path.startswith(BASE)
        for method, op in ops.items()
    ]


@pytest.mark.parametrize(("path", "method", "operation"), _operations())
def test_every_operation_is_documented_with_its_session_auth_and_errors(path, method, operation):
    error = {"$ref": "#/components/schemas/ErrorOut"}

    assert operation["security"] == [{"SessionAuth": []}], f"{method} {path}"
    for status in (401, 403, 404, 422) if "{code}" in path else (401, 422):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == error, f"{method} {path} {status}"
    assert {200, 201, 204} & set(operation["responses"]), f"{method} {path}"


def test_the_window_operations_are_tagged_for_the_window():
    tags = {(path, method): op["tags"] for path, method, op in _operations()}

    assert tags[(f"{BASE}/{{code}}/accept", "post")] == ["综合窗口"]
    assert tags[(f"{BASE}/{{code}}/refuse", "post")] == ["综合窗口"]
    assert tags[(f"{BASE}/{{code}}/submit", "post")] == ["申请"]
