"""Issuing letters for a case, one by one or in batch for the post, and tracking their delivery.

Every letter is an outbound contact: it goes through ``contacts.services.contact_attempt`` (channel
"letter") with the letter's whole text as content, so the compliance guard screens it and records
the decision. A refused letter is not printed; the refusal and its reasons are kept. The amounts
printed come from the ledger, the issuer's details from the creditor's letterhead, never from input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case
from arrears.compliance.content import screen_text
from arrears.contacts.models import ContactRecord, Outcome
from arrears.contacts.services import contact_attempt, contact_outcome_record
from arrears.core.money import ZERO
from arrears.core.roles import can
from arrears.creditors.models import Creditor
from arrears.debtors.models import ContactPerson, ContactPoint
from arrears.documents.fonts import faces
from arrears.documents.kinds import KINDS, LETTERS, LOCATE_LETTER, PLAN_AGREEMENT, Kind, MissingFacts
from arrears.documents.layout import render
from arrears.documents.letters import TemplateError, build, check_template, paragraphs_of, text_of
from arrears.documents.models import Dispatch, Document, LawFirm, Letterhead, LetterTemplate, Mailing
from arrears.money.ledger import Component
from arrears.payments.ledger import ledger_balances
from arrears.payments.models import RepaymentPlan

CENT = Decimal("0.01")
LETTER_CODES = tuple(k.code for k in LETTERS)


class LetterRefused(ValidationError):
    """The compliance guard refused the letter; ``reasons`` are its rules' reasons (zh / en)."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            _("The compliance guard refused this letter: %(reasons)s") % {"reasons": "; ".join(reasons)}
        )


def _kind(code: str) -> Kind:
    if code not in LETTER_CODES:
        raise ValidationError({"kind": _("Unknown letter kind “%(kind)s”.") % {"kind": code}})
    return KINDS[code]


# --- facts -------------------------------------------------------------------------------------------


def _letterhead(creditor: Creditor) -> dict[str, Any]:
    head = Letterhead.objects.filter(creditor=creditor).first()
    if head is None:  # every issuer fact missing: the refusal names them all
        return {}
    return {
        "issuer_phone": head.phone, "issuer_address": head.address, "check_how": head.check_how,
        "repay_how": head.repay_how, "dispute_how": head.dispute_how, "agency_phone": head.locate_phone,
        "reply_days": head.reply_days,
    }  # fmt: skip


def _plan_facts(case: Case) -> dict[str, Any]:
    plan = case.plans.filter(status=RepaymentPlan.Status.ACTIVE).prefetch_related("instalments").first()
    if plan is None:
        return {}
    waived = plan.waive_interest + plan.waive_fees
    return {
        "plan_total": plan.plan_total,
        "down_payment": plan.down_payment,
        "months": plan.months,
        "waived": waived,
        "total": plan.plan_total + waived,  # what was owed when the plan was agreed
        "agreed_on": timezone.localdate(plan.activated_at) if plan.activated_at else None,
        "schedule": [(i.number, i.due_on, i.amount) for i in plan.instalments.all()],
    }


def letter_facts(
    case: Case, kind: Kind, *, today: dt.date, law_firm: LawFirm | None = None,
    contact_person: ContactPerson | None = None, address: str = "",
) -> dict[str, Any]:  # fmt: skip
    """What a letter of ``kind`` states about ``case``: the balances summed from the ledger itself,
    the creditor's letterhead, the law firm, the active plan. Missing facts stay missing (None)."""
    balances = {c: v.quantize(CENT) for c, v in ledger_balances(case).items()}
    head = _letterhead(case.creditor)
    facts: dict[str, Any] = {
        "debtor_name": case.debtor.name,
        "id_masked": case.debtor.id_masked,
        "creditor": case.creditor.name,
        "product": case.product or case.placement.get_product_type_display(),
        "account_tail": case.account_number[-4:],
        "principal": balances[Component.PRINCIPAL],
        "interest": balances[Component.INTEREST],
        "late_fee": balances[Component.LATE_FEE],
        "other_fees": balances[Component.FEES],
        "legal_costs": balances[Component.LEGAL_COSTS],
        "total": sum(balances.values(), ZERO),
        "as_of": today,
        "overdue_since": case.overdue_since,
        "agency": case.organisation.name,
        "address": address or case.debtor.home_address,
        **{k: v for k, v in head.items() if k != "reply_days"},
    }
    if head:
        facts["reply_by"] = facts["report_from"] = today + dt.timedelta(days=head["reply_days"])
    if law_firm is not None:
        facts.update(firm=law_firm.name, firm_licence=law_firm.licence_number, firm_address=law_firm.address,
                     firm_phone=law_firm.phone, lawyers=law_firm.lawyer_names())  # fmt: skip
    if kind is PLAN_AGREEMENT:
        facts.update(_plan_facts(case))
    if kind is LOCATE_LETTER:
        facts["contact_name"] = contact_person.name if contact_person else None
        facts["address"] = address  # a contact's address is never the debtor's
    return facts


def current_template(creditor: Creditor, kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(creditor=creditor, kind=kind).order_by("-version").first()


def _number(case: Case, kind: Kind, today: dt.date) -> str:
    # A locate letter's number names the agency, not the creditor (a bank's code tells the contact).
    owner = case.organisation.code if kind is LOCATE_LETTER else case.creditor.code
    stem = f"{kind.prefix}-{owner.upper()}-{today:%Y%m%d}-{case.pk:06d}-"
    n = Document.objects.filter(number__startswith=stem).count() + 1
    return f"{stem}{n:02d}"


def _contact_point(person: ContactPerson) -> ContactPoint:
    """The contact point the guard judges a letter to ``person`` by (its flags, its party)."""
    points = list(person.contact_points.order_by("do_not_contact", "id"))
    if not points:
        raise ValidationError(
            _("%(name)s has no contact point on record, so the guard cannot check a letter to them.")
            % {"name": person.name}
        )
    return points[0]


# --- one letter ----------------------------------------------------------------------------------------


def letter_issue(
    *, actor: User, case: Case, kind: str, law_firm: LawFirm | None = None,
    contact_person: ContactPerson | None = None, address: str = "", mailing: Mailing | None = None,
) -> Document:  # fmt: skip
    """Issue one letter of ``kind`` on ``case`` (already in the actor's scope): facts, guard, PDF,
    document and its dispatch. Raises ValidationError for missing facts, LetterRefused when the
    guard refuses (the refusal is recorded; nothing is printed)."""
    if not can(actor.role, "issue_certificates"):
        raise PermissionDenied(_("Your role may not issue letters."))
    spec = _kind(kind)
    if spec.code == "lawyer_letter":
        if law_firm is None:
            raise ValidationError({"law_firm": _("Choose the law firm that issues the lawyer's letter.")})
        if law_firm.organisation_id != case.organisation_id or not law_firm.active:
            raise ValidationError(
                {"law_firm": _("This law firm is not an active partner of your organisation.")}
            )
    if spec is LOCATE_LETTER:
        if contact_person is None or contact_person.debtor_id != case.debtor_id:
            raise ValidationError({"contact_person": _("Choose one of the debtor's contacts.")})
        if not address.strip():
            raise ValidationError({"address": _("Enter the contact's postal address.")})
    point = _contact_point(contact_person) if spec is LOCATE_LETTER and contact_person else None
    today = timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("debtor", "creditor", "placement", "organisation")
            .get(pk=case.pk)
        )
        facts = letter_facts(case, spec, today=today, law_firm=law_firm, contact_person=contact_person,
                             address=address.strip())  # fmt: skip
        template = current_template(case.creditor, spec.code)
        number = _number(case, spec, today)
        try:
            letter = build(
                spec.code, facts, number=number, issued_on=today, template=template.body if template else ""
            )
        except MissingFacts as exc:
            raise ValidationError(str(exc)) from exc
        except TemplateError as exc:
            raise ValidationError(str(exc)) from exc
        attempt = contact_attempt(
            actor=actor, case=case, channel="letter", purpose=spec.purpose, contact_point=point,
            content=text_of(letter),
        )  # fmt: skip
        if attempt.decision.allowed:
            pdf = render(letter, faces(settings.PDF_FONT_DIR))
            document = Document(
                case=case, kind=spec.code, number=number, issued_at=timezone.now(), issued_by=actor,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )  # fmt: skip
            document.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
            document.save()
            to_debtor = spec.party == "debtor" and facts["address"] == case.debtor.home_address
            Dispatch.objects.create(
                document=document, case=case, kind=spec.code, mailing=mailing,
                addressee=contact_person.name if spec is LOCATE_LETTER else case.debtor.name,
                address=facts["address"], to_debtor=to_debtor,
                contact_record_id=attempt.record.pk if attempt.record else None,
            )  # fmt: skip
            events.record(
                case, "document.issued", actor=actor, document=spec.code, number=number,
                sha256=document.sha256, template=template.version if template else None,
            )  # fmt: skip
    if not attempt.decision.allowed:
        raise LetterRefused([v.reason for v in attempt.decision.violations])
    return document


# --- templates, letterheads, law firms -------------------------------------------------------------


def letter_template_save(*, actor: User, creditor: Creditor, kind: str, body: str) -> LetterTemplate:
    """Save a new version of ``creditor``'s wording of ``kind``; an empty body means the default.

    Refused when it names a placeholder the kind has not, or when the guard finds prohibited wording
    (or, in a locate letter, anything about a debt)."""
    if not can(actor.role, "manage_letters"):
        raise PermissionDenied(_("Your role may not change letter templates."))
    spec = _kind(kind)
    body = body.replace("\r\n", "\n").strip()
    try:
        check_template(spec, body)
    except TemplateError as exc:
        raise ValidationError({"body": str(exc)}) from exc
    text = "\n".join(paragraphs_of(body))
    found = screen_text(text, profile=creditor.profile(), party=spec.party)
    if found:
        raise ValidationError({"body": [v.reason for v in found]})
    with transaction.atomic():
        Creditor.objects.select_for_update().filter(pk=creditor.pk).first()
        latest = current_template(creditor, spec.code)
        return LetterTemplate.objects.create(
            creditor=creditor, kind=spec.code, version=(latest.version + 1) if latest else 1, body=body,
            saved_by=actor, saved_at=timezone.now(),
        )  # fmt: skip


def letterhead_save(*, actor: User, creditor: Creditor, **fields: Any) -> Letterhead:
    if not can(actor.role, "manage_letters"):
        raise PermissionDenied(_("Your role may not change letterheads."))
    head, _created = Letterhead.objects.update_or_create(creditor=creditor, defaults=fields)
    return head


def law_firm_save(*, actor: User, firm: LawFirm | None = None, **fields: Any) -> LawFirm:
    if not can(actor.role, "manage_letters"):
        raise PermissionDenied(_("Your role may not manage law firms."))
    firm = firm or LawFirm(organisation=actor.organisation)
    for name, value in fields.items():
        setattr(firm, name, value)
    if LawFirm.objects.filter(organisation=firm.organisation, name=firm.name).exclude(pk=firm.pk).exists():
        raise ValidationError({"name": _("A law firm of this name is already recorded.")})
    firm.save()
    return firm


# --- batch mailing ---------------------------------------------------------------------------------------

REGISTER_HEADERS = (
    "序号",
    "文书编号",
    "案件账号",
    "收件人",
    "收件地址",
    "信函类型",
    "页数",
    "快递单号",
    "寄出日期",
)
# Strategy task kinds (batch.Task.kind) and the letter each asks for.
TASK_LETTERS = {"letter": "demand_letter", "lawyer_letter": "lawyer_letter"}


@dataclass
class MailingResult:
    mailing: Mailing
    issued: list[Document]
    refused: list[dict[str, Any]]


def mailing_create(
    *, actor: User, cases: QuerySet[Case], kind: str, law_firm: LawFirm | None = None,
) -> MailingResult:  # fmt: skip
    """Letters of ``kind`` for ``cases`` (in the actor's scope), each through the guard: one merged
    PDF and one dispatch register for what may be sent, the refused listed with their reasons."""
    if not can(actor.role, "send_letters"):
        raise PermissionDenied(_("Your role may not send letters in batch."))
    spec = _kind(kind)
    if spec is LOCATE_LETTER:
        raise ValidationError({"kind": _("Locate letters are written one by one, to a chosen contact.")})
    mailing = Mailing.objects.create(
        organisation=actor.organisation, kind=spec.code, created_by=actor, created_at=timezone.now()
    )
    issued: list[Document] = []
    refused: list[dict[str, Any]] = []
    for case in cases.select_related("debtor").order_by("id"):
        try:
            issued.append(
                letter_issue(actor=actor, case=case, kind=spec.code, law_firm=law_firm, mailing=mailing)
            )
        except LetterRefused as exc:
            refused.append({"case": case.pk, "account": case.account_number, "reasons": exc.reasons})
        except ValidationError as exc:
            refused.append({"case": case.pk, "account": case.account_number, "reasons": exc.messages})
    merged, pages = _merge(issued)
    mailing.refused = refused
    stamp = f"{timezone.localtime(mailing.created_at):%Y%m%d-%H%M}-{mailing.pk}"
    if issued:
        mailing.letters.save(f"letters-{stamp}.pdf", ContentFile(merged), save=False)
        mailing.register.save(f"register-{stamp}.xlsx", ContentFile(_register(issued, pages)), save=False)
    mailing.save()
    return MailingResult(mailing=mailing, issued=issued, refused=refused)


def tasks_cases(*, cases: QuerySet[Case], day: dt.date, kind: str) -> QuerySet[Case]:
    """The cases among ``cases`` with an open strategy task for ``day`` asking for a letter of ``kind``."""
    from arrears.batch.models import Task

    task_kinds = [t for t, letter in TASK_LETTERS.items() if letter == kind]
    open_tasks = Task.objects.filter(due_on=day, kind__in=task_kinds, status=Task.Status.OPEN)
    return cases.filter(pk__in=open_tasks.values("case_id"))


def tasks_done(*, documents: list[Document], day: dt.date) -> int:
    """Close the strategy's letter tasks of ``day`` that the issued letters carried out."""
    from arrears.batch.models import Task

    done = 0
    for doc in documents:
        task_kinds = [t for t, letter in TASK_LETTERS.items() if letter == doc.kind]
        done += Task.objects.filter(case_id=doc.case_id, due_on=day, kind__in=task_kinds,
                                    status=Task.Status.OPEN).update(status=Task.Status.DONE)  # fmt: skip
    return done


def _merge(documents: list[Document]) -> tuple[bytes, dict[int, int]]:
    writer, pages = PdfWriter(), {}
    for doc in documents:
        with doc.file.open("rb") as fh:
            reader = PdfReader(io.BytesIO(fh.read()))
        pages[doc.pk] = len(reader.pages)
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), pages


def _register(documents: list[Document], pages: dict[int, int]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("寄送登记")
    head = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, REGISTER_HEADERS, head)
    for width, col in zip((6, 30, 22, 10, 40, 14, 6, 22, 12), range(len(REGISTER_HEADERS)), strict=True):
        sheet.set_column(col, col, width, text if col in (1, 2, 7) else None)
    for i, doc in enumerate(documents, start=1):
        d = doc.dispatch
        sheet.write_row(i, 0, (i, doc.number, doc.case.account_number, d.addressee, d.address,
                               KINDS[doc.kind].title_zh, pages[doc.pk], "", ""))  # fmt: skip
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def register_import(*, actor: User, mailing: Mailing, data: bytes, filename: str) -> int:
    """Read the dispatch register back with the tracking numbers filled in (and the dates sent);
    all or nothing: any bad row refuses the file, naming the row and why. Returns rows applied."""
    from arrears.intake.errors import IntakeFileError
    from arrears.intake.reader import read_table

    if not can(actor.role, "send_letters"):
        raise PermissionDenied(_("Your role may not record dispatches."))
    try:
        rows = read_table(data, filename)
    except IntakeFileError as exc:
        raise ValidationError(exc.reason) from exc
    header = [str(c).strip() for c in rows[0]]
    if "文书编号" not in header or "快递单号" not in header:
        raise ValidationError(
            _("The register needs the columns 文书编号 (document number) and 快递单号 (tracking number).")
        )
    col = {name: header.index(name) for name in header}
    dispatches = {d.document.number: d for d in mailing.dispatches.select_related("document")}
    errors, updates = [], []
    for row_no, row in enumerate(rows[1:], start=2):
        cells = [*row, *[""] * (len(header) - len(row))]
        number = str(cells[col["文书编号"]]).strip()
        tracking = str(cells[col["快递单号"]]).strip()
        if not number and not tracking:
            continue
        if number not in dispatches:
            errors.append(
                _("row %(row)s: document %(number)s is not in this mailing")
                % {"row": row_no, "number": number}
            )
            continue
        if not tracking:
            continue  # not posted yet: left as it is
        sent = cells[col["寄出日期"]] if "寄出日期" in col else ""
        sent_on = _date(sent)
        if sent not in ("", None) and sent_on is None:
            errors.append(
                _("row %(row)s: the date sent “%(value)s” is not a date") % {"row": row_no, "value": sent}
            )
            continue
        updates.append((dispatches[number], tracking, sent_on or timezone.localdate()))
    if errors:
        raise ValidationError(errors)
    for dispatch, tracking, sent_on in updates:
        dispatch_record(actor=actor, dispatch=dispatch, sent_on=sent_on, tracking_number=tracking)
    return len(updates)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        return None


# --- delivery --------------------------------------------------------------------------------------------


def dispatch_record(
    *, actor: User, dispatch: Dispatch, sent_on: dt.date | None = None, tracking_number: str = "",
    delivered_on: dt.date | None = None, proof: UploadedFile | None = None, returned_reason: str = "",
) -> Dispatch:  # fmt: skip
    """Record what happened to a letter: posted (date, tracking number), delivered (date, proof) or
    returned undeliverable (why). A delivered letter writes the case event ``letter.delivered``."""
    if not can(actor.role, "send_letters"):
        raise PermissionDenied(_("Your role may not record dispatches."))
    today = timezone.localdate()
    with transaction.atomic():
        d = Dispatch.objects.select_for_update().select_related("document", "case").get(pk=dispatch.pk)
        if sent_on is not None:
            if sent_on > today:
                raise ValidationError({"sent_on": _("The date sent cannot be in the future.")})
            if sent_on < timezone.localdate(d.document.issued_at):
                raise ValidationError({"sent_on": _("A letter cannot be sent before it was issued.")})
            first_send = d.sent_on is None
            d.sent_on, d.state = sent_on, max(d.state, Dispatch.State.SENT, key=_STATE_ORDER.index)
            if tracking_number:
                d.tracking_number = tracking_number.strip()[:64]
            if first_send:
                _record_sent(actor, d)
        elif tracking_number:
            raise ValidationError(
                {"sent_on": _("Enter the date the letter was sent with its tracking number.")}
            )
        if delivered_on is not None and returned_reason:
            raise ValidationError(_("A letter is either delivered or returned, not both."))
        if delivered_on is not None:
            if d.sent_on is None:
                raise ValidationError(
                    {"delivered_on": _("Record when the letter was sent before its delivery.")}
                )
            if delivered_on > today or delivered_on < d.sent_on:
                raise ValidationError(
                    {"delivered_on": _("The delivery date must lie between the date sent and today.")}
                )
            if d.state == Dispatch.State.RETURNED:
                raise ValidationError({"delivered_on": _("This letter came back undeliverable.")})
            d.delivered_on, d.state = delivered_on, Dispatch.State.DELIVERED
            if proof is not None:
                d.proof.save(f"{d.document.number}-{proof.name}", proof, save=False)
            events.record(
                d.case, "letter.delivered", actor=actor, number=d.document.number, letter=d.kind,
                delivered_on=delivered_on.isoformat(), to_debtor=d.to_debtor,
                interrupts_limitation=KINDS[d.kind].interrupts_limitation and d.to_debtor,
            )  # fmt: skip
        if returned_reason:
            if d.state == Dispatch.State.DELIVERED:
                raise ValidationError({"returned_reason": _("This letter was recorded as delivered.")})
            d.state, d.returned_reason = Dispatch.State.RETURNED, returned_reason.strip()[:200]
            events.record(
                d.case, "letter.returned", actor=actor, number=d.document.number, reason=d.returned_reason
            )
        d.save()
    return d


_STATE_ORDER = [s.value for s in Dispatch.State]


def _record_sent(actor: User, d: Dispatch) -> None:
    """The letter's contact attempt (pending since it was issued) is now sent."""
    record = ContactRecord.objects.filter(pk=d.contact_record_id, outcome=Outcome.PENDING).first()
    if record is not None:
        contact_outcome_record(actor=actor, record=record, outcome=Outcome.SENT,
                               note=f"{d.document.number} {d.tracking_number}".strip())  # fmt: skip
