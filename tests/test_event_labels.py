"""Every kind of case event the code records has a name in the case's history, in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import arrears
from arrears.cases import events
from arrears.cases.event_labels import LABELS
from tests.conftest import make_case

PACKAGE = Path(arrears.__file__).parent
RECORDED = re.compile(r"events\.(?:record|event)\(\s*[\w.()=]+,\s*\"([a-z_]+\.[a-z_]+)\"")
IN_TEMPLATE = {"case.assigned", "pii.revealed"}  # named in the template itself, with their data


def test_every_literal_event_kind_has_a_label():
    recorded = {kind for path in PACKAGE.rglob("*.py") for kind in RECORDED.findall(path.read_text("utf-8"))}
    assert len(recorded) > 30  # the scan finds the calls
    assert recorded - IN_TEMPLATE - set(LABELS) == set()


@pytest.mark.django_db
def test_the_history_shows_names_not_codes(client, placement, alice):
    case = make_case(placement, collector=alice)
    events.record(case, "legal.cost", actor=None, amount="500.00")
    events.record(case, "promise.broken", actor=None, amount="100.00", paid="0.00")
    client.force_login(alice)
    with translation.override("zh-hans"):
        page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "计收法律费用" in page and "承诺未履行" in page
    assert "legal.cost" not in page and "promise.broken" not in page
