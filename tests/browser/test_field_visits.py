"""The field agent's phone page in a real browser at 390x844: today's visits by district, readable
without sideways scrolling, big buttons, check-in and the report form with the camera input.

Set ARREARS_SCREENSHOTS=docs/screenshots to refresh docs/screenshots/field-visits-*.png, and
ARREARS_LOCALE_PREVIEW to a folder of compiled catalogues to see strings not yet in src/arrears/locale."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from arrears.visits import services
from arrears.visits.models import Visit
from tests.conftest import make_case, make_debtor
from tests.visits.conftest import fa1, fa2  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def day(at, placement, alice, lead_a, fa1, fa2):  # noqa: F811
    at(2026, 12, 1, 9, 0)
    plans = [
        ("王芳", "北京市朝阳区建国路 88 号 3 号楼 502", 10, "电话连续一周无人接听"),
        ("李强", "北京市朝阳区望京街 9 号 2 单元 1101", 14, "承诺两次未履行"),
        ("赵敏", "北京市海淀区中关村大街 27 号", 16, "核实新地址"),
    ]
    for name, address, hour, reason in plans:
        case = make_case(placement, collector=alice, debtor=make_debtor(name))
        visit = services.visit_request(actor=alice, case=case, address=address, reason=reason)
        services.visit_decide(actor=lead_a, visit=visit, approve=True)
        services.visit_schedule(actor=lead_a, visit=visit, agents=[fa1, fa2],
                                scheduled_for=dt.datetime(2026, 12, 2, hour, 0, tzinfo=SHANGHAI))  # fmt: skip
    at(2026, 12, 2, 9, 45)


def test_the_phone_page_of_the_day(browser, live_server, day, settings):
    if os.environ.get("ARREARS_LOCALE_PREVIEW"):
        settings.LOCALE_PATHS = [os.environ["ARREARS_LOCALE_PREVIEW"], *settings.LOCALE_PATHS]
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "fa1")
        page.fill("input[name=password]", "test-pass-123")
        page.click("button.primary")
        page.goto(f"{live_server.url}/visits/today/")
        assert page.inner_text("h1").startswith(("今日外访", "Today's visits"))
        districts = page.eval_on_selector_all("h2.district", "hs => hs.map(h => h.innerText)")
        assert [d.split(" · ")[0] for d in districts] == ["朝阳区", "海淀区"]
        # Readable at 390 px: nothing wider than the screen, buttons a thumb can hit.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        heights = page.eval_on_selector_all("a.big", "as => as.map(a => a.getBoundingClientRect().height)")
        assert len(heights) == 3 and min(heights) >= 48
        if os.environ.get("ARREARS_SCREENSHOTS"):
            folder = Path(os.environ["ARREARS_SCREENSHOTS"])
            page.screenshot(path=str(folder / "field-visits-phone.png"), full_page=True)

        page.click("a.big >> nth=0")
        page.fill("[name=location_note]", "3 号楼 502 门口")
        page.check("[name=id_shown]")
        page.click("button.primary.big")
        page.wait_for_selector("form[action$='/report/']")
        files = page.locator("form[action$='/report/'] input[type=file]")
        assert files.get_attribute("accept") == "audio/*,image/*" and files.get_attribute("capture")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert Visit.objects.filter(status="checked_in").count() == 1
        if os.environ.get("ARREARS_SCREENSHOTS"):
            page.screenshot(path=str(Path(os.environ["ARREARS_SCREENSHOTS"]) / "field-visits-report.png"),
                            full_page=True)  # fmt: skip
    finally:
        context.close()
