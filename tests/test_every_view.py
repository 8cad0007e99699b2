"""Every URL of the UI and the API, walked with the outsider and a collector of another team: no page
shows them anything of ours. A new URL with an id in it fails here until it is scoped."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from arrears.accounts.services import token_issue
from arrears.intake.services import cases_import
from arrears.payments.models import RepaymentPlan, SuspenseItem, WaiverRequest
from tests.conftest import make_case
from tests.intake._factory import BUSINESS_DATE, data_row, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        else:
            found.append((route, entry))
    return found


@pytest.fixture
def ours(placement, alice, admin_user):
    case = make_case(placement, collector=alice, account="6222999900001111")
    batch = cases_import(
        actor=None,
        creditor=placement.creditor,
        placement=placement,
        filename="f.xlsx",
        data=xlsx_bytes(table(data_row(1))),
        business_date=BUSINESS_DATE,
    ).batch
    token, _secret = token_issue(actor=None, user=alice, name="ours", role="collector")
    item = SuspenseItem.objects.create(
        organisation=placement.organisation,
        filename="bank.xlsx",
        row=3,
        reference="S-1",
        amount="10.00",
        paid_on=BUSINESS_DATE,
        channel="alipay",
        reason="no matching case",
    )
    waiver = WaiverRequest.objects.create(
        case=case,
        kind="waiver",
        amounts={"interest": "10.00"},
        waived="10.00",
        share="0.0020",
        reason="x",
        needs_role="team_lead",
        requested_by=alice,
        requested_at=case.created_at,
    )
    plan = RepaymentPlan.objects.create(
        case=case,
        down_payment="0.00",
        months=3,
        first_due=BUSINESS_DATE,
        waive_interest="0.00",
        waive_fees="0.00",
        plan_total=case.total,
        needs_role="team_lead",
        requested_by=alice,
        requested_at=case.created_at,
    )
    from django.utils import timezone

    from arrears.complaints.models import Dispute
    from arrears.payments.models import PaymentClaim
    from arrears.workbench.models import Script

    now = timezone.now()
    claim = PaymentClaim.objects.create(case=case, claimed_at=now, claimed_by=alice)
    dispute = Dispute.objects.create(case=case, opened_at=now, opened_by=alice, reason="不是我刷的")
    Script.objects.create(
        organisation=placement.organisation, key="ours-only", version=1, stage="any", debtor_type="any",
        title_zh="本机构话术", title_en="Ours", body_zh="您好", body_en="Hello", saved_by=admin_user,
        saved_at=now,
    )  # fmt: skip
    from django.core.files.base import ContentFile

    from arrears.documents.models import Document

    document = Document(case=case, kind="settlement_certificate", number="JQ-T-1", issued_at=now,
                        issued_by=alice, sha256="0" * 64)  # fmt: skip
    document.file.save("JQ-T-1.pdf", ContentFile(b"%PDF-1.4"), save=True)
    from arrears.batch.models import Strategy

    strategy = Strategy.objects.create(
        creditor=placement.creditor, product_type="credit_card", version=1, title="ours", active=True,
        document={"rules": [{"name": "all", "treatment": "call"}], "treatments": {"call": {"actions": []}}},
        saved_at=now,
    )  # fmt: skip
    from arrears.visits.models import Visit, VisitEvidence

    visit = Visit.objects.create(case=case, address="北京市朝阳区建国路 88 号", reason="x", requested_at=now)
    evidence = VisitEvidence(visit=visit, kind="photo", file_format="JPEG", original_name="a.jpg", size=3,
                             sha256="0" * 64, uploaded_by=alice, uploaded_at=now)  # fmt: skip
    evidence.file.save("a.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    from arrears.legal.models import Escalation, Suit

    escalation = Escalation.objects.create(case=case, reason="x", proposed_by=alice, proposed_at=now)
    suit = Suit.objects.create(case=case, court="某法院", case_number="T-1", filed_on=BUSINESS_DATE,
                               recorded_by=admin_user, recorded_at=now)  # fmt: skip
    return {
        "visit": visit,
        "evidence": evidence,
        "escalation": escalation,
        "suit": suit,
        "strategy": strategy,
        "document": document,
        "claim": claim,
        "dispute": dispute,
        "plan": plan,
        "waiver": waiver,
        "suspense": item,
        "case": case,
        "batch": batch,
        "token": token,
        "alice": alice,
        "creditor": placement.creditor,
        "placement": placement,
    }


def _url(route: str, ours: dict) -> str | None:
    """The route with ids of our objects filled in, chosen by what the route is about."""
    if "<" not in route:
        return "/" + route
    target = {
        "cases/": ours["case"].pk,
        "intake/": ours["batch"].pk,
        "creditors/placements/": ours["placement"].pk,
        "creditors/": ours["creditor"].pk,
        "settings/users/": ours["alice"].pk,
        "settings/tokens/": ours["token"].pk,
        "api/v1/cases/": ours["case"].pk,
        "api/v1/imports/": ours["batch"].pk,
        "payments/cases/": ours["case"].pk,
        "payments/suspense/": ours["suspense"].pk,
        "payments/approvals/": ours["waiver"].pk,
        "payments/plans/": ours["plan"].pk,
        "payments/claims/": ours["claim"].pk,
        "complaints/disputes/": ours["dispute"].pk,
        "workbench/cases/": ours["case"].pk,
        "workbench/scripts/": "ours-only",
        "documents/cases/": ours["case"].pk,
        "documents/creditors/": ours["creditor"].pk,
        "documents/": ours["document"].pk,
        "batch/strategies/": ours["strategy"].pk,
        "messaging/cases/": ours["case"].pk,
        "messaging/templates/": ours["creditor"].pk,
        "messaging/creditors/": ours["creditor"].pk,
        "messaging/unsubscribe/": "not-a-signed-token",
        "visits/cases/": ours["case"].pk,
        "visits/evidence/": ours["evidence"].pk,
        "visits/": ours["visit"].pk,
        "legal/cases/": ours["case"].pk,
        "legal/escalations/": ours["escalation"].pk,
        "legal/suits/": ours["suit"].pk,
    }
    fixed = {"field": "id_number", "which": "original"}
    for start, pk in target.items():
        if route.startswith(start):
            return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, pk=pk: fixed.get(m.group(1), str(pk)), route)
    return None


@pytest.mark.parametrize("persona", ["outsider", "carol"])
def test_no_url_shows_our_data_to_someone_outside_its_scope(client, ours, request, persona, other_org):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    unscoped = []
    for route, _pattern in _patterns(get_resolver()):
        if "openapi" in route or route.startswith("i18n/") or route.startswith("logout"):
            continue
        url = _url(route.replace("^", "").replace("$", ""), ours)
        if url is None:
            unscoped.append(route)
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            if "<" in route:
                assert response.status_code in (403, 404, 405), (method, url, response.status_code)
            assert ours["case"].account_number not in body, (method, url)
            assert ours["case"].debtor.id_masked not in body, (method, url)
    assert unscoped == [], "a URL with an id the test does not know how to fill"
