"""Legal's record of a case: letters, the suit, hearings, judgment, enforcement, and legal costs
booked through the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import pre_save

from arrears.cases.models import Case
from arrears.complaints.services import dispute_open
from arrears.legal.models import LawyerLetter, LegalCost, Suit
from arrears.legal.services import (
    enforcement_record,
    hearing_record,
    judgment_record,
    legal_cost_post,
    letter_record,
    suit_file,
)
from arrears.money.ledger import Component
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry
from tests.legal.conftest import SHANGHAI_TZ

pytestmark = pytest.mark.django_db


def test_a_legal_cost_moves_the_case_balance_and_the_ledger_by_the_same_amount(on_track, lawyer, today):
    before_total, before_ledger = on_track.total, ledger.ledger_balances(on_track)
    cost = legal_cost_post(
        actor=lawyer,
        case=on_track,
        kind="court_fee",
        amount=Decimal("1250.50"),
        incurred_on=today,
        reference="FY-2026-001",
    )
    on_track.refresh_from_db()
    after_ledger = ledger.ledger_balances(on_track)
    assert on_track.legal_costs == Decimal("1250.50")
    assert on_track.total - before_total == Decimal("1250.50")
    assert after_ledger[Component.LEGAL_COSTS] - before_ledger[Component.LEGAL_COSTS] == Decimal("1250.50")
    assert after_ledger == ledger.balances_of(on_track)  # the columns still equal the ledger
    entry = LedgerEntry.objects.get(pk=cost.entry_id)
    assert (entry.kind, entry.component, entry.amount, entry.actor) == (
        "legal_cost",
        "legal_costs",
        Decimal("1250.50"),
        lawyer,
    )
    assert "FY-2026-001" in entry.reason
    assert on_track.events.filter(kind="legal.cost").exists()


def test_the_same_receipt_is_charged_once_and_bad_amounts_are_refused(on_track, lawyer, today):
    legal_cost_post(
        actor=lawyer,
        case=on_track,
        kind="lawyer_fee",
        amount=Decimal("3000.00"),
        incurred_on=today,
        reference="LS-9",
    )
    for amount, reference in (
        (Decimal("3000.00"), "LS-9"),
        (Decimal("0"), "LS-10"),
        (Decimal("1.001"), "LS-11"),
    ):
        with pytest.raises(ValidationError):
            legal_cost_post(
                actor=lawyer,
                case=on_track,
                kind="lawyer_fee",
                amount=amount,
                incurred_on=today,
                reference=reference,
            )
    on_track.refresh_from_db()
    assert on_track.legal_costs == Decimal("3000.00") and LegalCost.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        ("settled", "案件已和解结清", "the case is settled"),
        ("recalled", "案件已退案", "the case is recalled"),
        ("closed", "案件已结案", "the case is closed"),
    ],
    ids=["settled", "recalled", "closed"],
)
def test_no_cost_is_charged_to_a_settled_recalled_or_closed_case(on_track, lawyer, today, status, zh, en):
    Case.objects.filter(pk=on_track.pk).update(status=status)
    before = ledger.ledger_balances(on_track)
    with pytest.raises(ValidationError) as info:
        legal_cost_post(actor=lawyer, case=on_track, kind="court_fee", amount=Decimal("50.00"),
                        incurred_on=today, reference="FY-9")  # fmt: skip
    assert [e.code for e in info.value.error_list] == ["case_finished"]
    (message,) = info.value.messages
    assert zh in message and "不能再计入法律费用" in message and en in message and "no legal cost" in message
    on_track.refresh_from_db()
    assert on_track.status == status and on_track.legal_costs == 0
    assert ledger.ledger_balances(on_track) == before
    assert not LegalCost.objects.exists() and not on_track.events.filter(kind="legal.cost").exists()


def test_a_cost_charged_to_a_paid_case_is_owed_and_the_case_goes_back_to_work(on_track, lawyer, today):
    Case.objects.filter(pk=on_track.pk).update(status="paid")
    legal_cost_post(actor=lawyer, case=on_track, kind="enforcement", amount=Decimal("80.00"),
                    incurred_on=today, reference="ZX-1")  # fmt: skip
    on_track.refresh_from_db()
    assert on_track.status == "in_progress" and on_track.legal_costs == Decimal("80.00")


def test_no_cost_or_record_before_the_case_is_on_the_legal_track(live_case, lawyer, today):
    with pytest.raises(ValidationError) as info:
        legal_cost_post(
            actor=lawyer,
            case=live_case,
            kind="court_fee",
            amount=Decimal("50.00"),
            incurred_on=today,
            reference="X",
        )
    assert "尚未转入法务程序" in " ".join(info.value.messages)
    assert not LedgerEntry.objects.filter(kind="legal_cost").exists()


def test_only_legal_keeps_the_record(on_track, alice, today):
    with pytest.raises(PermissionDenied):
        suit_file(
            actor=alice,
            case=on_track,
            court="北京市朝阳区人民法院",
            case_number="(2026)京0105民初1号",
            filed_on=today,
        )


def test_the_suit_from_filing_to_enforcement(on_track, lawyer, today):
    letter = letter_record(
        actor=lawyer,
        case=on_track,
        sent_on=today - dt.timedelta(days=30),
        law_firm="北京明理律师事务所",
        reference="ML-LH-0001",
    )
    assert letter.document is None
    suit = suit_file(
        actor=lawyer,
        case=on_track,
        court="北京市朝阳区人民法院",
        case_number="(2026)京0105民初1234号",
        filed_on=today,
    )
    with pytest.raises(ValidationError):  # the same court number twice
        suit_file(
            actor=lawyer,
            case=on_track,
            court="北京市朝阳区人民法院",
            case_number="(2026)京0105民初1234号",
            filed_on=today,
        )
    hearing_record(
        actor=lawyer, suit=suit, at=dt.datetime(2026, 4, 15, 9, 30, tzinfo=SHANGHAI_TZ), note="第一次开庭"
    )
    with pytest.raises(ValidationError):  # enforcement before a judgment
        enforcement_record(actor=lawyer, suit=suit, applied_on=today, number="", outcome="pending")
    with pytest.raises(ValidationError) as info:  # a judgment before filing
        judgment_record(
            actor=lawyer, suit=suit, judgment_on=today - dt.timedelta(days=1), amount=Decimal("1")
        )
    assert "judgment_on" in info.value.message_dict
    judgment_record(
        actor=lawyer, suit=suit, judgment_on=today, amount=Decimal("5125.00"), note="支持全部诉请"
    )
    enforcement_record(
        actor=lawyer, suit=suit, applied_on=today, number="(2026)京0105执100号", outcome="pending"
    )
    suit = Suit.objects.get()
    assert (suit.judgment_amount, suit.enforcement_outcome) == (Decimal("5125.00"), "pending")
    kinds = set(on_track.events.filter(kind__startswith="legal.").values_list("kind", flat=True))
    assert {
        "legal.letter",
        "legal.suit_filed",
        "legal.hearing",
        "legal.judgment",
        "legal.enforcement",
    } <= kinds


def test_dates_in_the_future_are_refused(on_track, lawyer, today):
    with pytest.raises(ValidationError) as info:
        letter_record(
            actor=lawyer, case=on_track, sent_on=today + dt.timedelta(days=1), law_firm="所", reference="R"
        )
    assert "sent_on" in info.value.message_dict


# --- after the approval: a dispute opened or the period lapsed since -----------------------------


def _letter(lawyer, case, sent_on, reference="ML-LH-9"):
    return letter_record(actor=lawyer, case=case, sent_on=sent_on, law_firm="北京明理律师事务所",
                         reference=reference)  # fmt: skip


def _suit(lawyer, case, filed_on, number="(2027)京0105民初9号"):
    return suit_file(actor=lawyer, case=case, court="北京市朝阳区人民法院", case_number=number,
                     filed_on=filed_on)  # fmt: skip


def _cost(lawyer, case, day, reference="FY-31"):
    return legal_cost_post(actor=lawyer, case=case, kind="enforcement", amount=Decimal("120.00"),
                           incurred_on=day, reference=reference)  # fmt: skip


def _codes(info) -> list[str]:
    return [e.code for e in info.value.error_list]


def test_a_dispute_opened_after_approval_stops_letters_suits_and_costs(on_track, alice, lawyer, today):
    suit = _suit(lawyer, on_track, today)  # filed before the dispute
    dispute_open(actor=alice, case=on_track, reason="债务人称部分消费非本人所为")
    for step in (
        lambda: _letter(lawyer, on_track, today),
        lambda: _suit(lawyer, on_track, today, number="(2026)京0105民初10号"),
        lambda: _cost(lawyer, on_track, today),
    ):
        with pytest.raises(ValidationError) as info:
            step()
        assert _codes(info) == ["disputed"]
        message = " ".join(info.value.messages)
        assert (
            "异议处理完毕前不得发律师函、起诉或计入法律费用" in message and "dispute under review" in message
        )
    on_track.refresh_from_db()
    assert on_track.legal_costs == 0 and not LegalCost.objects.exists()
    assert Suit.objects.get() == suit and not on_track.lawyer_letters.exists()
    # The suit already brought goes on being recorded: the court, not the collector, hears it now.
    hearing_record(actor=lawyer, suit=suit, at=dt.datetime(2026, 4, 15, 9, 30, tzinfo=SHANGHAI_TZ))
    judgment_record(actor=lawyer, suit=suit, judgment_on=today, amount=Decimal("5125.00"))
    enforcement_record(
        actor=lawyer, suit=suit, applied_on=today, number="(2026)京0105执9号", outcome="pending"
    )
    assert Suit.objects.get().enforcement_outcome == "pending"


def test_after_the_period_lapsed_no_new_letter_suit_or_cost_but_what_was_done_in_time_is_recorded(
    on_track, lawyer, today, at
):
    """on_track's period lapses on 2027-06-30 (nothing restarted it); the lawyer comes back in July."""
    at(2027, 7, 2, 10, 0)
    lapsed_today = dt.date(2027, 7, 2)
    for step in (
        lambda: _letter(lawyer, on_track, lapsed_today),
        lambda: _suit(lawyer, on_track, lapsed_today),
        lambda: _cost(lawyer, on_track, lapsed_today),
    ):
        with pytest.raises(ValidationError) as info:
            step()
        assert _codes(info) == ["time_barred"]
        message = " ".join(info.value.messages)
        assert (
            "诉讼时效已于 2027-06-30 届满" in message and "limitation period lapsed on 2027-06-30" in message
        )
    assert not Suit.objects.exists() and not LegalCost.objects.exists()
    # A letter sent on the last day was lawful then: recording it late records a fact.
    assert _letter(lawyer, on_track, dt.date(2027, 6, 30)).reference == "ML-LH-9"


def test_a_suit_filed_in_time_keeps_its_costs_and_record_after_the_lapse_date(on_track, lawyer, today, at):
    """The suit interrupted the period; the nightly run's date does not know it, legal's record does."""
    at(2027, 7, 2, 10, 0)
    suit = _suit(lawyer, on_track, dt.date(2027, 6, 1))  # recorded after the lapse date, filed in time
    at(2027, 9, 1, 10, 0)
    judgment_record(actor=lawyer, suit=suit, judgment_on=dt.date(2027, 8, 20), amount=Decimal("5125.00"))
    enforcement_record(actor=lawyer, suit=suit, applied_on=dt.date(2027, 9, 1), number="(2027)京0105执1号",
                       outcome="pending")  # fmt: skip
    _cost(lawyer, on_track, dt.date(2027, 9, 1))
    on_track.refresh_from_db()
    assert on_track.legal_costs == Decimal("120.00")


def test_the_same_letter_saved_twice_at_once_gets_the_clear_error_not_a_crash(on_track, lawyer, today):
    """Two saves of the same letter at the same moment: the other one lands between this one's check
    and its insert (played here by a receiver that saves it just before this insert)."""

    def the_other_save(sender, instance, **kwargs):
        pre_save.disconnect(the_other_save, sender=LawyerLetter)
        LawyerLetter.objects.create(
            case=instance.case, sent_on=instance.sent_on, law_firm=instance.law_firm,
            reference=instance.reference, recorded_by=lawyer, recorded_at=instance.recorded_at,
        )  # fmt: skip

    pre_save.connect(the_other_save, sender=LawyerLetter)
    try:
        with pytest.raises(ValidationError) as info:
            _letter(lawyer, on_track, today, reference="ML-LH-77")
    finally:
        pre_save.disconnect(the_other_save, sender=LawyerLetter)
    (message,) = info.value.message_dict["reference"]
    assert message == "该编号的律师函已经登记。"  # the message the sequential duplicate gets
    assert not on_track.events.filter(kind="legal.letter").exists()
    # Nothing is left half done: the letter can be recorded (once) afterwards.
    assert _letter(lawyer, on_track, today, reference="ML-LH-77").reference == "ML-LH-77"
