"""The OpenAPI document: served, documented in Chinese, and committed as generated.

`test_committed_document_matches_the_api` is the check CI runs (`manage.py openapi --check`):
after changing an endpoint or a schema, run `python manage.py openapi` and commit the result.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from onelicense.api import api
from onelicense.core.management.commands.openapi import DEFAULT_PATH, openapi_document

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _operations() -> list[tuple[str, str, dict[str, object]]]:
    paths = api.get_openapi_schema()["paths"]
    return [(path, method, op) for path, ops in paths.items() for method, op in ops.items()]


def test_committed_document_matches_the_api():
    assert DEFAULT_PATH.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is out of date: run `python manage.py openapi` and commit it"
    )


def test_check_passes_when_the_document_is_current(capsys):
    call_command("openapi", "--check")

    assert "up to date" in capsys.readouterr().out


def test_check_fails_naming_the_difference_when_the_document_is_stale(tmp_path: Path):
    stale = tmp_path / "openapi.json"
    stale.write_text(openapi_document().replace("行业列表与检索", "旧的摘要"), encoding="utf-8")

    with pytest.raises(CommandError, match="out of date") as failure:
        call_command("openapi", "--check", "--output", str(stale))

    assert '-        "summary": "旧的摘要",' in str(failure.value)
    assert '+        "summary": "行业列表与检索",' in str(failure.value)


def test_check_fails_when_the_document_is_missing(tmp_path: Path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("openapi", "--check", "--output", str(tmp_path / "missing.json"))


def test_writes_a_deterministic_document(tmp_path: Path):
    target = tmp_path / "docs" / "openapi.json"

    call_command("openapi", "--output", str(target))
    text = target.read_text(encoding="utf-8")

    assert text == openapi_document()
    assert text.endswith("}\n")
    assert "行业目录" in text  # Chinese as is, not \u escapes
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_openapi_json_is_served():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == json.loads(openapi_document())


def test_docs_are_served():
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_the_document_describes_the_api_in_chinese():
    info = api.get_openapi_schema()["info"]

    assert CHINESE.search(info["title"])
    assert CHINESE.search(info["description"])


@pytest.mark.parametrize(("path", "method", "operation"), _operations())
def test_every_operation_has_a_chinese_summary_description_and_tag(path, method, operation):
    assert CHINESE.search(operation.get("summary", "")), f"{method} {path}: summary"
    assert CHINESE.search(operation.get("description", "")), f"{method} {path}: description"
    assert operation.get("tags"), f"{method} {path}: tags"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/industries", "/api/v1/industries/{code}", "/api/v1/industries/{code}/guide"],
)
def test_catalogue_operations_document_success_and_error_answers(path):
    responses = api.get_openapi_schema()["paths"][path]["get"]["responses"]
    error = {"$ref": "#/components/schemas/ErrorOut"}

    assert set(responses) == {200, 404, 422}
    for status in (404, 422):
        assert responses[status]["content"]["application/json"]["schema"] == error
