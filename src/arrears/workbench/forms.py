"""Forms of the workbench: the outcome of a contact, the queue's filters, scripts, reassignment."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from arrears.accounts.models import User
from arrears.cases.models import CaseStatus, DebtorType
from arrears.contacts.models import Outcome, Result
from arrears.core.access import restrict
from arrears.creditors.models import Creditor
from arrears.workbench import keyfacts, scripts
from arrears.workbench.labels import ANY_TYPE, OBJECTION_LABELS, STAGE_LABELS
from arrears.workbench.selectors import QueueFilters
from arrears.workbench.services import OutcomeEntry

_DATE = {"type": "date"}


def _when() -> forms.DateTimeInput:
    return forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea({"rows": rows})

HARDSHIP_REASONS = [
    ("", "—"),
    ("unemployed", _("Lost their job")),
    ("illness", _("Illness or injury")),
    ("business", _("Business in difficulty")),
    ("income_cut", _("Income cut")),
    ("family", _("Family emergency")),
    ("other", _("Other (see the note)")),
]
def _money(label: str, **kwargs: object) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0.01, required=False,
        widget=forms.NumberInput(attrs={"step": "0.01"}), **kwargs,
    )  # fmt: skip


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] != "pending"])
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *Result.choices], required=False)
    relationship = forms.CharField(label=_("Who answered"), max_length=50, required=False)
    promise_amount = _money(_("Promised amount"))
    promise_due = forms.DateField(label=_("Promised date"), required=False, widget=forms.DateInput(_DATE))
    hardship_reason = forms.ChoiceField(label=_("Hardship"), choices=HARDSHIP_REASONS, required=False)
    call_back_at = forms.DateTimeField(label=_("Call back at"), required=False, widget=_when())
    claimed_amount = _money(_("Amount paid"))
    claimed_on = forms.DateField(label=_("Paid on"), required=False, widget=forms.DateInput(_DATE))
    claimed_how = forms.CharField(label=_("How it was paid"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=_text(2))
    next_follow_up = forms.DateTimeField(
        label=_("Next follow-up"), required=False, widget=_when(),
        help_text=_("Leave empty to take the suggestion."),
    )  # fmt: skip

    # What each result needs, so the collector is told at once rather than by a later refusal.
    NEEDS = {
        Result.PROMISE: ("promise_amount", "promise_due"),
        Result.CALL_BACK: ("call_back_at",),
        Result.HARDSHIP: ("hardship_reason",),
        Result.DISPUTE: ("note",),
    }

    def clean(self) -> dict:
        data = super().clean()
        outcome, result = data.get("outcome"), data.get("result")
        if result and outcome != Outcome.RIGHT_PARTY:
            self.add_error("result", _("A result is recorded only when the debtor answered."))
        for field in self.NEEDS.get(result, ()):
            if not data.get(field):
                self.add_error(field, _("Needed for this result."))
        if outcome == Outcome.THIRD_PARTY and not data.get("relationship"):
            self.add_error("relationship", _("Say who answered (their relationship to the debtor)."))
        return data

    # The detail fields each outcome or result uses; what else the form held (typed before the
    # collector changed the result) is not kept.
    DETAILS = {
        Outcome.THIRD_PARTY: ("relationship",),
        Result.PROMISE: ("promise_amount", "promise_due"),
        Result.HARDSHIP: ("hardship_reason",),
        Result.CALL_BACK: ("call_back_at",),
        Result.CLAIMS_PAID: ("claimed_amount", "claimed_on", "claimed_how"),
    }

    def entry(self) -> OutcomeEntry:
        d = self.cleaned_data
        kept = {"outcome", "result", "note", "next_follow_up"}
        kept |= set(self.DETAILS.get(d["outcome"], ())) | set(self.DETAILS.get(d.get("result", ""), ()))
        return OutcomeEntry(**{k: v for k, v in d.items() if k in kept and v not in (None, "")})


class QueueFilterForm(forms.Form):
    bucket = forms.CharField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    creditor = forms.ModelChoiceField(
        label=_("Creditor"), required=False, queryset=Creditor.objects.none(), empty_label=_("All creditors")
    )
    due = forms.ChoiceField(
        label=_("Due"), required=False,
        choices=[
            ("", _("Everything")), ("follow_up", _("Follow-up due")), ("promise", _("Promise due today"))
        ],
    )  # fmt: skip

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = restrict(Creditor.objects.all(), user).order_by("code")

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        d = self.cleaned_data
        return QueueFilters(
            bucket=d["bucket"], status=d["status"], due=d["due"],
            creditor=d["creditor"].pk if d["creditor"] else None,
        )  # fmt: skip


class TagForm(forms.Form):
    debtor_type = forms.ChoiceField(
        label=_("Debtor type"), required=False, choices=[("", _("Not yet tagged")), *DebtorType.choices]
    )


class FollowUpForm(forms.Form):
    at = forms.DateTimeField(label=_("Next follow-up"), widget=_when())


class ScriptPickForm(forms.Form):
    stage = forms.ChoiceField(choices=[(s, s) for s in keyfacts.STAGES], widget=forms.HiddenInput)
    objection = forms.ChoiceField(
        label=_("Objection"), required=False,
        choices=[("", _("No objection: opening")), *OBJECTION_LABELS.items()],
    )  # fmt: skip


class ReassignForm(forms.Form):
    cases = forms.CharField(widget=forms.HiddenInput, required=False)
    collector = forms.ModelChoiceField(label=_("Move to"), queryset=User.objects.none())

    def __init__(self, *args: object, collectors: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = User.objects.filter(pk__in=[c.pk for c in collectors])


class ScriptForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=64)
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s, STAGE_LABELS[s]) for s in STAGE_LABELS])
    debtor_type = forms.ChoiceField(
        label=_("Debtor type"), choices=[("any", ANY_TYPE), *DebtorType.choices]
    )
    objection = forms.ChoiceField(
        label=_("Objection"), required=False, choices=[("", _("None")), *OBJECTION_LABELS.items()]
    )
    party = forms.ChoiceField(
        label=_("Spoken to"), choices=[("debtor", _("Debtor")), ("contact", _("Contact"))]
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=100)
    title_en = forms.CharField(label=_("Title (English)"), max_length=100)
    body_zh = forms.CharField(label=_("Script (Chinese)"), widget=_text(10))
    body_en = forms.CharField(label=_("Script (English)"), widget=_text(10))
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def script(self) -> scripts.Script:
        d = dict(self.cleaned_data)
        d.pop("active")
        return scripts.Script(**d)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                scripts.check(self.script())
            except scripts.ScriptError as exc:
                raise ValidationError(f"{exc.zh} / {exc.en}") from None
        return data

