"""The OpenAPI schema: generated, valid, and listing the resources."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token


def test_the_schema_is_an_openapi_3_document_listing_units_and_people(personas, client_for):
    response = client_for(personas.officer).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "ThiĐua API"
    for path in ["/api/v1/units/", "/api/v1/units/{id}/", "/api/v1/people/", "/api/v1/people/{id}/"]:
        assert "get" in schema["paths"][path], path
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    params = {p["name"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert {"q", "unit", "gender", "page"} <= params


def test_the_schema_is_served_as_yaml_by_default_and_to_token_holders(personas):
    token = Token.objects.create(user=personas.staff)
    response = Client().get("/api/v1/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_schema_needs_authentication(db):
    assert Client().get("/api/v1/schema/", {"format": "json"}).status_code == 401
    assert Client().get("/api/v1/docs/").status_code == 401


def test_manage_py_spectacular_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    stderr = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=stderr)
    assert out.read_text(encoding="utf-8").startswith("openapi: 3.")
    assert "Warning" not in stderr.getvalue()


def test_every_operation_documents_its_error_answers_in_the_error_shape(personas, client_for):
    schema = json.loads(client_for(personas.officer).get("/api/v1/schema/", {"format": "json"}).content)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]["error"]["required"]) == {"code", "message", "fields"}
    operations = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            operations += 1
            responses = operation["responses"]
            expected = {"401", "403"}
            if "{" in path or method != "get":
                expected.add("404")
            if method != "get" or any(p["in"] == "query" for p in operation.get("parameters", [])):
                expected.add("400")
            assert expected <= set(responses), f"{method.upper()} {path}: {sorted(responses)}"
            for code in expected:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"
                assert responses[code]["description"]
    assert operations > 60
