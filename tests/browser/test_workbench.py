"""The collector's day in a real browser, on the demo book: queue, dossier, call, outcome, re-order;
and the guard refusing a call at 22:30, shown and recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from arrears.compliance.models import ContactDecision
from arrears.demo.services import DEMO_PASSWORD, demo_seed
from arrears.payments.models import Promise

pytestmark = pytest.mark.django_db(transaction=True)
BUSINESS_DATE = dt.date(2026, 11, 30)


@pytest.fixture
def demo(at):
    at(2026, 11, 30, 10, 30)
    demo_seed(accounts=120, seed=11, business_date=BUSINESS_DATE)


def login(page, base: str, username: str = "collector1") -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("table.queue")


def queue_ids(page) -> list[str]:
    rows = "table.queue tbody tr[data-case]"
    return page.eval_on_selector_all(rows, "rows => rows.map(r => r.dataset.case)")


def test_collector_calls_records_a_promise_and_the_queue_reorders(page, live_server, demo):
    login(page, live_server.url)
    assert page.inner_text("h1") == "我的队列"
    before = queue_ids(page)
    top = before[0]

    page.keyboard.press("n")  # the shortcut for "next case"
    page.wait_for_url(re.compile(rf"/cases/{top}/$"))
    facts = page.inner_text("#key-facts")
    assert "欠款总额" in facts and "¥" in facts
    masked = page.inner_text("#id-number")
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", masked)

    page.click("[data-call]")
    page.wait_for_selector("form.outcome")
    page.select_option("form.outcome [name=outcome]", "right_party")
    page.select_option("form.outcome [name=result]", "promise")
    assert page.is_visible("form.outcome [name=promise_amount]")
    assert not page.is_visible("form.outcome [name=claimed_amount]")
    page.fill("form.outcome [name=promise_amount]", "1888.00")
    page.fill("form.outcome [name=promise_due]", "2026-12-05")
    page.click("form.outcome button.primary")
    page.wait_for_selector(".saved")
    assert "承诺 ¥1,888.00" in page.inner_text(".saved")
    assert "2026-12-05" in page.inner_text("#promises")  # swapped in without a reload
    assert "12-06 10:00" in page.inner_text("#next-follow-up")  # checked the day after it falls due

    promise = Promise.objects.get(case_id=int(top), amount="1888.00")
    assert promise.due_on == dt.date(2026, 12, 5) and promise.made_by.username == "collector1"

    page.click("text=我的队列")
    page.wait_for_selector("table.queue")
    after = queue_ids(page)
    assert after[0] != top
    assert top not in after[: before.index(top) + 1]


def test_the_guard_refuses_a_call_at_half_past_ten_and_says_so(page, live_server, demo, at):
    login(page, live_server.url)
    top = queue_ids(page)[0]
    at(2026, 11, 30, 22, 30)
    page.goto(f"{live_server.url}/cases/{top}/")
    page.click("[data-call]")
    page.wait_for_selector(".call-refused")
    refusal = page.inner_text(".call-refused")
    assert "不允许" in refusal and "22:30" in refusal and "22:00" in refusal
    assert "2026-12-01 08:00" in refusal  # when it will be allowed
    assert not page.is_visible("form.outcome")
    decision = ContactDecision.objects.get(case_id=int(top))
    assert not decision.allowed and decision.actor.username == "collector1"
    assert [v["rule"] for v in decision.violations] == ["quiet_hours"]


def test_a_promise_not_kept_shows_as_broken_after_the_nightly_run(page, live_server, demo, at):
    from django.core.management import call_command

    login(page, live_server.url)
    top = queue_ids(page)[0]
    page.goto(f"{live_server.url}/cases/{top}/")
    page.click("[data-call]")
    page.wait_for_selector("form.outcome")
    page.select_option("form.outcome [name=outcome]", "right_party")
    page.select_option("form.outcome [name=result]", "promise")
    page.fill("form.outcome [name=promise_amount]", "500.00")
    page.fill("form.outcome [name=promise_due]", "2026-12-01")
    page.click("form.outcome button.primary")
    page.wait_for_selector(".saved")

    at(2026, 12, 2, 9, 0)
    call_command("run_batch", "--date", "2026-12-02")
    page.reload()
    promises = page.inner_text("#promises")
    assert "2026-12-01" in promises and "未履行" in promises
    assert Promise.objects.get(case_id=int(top), due_on=dt.date(2026, 12, 1)).status == "broken"
