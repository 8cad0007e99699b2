"""Reads of messaging: a creditor's template library, its versions, a case's messages and figures."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet

from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.creditors.models import Creditor
from arrears.debtors.models import ContactPoint
from arrears.messaging import core
from arrears.messaging.models import Message, MessageTemplate, Sender
from arrears.payments.models import PlanInstalment, Promise, RepaymentPlan
from arrears.workbench.selectors import script_values

STARTER = Path(__file__).with_name("starter_templates.toml")


@dataclass(frozen=True, slots=True)
class Template:
    """A template as used: a creditor's saved version, or a starter one (version 0)."""

    channel: str
    code: str
    language: str
    purpose: str
    title: str
    subject: str
    body: str
    version: int = 0
    active: bool = True

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.channel, self.code, self.language)


@cache
def starter() -> tuple[Template, ...]:
    with STARTER.open("rb") as fh:
        return tuple(Template(**entry) for entry in tomllib.load(fh)["template"])


def _as_template(row: MessageTemplate) -> Template:
    return Template(**{f.name: getattr(row, f.name) for f in fields(Template)})


def library(*, creditor: Creditor) -> list[Template]:
    """The templates in use for ``creditor``: the starter ones, each replaced by the creditor's latest
    version of the same (channel, code, language), and those whose latest version is retired left out."""
    latest: dict[tuple[str, str, str], MessageTemplate] = {}
    rows = MessageTemplate.objects.filter(creditor=creditor).order_by(
        "channel", "code", "language", "-version"
    )
    for row in rows:
        latest.setdefault((row.channel, row.code, row.language), row)
    own = {key: _as_template(row) for key, row in latest.items()}
    found = [own.pop(s.key, s) for s in starter()]
    found += sorted(own.values(), key=lambda t: t.key)
    return [t for t in found if t.active]


def template_for(*, creditor: Creditor, channel: str, code: str, language: str) -> Template | None:
    for template in library(creditor=creditor):
        if template.key == (channel, code, language):
            return template
    return None


def template_current(*, creditor: Creditor, channel: str, code: str, language: str) -> Template | None:
    """The latest version whether in use or retired (what the editor starts from), else the starter."""
    row = (
        MessageTemplate.objects.filter(creditor=creditor, channel=channel, code=code, language=language)
        .order_by("-version")
        .first()
    )
    if row is not None:
        return _as_template(row)
    return next((s for s in starter() if s.key == (channel, code, language)), None)


def template_version(
    *, creditor: Creditor, channel: str, code: str, language: str, version: int
) -> Template | None:
    """One version as it was saved (version 0: the starter template), in use or retired since: a
    queued message is rendered from the version it was asked for."""
    if version == 0:
        return next((s for s in starter() if s.key == (channel, code, language)), None)
    row = MessageTemplate.objects.filter(
        creditor=creditor, channel=channel, code=code, language=language, version=version
    ).first()
    return _as_template(row) if row is not None else None


def template_versions(
    *, creditor: Creditor, channel: str, code: str, language: str
) -> QuerySet[MessageTemplate]:
    return (
        MessageTemplate.objects.filter(creditor=creditor, channel=channel, code=code, language=language)
        .select_related("saved_by")
        .order_by("-version")
    )


def creditors(*, user: Any) -> QuerySet[Creditor]:
    return restrict(Creditor.objects.all(), user).order_by("code")


def sender(*, creditor: Creditor) -> Sender | None:
    return Sender.objects.filter(creditor=creditor).first()


def language_for(creditor: Creditor) -> str:
    """The language a creditor's debtors are written to: English under a US profile, else Chinese."""
    return "en" if creditor.compliance_profile.startswith("US") else "zh-hans"


def case_messages(*, user: Any, case: Case) -> QuerySet[Message]:
    return restrict(Message.objects.filter(case=case), user).order_by("-created_at", "-pk")


def case_points(*, user: Any, case: Case, channel: str) -> QuerySet[ContactPoint]:
    """The numbers (for SMS: mobiles) or addresses of the case's debtor, in the user's scope."""
    points = restrict(ContactPoint.objects.filter(debtor_id=case.debtor_id, person__isnull=True), user)
    if channel == "email":
        return points.filter(kind=ContactPoint.Kind.EMAIL).order_by("pk")
    return points.filter(kind=ContactPoint.Kind.MOBILE).order_by("pk")


def _money(amount) -> str:
    return f"{amount:,.2f}" if amount is not None else "—"


def values(*, case: Case, user: Any | None) -> dict[str, str]:
    """The case's figures for a template: the script figures (from the ledger-backed balances) plus
    the due date, the plan's next instalment, the open promise and the official contact number."""
    writer = user or case.assigned_to or SimpleNamespace(display_name="", username="—")
    found = script_values(case=case, user=writer)
    found["account_masked"] = core.mask_account(case.account_number)
    plan = RepaymentPlan.objects.filter(case=case, status=RepaymentPlan.Status.ACTIVE).first()
    instalment = None
    if plan is not None:
        instalment = (
            PlanInstalment.objects.filter(plan=plan, status=PlanInstalment.Status.DUE)
            .order_by("number")
            .first()
        )
    promise = Promise.objects.filter(case=case, status=Promise.Status.OPEN).order_by("due_on").first()
    if instalment is not None:
        found["instalment_amount"] = _money(instalment.amount)
        found["instalment_due"] = instalment.due_on.isoformat()
    if promise is not None:
        found["promise_amount"] = _money(promise.amount)
        found["promise_due"] = promise.due_on.isoformat()
    due = instalment.due_on if instalment else (promise.due_on if promise else None)
    if due is not None:
        found["due_date"] = due.isoformat()
    details = sender(creditor=case.creditor)
    if details is not None:
        found["hotline"] = details.hotline
    return found
