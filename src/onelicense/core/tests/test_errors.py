import pytest


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_in_chinese(client) -> None:
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "接口地址不存在", "fields": {}}


@pytest.mark.django_db
def test_api_answers_carry_chinese_as_utf8(client, small_catalogue) -> None:
    response = client.get("/api/v1/industries/nowhere")
    assert response.status_code == 404
    assert "未找到该行业".encode() in response.content
