"""``/api/v1/``: the REST API, with its OpenAPI document at ``/api/v1/openapi.json``.

Systems authenticate with a bearer token, the browser with its session. Every read goes through
the same selectors and access choke point as the UI; errors are JSON ``{"code", "message"}`` in
the request's language (``Accept-Language``). The interactive docs page is off: it would load its
scripts from a CDN, which a bank intranet cannot reach.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.responses import Status

from arrears.api.auth import SessionAuth, TokenAuth
from arrears.api.schemas import (
    CaseDetailOut,
    CasePage,
    CreditorOut,
    Error,
    ImportOut,
    LedgerEntryOut,
    PaymentIn,
    PaymentOut,
    PlacementOut,
)
from arrears.cases import selectors
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.creditors.models import Creditor, Placement
from arrears.intake.models import ImportBatch
from arrears.intake.services import ImportRefused, ImportResult, cases_import
from arrears.payments.models import LedgerEntry, Payment
from arrears.payments.services import payment_post

api = NinjaAPI(
    title="arrears API",
    version="1",
    description="Collections management: creditors, placements, cases, case intake, payments and the ledger.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api-v1",
    docs_url=None,
)

ERRORS = {401: Error, 403: Error, 404: Error, 422: Error}


def _error(request: HttpRequest, status: int, code: str, message: str):
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or _("Not permitted."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Authentication required: send a bearer token."))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors)
    return _error(request, 422, "invalid", _("Invalid request: %(details)s") % {"details": details})


@api.exception_handler(DjangoValidationError)
def _django_invalid(request, exc):
    return _error(request, 422, "invalid", " ".join(exc.messages))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, "error", str(exc))


def _case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "account_number": case.account_number,
        "creditor_code": case.creditor.code,
        "placement": case.placement.name,
        "debtor_name": case.debtor.name,
        "debtor_id_number": case.debtor.id_masked,
        "product": case.product,
        "principal": case.principal,
        "interest": case.interest,
        "late_fee": case.late_fee,
        "other_fees": case.other_fees,
        "total": case.total,
        "overdue_since": case.overdue_since,
        "dpd": case.dpd,
        "bucket": case.bucket,
        "status": case.status,
        "collector": case.assigned_to.username if case.assigned_to else None,
    }


class CaseQuery(Schema):
    q: str = ""
    bucket: str = ""
    status: str = ""
    collector: int | None = None
    creditor: int | None = None
    placement: int | None = None
    page: int = 1
    page_size: int = 50


@api.get("/cases", response={200: CasePage, **ERRORS}, tags=["cases"], summary="List the cases in scope")
def list_cases(request: HttpRequest, query: Query[CaseQuery]):
    filters = selectors.CaseFilters(
        q=query.q,
        bucket=query.bucket,
        status=query.status,
        collector=query.collector,
        creditor=query.creditor,
        placement=query.placement,
    )
    size = max(1, min(query.page_size, 500))
    page = Paginator(selectors.case_list(user=request.user, filters=filters), size).get_page(query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": size,
        "results": [_case_out(c) for c in page],
    }


@api.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, tags=["cases"], summary="One case")
def get_case(request: HttpRequest, case_id: int):
    try:
        case = selectors.case_detail(user=request.user, pk=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    data = _case_out(case)
    debtor = case.debtor
    data.update(
        credit_limit=case.credit_limit,
        last_payment_date=case.last_payment_date,
        last_payment_amount=case.last_payment_amount,
        statement_day=case.statement_day,
        due_day=case.due_day,
        extra={str(k): str(v) for k, v in case.extra.items()},
        debtor={
            "id": debtor.pk,
            "name": debtor.name,
            "id_number": debtor.id_masked,
            "employer": debtor.employer,
            "home_address": debtor.home_address,
            "work_address": debtor.work_address,
        },
        contact_points=[
            {
                "id": p.pk,
                "kind": p.kind,
                "value": str(p),
                "status": p.status,
                "do_not_contact": p.do_not_contact,
                "contact_name": p.person.name if p.person else None,
                "relationship": p.person.relationship if p.person else None,
            }
            for p in debtor.contact_points.all()
        ],
    )
    return data


@api.get("/creditors", response={200: list[CreditorOut], **ERRORS}, tags=["creditors"], summary="Creditors")
def list_creditors(request: HttpRequest):
    return list(restrict(Creditor.objects.all(), request.user).order_by("code"))


@api.get(
    "/placements", response={200: list[PlacementOut], **ERRORS}, tags=["creditors"], summary="Placements"
)
def list_placements(request: HttpRequest, creditor: str | None = None):
    qs = restrict(Placement.objects.select_related("creditor"), request.user)
    if creditor:
        qs = qs.filter(creditor__code=creditor)
    return list(qs.order_by("creditor__code", "-entrusted_on"))


@api.post(
    "/imports",
    response={201: ImportOut, 400: Error, **ERRORS},
    tags=["intake"],
    summary="Import a creditor file (.xlsx or .csv) into a placement",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    creditor: Form[str],
    placement: Form[str],
    business_date: Form[dt.date | None] = None,
):
    creditor_obj = get_object_or_404(restrict(Creditor.objects.all(), request.user), code=creditor)
    placement_obj = get_object_or_404(
        restrict(Placement.objects.all(), request.user), creditor=creditor_obj, name=placement
    )
    try:
        result = cases_import(
            actor=request.user,
            creditor=creditor_obj,
            placement=placement_obj,
            data=file.read(),
            filename=file.name or "upload.xlsx",
            business_date=business_date,
        )
    except ImportRefused as exc:
        return Status(400, {"code": exc.code, "message": exc.message})
    return Status(201, result.as_json())


@api.get(
    "/imports/{import_id}", response={200: ImportOut, **ERRORS}, tags=["intake"], summary="An import's result"
)
def get_import(request: HttpRequest, import_id: int):
    batch = get_object_or_404(restrict(ImportBatch.objects.all(), request.user), pk=import_id)
    return ImportResult.of_stored(batch).as_json()


def _payment_out(payment: Payment, created: bool) -> dict:
    allocated = {e.component: -e.amount for e in payment.entries.filter(kind=LedgerEntry.Kind.PAYMENT)}
    return {
        "id": payment.pk, "case_id": payment.case_id, "amount": payment.amount, "paid_on": payment.paid_on,
        "channel": payment.channel, "reference": payment.reference, "unallocated": payment.unallocated,
        "allocated": allocated, "created": created,
    }  # fmt: skip


@api.post(
    "/payments",
    response={200: PaymentOut, 201: PaymentOut, **ERRORS},
    tags=["payments"],
    summary="Post a payment (201); the same bank reference again answers 200 and posts nothing",
)
def create_payment(request: HttpRequest, payment: PaymentIn):
    cases = restrict(Case.objects.all(), request.user)
    if payment.case_id is not None:
        case = get_object_or_404(cases, pk=payment.case_id)
    elif payment.account_number:
        found = list(cases.filter(account_number=payment.account_number.strip())[:2])
        if len(found) != 1:
            raise Http404(_("No single case in your scope has this account number."))
        case = found[0]
    else:
        raise DjangoValidationError({"case_id": _("Give the case id or the account number.")})
    posted = payment_post(
        actor=request.user, case=case, amount=payment.amount, paid_on=payment.paid_on,
        channel=payment.channel, reference=payment.reference.strip(),
    )  # fmt: skip
    return Status(201 if posted.created else 200, _payment_out(posted.payment, posted.created))


@api.get(
    "/cases/{case_id}/ledger",
    response={200: list[LedgerEntryOut], **ERRORS},
    tags=["payments"],
    summary="A case's ledger in date order: how the balance arose (查账)",
)
def case_ledger(request: HttpRequest, case_id: int):
    case = selectors.case_or_404(user=request.user, pk=case_id)
    return list(LedgerEntry.objects.filter(case=case).order_by("on", "pk"))
