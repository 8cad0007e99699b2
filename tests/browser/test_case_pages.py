"""Log in, find a case, open it, reveal nothing by accident: in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-pass-123")
    page.click("button.primary")


def test_collector_finds_and_opens_a_case(page, live_server, placement, alice, bob):
    own = make_case(placement, collector=alice, account="6222000000000001")
    other = make_case(placement, collector=bob, account="6222000000000002")
    login(page, live_server.url, "alice")
    page.wait_for_selector("table.queue")  # a collector starts on their queue
    page.goto(f"{live_server.url}/cases/")
    assert "案件" in page.inner_text("h1")
    body = page.inner_text("main")
    assert own.account_number in body and other.account_number not in body

    page.fill("input[name=q]", own.debtor.id_last4)
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"q="))
    page.click(f"text={own.debtor.name}")
    page.wait_for_selector("#key-facts")
    facts = page.inner_text("main")
    assert own.debtor.id_masked in facts
    assert own.debtor.reveal_id_number() not in facts
    assert "欠款总额" in facts and "5,125.00" in facts

    page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert "404" in page.title() or "Not Found" in page.content()


def test_language_switch_to_english(page, live_server, placement, manager):
    make_case(placement)
    login(page, live_server.url, "manager")
    page.wait_for_selector("table.grid")
    page.click("form.lang button[value=en]")
    page.wait_for_selector("text=Total owed")
    assert page.inner_text("h1") == "Cases"
