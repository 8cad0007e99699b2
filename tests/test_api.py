"""/api/v1/: the OpenAPI document validates, and every documented endpoint answers as documented."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from arrears.accounts.services import token_issue, token_revoke
from tests.conftest import make_case
from tests.intake._factory import data_row, table, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def bearer(user, role=None):
    _token, secret = token_issue(actor=None, user=user, name="test", role=role or user.role)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def check(spec, method: str, path: str, response) -> None:
    """The response's status is documented for the operation and its body matches the schema."""
    operation = spec["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method.upper()} {path} answered {response.status_code}, not documented"
    schema = documented["content"]["application/json"]["schema"]
    # "#/components/…" references resolve against the schema's own root, so carry them along.
    root = {**schema, "components": spec.get("components", {})}
    OAS31Validator(root).validate(response.json())


def test_openapi_document_validates(spec):
    validate(spec)
    assert spec["info"]["version"] == "1"


def test_every_documented_endpoint_answers_as_documented(client, spec, placement, manager, alice):
    case = make_case(placement, collector=alice)
    headers = bearer(manager)
    upload = xlsx_bytes(table(data_row(1), data_row(2, 姓名="")))
    payment = {"case_id": case.pk, "amount": "100", "paid_on": "2026-11-20", "channel": "alipay"}
    payment["reference"] = "A-1"
    calls = {
        ("get", "/api/v1/cases"): lambda: client.get("/api/v1/cases", {"q": "张伟"}, **headers),
        ("get", "/api/v1/cases/{case_id}"): lambda: client.get(f"/api/v1/cases/{case.pk}", **headers),
        ("get", "/api/v1/creditors"): lambda: client.get("/api/v1/creditors", **headers),
        ("get", "/api/v1/placements"): lambda: client.get("/api/v1/placements", **headers),
        ("post", "/api/v1/imports"): lambda: client.post(
            "/api/v1/imports",
            {
                "file": SimpleUploadedFile("f.xlsx", upload),
                "creditor": "DHBANK",
                "placement": placement.name,
                "business_date": "2024-08-01",
            },
            **headers,
        ),
        ("get", "/api/v1/imports/{import_id}"): lambda: client.get(
            f"/api/v1/imports/{made['import_id']}", **headers
        ),
        ("post", "/api/v1/payments"): lambda: client.post(
            "/api/v1/payments",
            payment,
            content_type="application/json",
            **headers,
        ),
        ("get", "/api/v1/cases/{case_id}/ledger"): lambda: client.get(
            f"/api/v1/cases/{case.pk}/ledger", **headers
        ),
        # The SMS gateway's reports (tested in depth in tests/messaging/test_sms.py).
        ("post", "/api/v1/messages/receipts"): lambda: client.post(
            "/api/v1/messages/receipts",
            {"receipts": [{"id": "x", "status": "delivered"}]},
            content_type="application/json",
            **headers,
        ),
        ("post", "/api/v1/messages/replies"): lambda: client.post(
            "/api/v1/messages/replies",
            {"from": "+8613800138000", "text": "TD"},
            content_type="application/json",
            **headers,
        ),
    }
    made: dict[str, int] = {}
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert documented == set(calls), "an endpoint was added without a test, or removed"
    for (method, path), call in calls.items():
        response = call()
        assert response.status_code in (200, 201), (path, response.content)
        if path == "/api/v1/imports":
            made["import_id"] = response.json()["import_id"]
        check(spec, method, path, response)
    # error answers are documented too
    missing = client.get("/api/v1/cases/999999", **headers)
    assert missing.status_code == 404
    check(spec, "get", "/api/v1/cases/{case_id}", missing)


def test_import_through_the_api_gives_the_cli_result(client, placement, manager):
    data = xlsx_bytes(table(data_row(1), data_row(2, 姓名="")))
    response = client.post(
        "/api/v1/imports",
        {
            "file": SimpleUploadedFile("f.xlsx", data),
            "creditor": "DHBANK",
            "placement": placement.name,
            "business_date": "2024-08-01",
        },
        **bearer(manager),
    )
    body = response.json()
    assert response.status_code == 201
    assert (body["imported"], body["rejected"], body["errors"][0]["row"]) == (1, 1, 4)
    assert body["errors"][0]["code"] == "name_missing"


def test_no_token_is_401_with_a_json_error(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_revoked_token_is_refused(client, manager):
    token, secret = token_issue(actor=None, user=manager, name="t", role="manager")
    token_revoke(actor=None, token=token)
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_collector_token_sees_own_cases_and_404_for_others(client, placement, alice, bob):
    own, other = make_case(placement, collector=alice), make_case(placement, collector=bob)
    headers = bearer(alice)
    listed = client.get("/api/v1/cases", **headers).json()
    assert [c["id"] for c in listed["results"]] == [own.pk]
    assert client.get(f"/api/v1/cases/{other.pk}", **headers).status_code == 404


def test_token_acts_with_its_role(client, placement, manager, alice):
    make_case(placement, collector=alice)
    # a manager's account with a collector-role token sees only what a collector would: nothing here
    assert client.get("/api/v1/cases", **bearer(manager, role="collector")).json()["count"] == 0
    assert client.get("/api/v1/cases", **bearer(manager)).json()["count"] == 1


def test_outsider_sees_nothing(client, placement, alice, outsider):
    case = make_case(placement, collector=alice)
    headers = bearer(outsider)
    assert client.get("/api/v1/cases", **headers).json()["count"] == 0
    assert client.get(f"/api/v1/cases/{case.pk}", **headers).status_code == 404
    assert client.get("/api/v1/creditors", **headers).json() == []
    assert client.get("/api/v1/placements", **headers).json() == []


def test_errors_speak_the_requests_language(client, manager):
    headers = bearer(manager)
    zh = client.get("/api/v1/cases/999999", **headers).json()["message"]
    en = client.get("/api/v1/cases/999999", HTTP_ACCEPT_LANGUAGE="en", **headers).json()["message"]
    assert re.search(r"[\u4e00-\u9fff]", zh) and en == "Not found."


def test_personal_data_leaves_masked(client, placement, manager, alice):
    case = make_case(placement, collector=alice)
    body = client.get(f"/api/v1/cases/{case.pk}", **bearer(manager)).content.decode()
    assert case.debtor.reveal_id_number() not in body and case.debtor.id_masked in body
    assert "13800138000" not in body and "138****8000" in body


def test_browser_session_works(client, placement, alice):
    make_case(placement, collector=alice)
    client.force_login(alice)
    assert client.get("/api/v1/cases").json()["count"] == 1


def test_case_list_query_budget(client, placement, manager, alice, django_assert_max_num_queries):
    for _ in range(30):
        make_case(placement, collector=alice)
    headers = bearer(manager)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/cases", **headers).json()
    assert len(body["results"]) == 30


def test_a_payment_through_the_api_is_posted_once_and_shows_in_the_ledger(client, placement, manager, alice):
    case = make_case(placement, collector=alice, account="6222000011112222")
    body = {"account_number": "6222000011112222", "amount": "150.00", "paid_on": "2026-11-20",
            "channel": "bank_transfer", "reference": "BANK-77"}  # fmt: skip
    first = client.post("/api/v1/payments", body, content_type="application/json", **bearer(manager))
    again = client.post("/api/v1/payments", body, content_type="application/json", **bearer(manager))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["allocated"] == {"late_fee": "25.00", "interest": "100.00", "principal": "25.00"}
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    other = client.post("/api/v1/payments", {**body, "amount": "151.00"}, content_type="application/json",
                        **bearer(manager))  # fmt: skip
    assert other.status_code == 422 and other.json()["code"]
    blank = client.post("/api/v1/payments", {**body, "reference": "  "}, content_type="application/json",
                        **bearer(manager))  # fmt: skip
    assert blank.status_code == 422
    ledger = client.get(f"/api/v1/cases/{case.pk}/ledger", **bearer(manager)).json()
    assert [e["kind"] for e in ledger].count("payment") == 3
    assert sum(Decimal(e["amount"]) for e in ledger) == Decimal("4975.00")
    # a collector may read the case but not post money
    body["reference"] = "BANK-78"
    refused = client.post("/api/v1/payments", body, content_type="application/json", **bearer(alice))
    assert refused.status_code == 403
