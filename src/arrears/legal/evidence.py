"""Gathering the evidence bundle of a case from the database, and issuing it.

Labels are read in Chinese whatever the user's language (the bundle goes to a Chinese court); the
amounts come from the ledger and the case's balance columns, never from anything typed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case
from arrears.contacts.models import ContactRecord
from arrears.core.money import ZERO
from arrears.core.roles import can
from arrears.documents.fonts import faces
from arrears.documents.models import Document
from arrears.legal import bundle as layout
from arrears.legal.labels import COST_ZH
from arrears.legal.models import Escalation, Hearing, LawyerLetter, LegalCost, Suit
from arrears.money.ledger import Component
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry

COMPONENT_ZH = {
    Component.PRINCIPAL: "本金",
    Component.INTEREST: "利息",
    Component.LATE_FEE: "违约金",
    Component.FEES: "其他费用",
    Component.LEGAL_COSTS: "诉讼费用",
}
ENFORCEMENT_ZH = {
    Suit.Enforcement.PENDING: "执行中",
    Suit.Enforcement.RECOVERED: "已全部执行到位",
    Suit.Enforcement.PARTLY: "部分执行到位",
    Suit.Enforcement.TERMINATED: "终结本次执行（终本）",
}


def _who(user: User | None) -> str:
    return str(user) if user is not None else "系统"


def _money(value: Decimal | None) -> str:
    return layout.yuan(value) if value is not None else "—"


def _facts(case: Case) -> tuple[tuple[str, str], ...]:
    d, p = case.debtor, case.placement
    rows = [
        ("债务人", d.name),
        ("证件号码", d.id_masked),
        ("性别", d.get_gender_display() or "—"),
        ("住址", d.home_address or "—"),
        ("工作单位", d.employer or "—"),
        ("单位地址", d.work_address or "—"),
        ("债权人（委托方）", case.creditor.name),
        ("账号", case.account_number),
        ("产品", case.product or p.get_product_type_display()),
        ("授信额度", _money(case.credit_limit)),
        ("逾期起始日", case.overdue_since.isoformat()),
        ("逾期天数", str(case.dpd)),
        ("账龄", case.bucket),
        ("账单日 / 还款日", f"{case.statement_day or '—'} / {case.due_day or '—'}"),
        (
            "最近还款",
            f"{case.last_payment_date} {_money(case.last_payment_amount)}" if case.last_payment_date else "—",
        ),
        ("诉讼时效届满日", case.limitation_on.isoformat() if case.limitation_on else "（未计算）"),
        ("委案批次", f"{p.name}（{p.entrusted_on.isoformat()} 委托）"),
        ("受托机构", case.organisation.name),
        ("欠款合计", layout.yuan(case.total)),
    ]
    # The creditor's own columns (contract number, loan date, rate …) as its file gave them.
    rows += [(str(k), str(v)) for k, v in (case.extra or {}).items()]
    return tuple(rows)


def _ledger(case: Case) -> tuple[tuple[layout.LedgerLine, ...], tuple[layout.Total, ...]]:
    lines = tuple(
        layout.LedgerLine(
            e.on, e.get_kind_display(), COMPONENT_ZH[Component(e.component)], e.amount, e.reason
        )
        for e in LedgerEntry.objects.filter(case=case).order_by("on", "pk")
    )
    sums, balances = ledger.ledger_balances(case), ledger.balances_of(case)
    totals = tuple(layout.Total(COMPONENT_ZH[c], sums.get(c, ZERO), balances.get(c, ZERO)) for c in Component)
    return lines, totals


def _contacts(case: Case) -> tuple[layout.ContactLine, ...]:
    records = ContactRecord.objects.filter(case=case).select_related("collector").order_by("at", "pk")
    return tuple(
        layout.ContactLine(
            timezone.localtime(r.at), r.get_channel_display(), r.get_party_display(), r.get_outcome_display(),
            r.get_result_display() or "—", _who(r.collector),
        )
        for r in records
    )  # fmt: skip


def _letters(case: Case) -> tuple[layout.LetterLine, ...]:
    docs = [
        layout.LetterLine(timezone.localdate(d.issued_at), d.get_kind_display(), d.number, _who(d.issued_by))
        for d in Document.objects.filter(case=case).select_related("issued_by")
    ]
    letters = [
        layout.LetterLine(x.sent_on, "律师函", x.reference, x.law_firm)
        for x in LawyerLetter.objects.filter(case=case)
    ]
    return tuple(sorted(docs + letters, key=lambda x: x.on))


def _legal(case: Case) -> tuple[layout.LegalLine, ...]:
    lines: list[layout.LegalLine] = []
    for e in Escalation.objects.filter(case=case).select_related("proposed_by", "decided_by"):
        lines.append(layout.LegalLine(timezone.localdate(e.proposed_at), "提请转法务",
                                      f"{_who(e.proposed_by)}：{e.reason}"))  # fmt: skip
        if e.decided_at:
            verdict = "同意转法务" if e.status == Escalation.Status.APPROVED else "不同意转法务"
            lines.append(layout.LegalLine(timezone.localdate(e.decided_at), verdict,
                                          f"{_who(e.decided_by)}：{e.decision_note}"))  # fmt: skip
    for x in LawyerLetter.objects.filter(case=case):
        lines.append(layout.LegalLine(x.sent_on, "发送律师函", f"{x.law_firm}，函号 {x.reference}"))
    for s in Suit.objects.filter(case=case):
        lines.append(layout.LegalLine(s.filed_on, "起诉立案", f"{s.court}，案号 {s.case_number}"))
        if s.judgment_on:
            detail = f"判决金额 {_money(s.judgment_amount)}" + (
                f"；{s.judgment_note}" if s.judgment_note else ""
            )
            lines.append(layout.LegalLine(s.judgment_on, "判决", detail))
        if s.enforcement_applied_on:
            outcome = ENFORCEMENT_ZH.get(s.enforcement_outcome, s.enforcement_outcome)
            detail = f"执行案号 {s.enforcement_number or '—'}，{outcome}" + (
                f"；{s.enforcement_note}" if s.enforcement_note else ""
            )
            lines.append(layout.LegalLine(s.enforcement_applied_on, "申请强制执行", detail))
    for h in Hearing.objects.filter(suit__case=case).select_related("suit"):
        lines.append(layout.LegalLine(timezone.localdate(h.at), "开庭",
                                      f"{timezone.localtime(h.at):%H:%M} 案号 {h.suit.case_number}"
                                      + (f"：{h.note}" if h.note else "")))  # fmt: skip
    for c in LegalCost.objects.filter(case=case):
        what = f"{COST_ZH[LegalCost.Kind(c.kind)]} {layout.yuan(c.amount)}，票据号 {c.reference}"
        lines.append(layout.LegalLine(c.incurred_on, "诉讼费用", what))
    return tuple(sorted(lines, key=lambda x: x.on))


def bundle_facts(*, case: Case, prepared_by: User) -> layout.Bundle:
    """The bundle of ``case`` (already in the user's scope) as it stands now."""
    case = Case.objects.select_related("debtor", "creditor", "placement", "organisation").get(pk=case.pk)
    today = timezone.localdate()
    suit = Suit.objects.filter(case=case).order_by("-filed_on", "-pk").first()
    with translation.override("zh-hans"):
        ledger_lines, totals = _ledger(case)
        return layout.Bundle(
            number=f"ZJ-{case.creditor.code}-{case.pk:06d}-{today:%Y%m%d}",
            prepared_on=today,
            prepared_by=_who(prepared_by),
            organisation=case.organisation.name,
            creditor=case.creditor.name,
            debtor=f"{case.debtor.name}（证件号码 {case.debtor.id_masked}）",
            court=suit.court if suit else "",
            court_number=suit.case_number if suit else "",
            facts=_facts(case),
            ledger=ledger_lines,
            totals=totals,
            contacts=_contacts(case),
            letters=_letters(case),
            legal=_legal(case),
        )


def bundle_issue(*, actor: User, case: Case) -> tuple[str, bytes]:
    """The evidence bundle PDF of ``case`` (file name and bytes); the case's log records who made it
    and its fingerprint, so a copy filed with the court can be matched to the record."""
    if not can(actor.role, "view_legal"):
        raise PermissionDenied(_("Your role may not prepare evidence bundles."))
    if actor.organisation_id != case.organisation_id:
        raise PermissionDenied(_("This case is not one of your organisation's."))
    facts = bundle_facts(case=case, prepared_by=actor)
    pdf = layout.render(facts, faces(settings.PDF_FONT_DIR))
    events.record(
        case, "legal.bundle", actor=actor, number=facts.number, sha256=hashlib.sha256(pdf).hexdigest()
    )
    return f"{facts.number}.pdf", pdf
