"""Personas of the legal track: two lawyers (one proposes, the other decides) and a case on file."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from arrears.cases.models import Case
from arrears.core.roles import Role
from tests.conftest import make_case, make_user

SHANGHAI_TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def lawyer(org):
    return make_user("lawyer", Role.LEGAL, org)


@pytest.fixture
def lawyer2(org):
    return make_user("lawyer2", Role.LEGAL, org)


@pytest.fixture
def today(at):
    """The clock at 10:00 on 2 March 2026 in Shanghai (inside the contact window)."""
    at(2026, 3, 2, 10, 0)
    return dt.date(2026, 3, 2)


def with_limitation(case: Case, on: dt.date) -> Case:
    """What the nightly run does: set the day the limitation period lapses."""
    Case.objects.filter(pk=case.pk).update(limitation_on=on)
    case.refresh_from_db()
    return case


@pytest.fixture
def live_case(placement, alice, today):
    """A case whose limitation period runs until next year."""
    return with_limitation(make_case(placement, collector=alice), dt.date(2027, 6, 30))


@pytest.fixture
def on_track(live_case, alice, lawyer):
    from arrears.legal.services import escalation_decide, escalation_propose

    proposal = escalation_propose(actor=alice, case=live_case, reason="多次承诺未履行，拒不还款")
    escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="证据充分，同意起诉")
    return live_case
