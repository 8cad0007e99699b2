"""The pure cores of field visits: the state machine, reading a report, the district, file sniffing."""

from __future__ import annotations

import pytest

from arrears.compliance.guard import load_profile
from arrears.visits import flow
from arrears.visits.evidence import NotEvidence, sha256_of, sniff
from arrears.visits.policy import visit_policy
from tests.visits.conftest import JPEG, M4A, PDF


def test_steps_follow_the_life_of_a_visit():
    assert flow.may("approve", "requested") and not flow.may("approve", "approved")
    assert flow.may("check_in", "scheduled") and not flow.may("check_in", "approved")
    assert flow.may("report", "checked_in") and not flow.may("report", "scheduled")
    assert flow.may("close", "reported") and not flow.may("close", "checked_in")
    assert not flow.may("cancel", "checked_in")  # once at the door, the visit is reported, not cancelled


@pytest.mark.parametrize(
    ("met", "finding", "expected"),
    [
        ("debtor", "promise", ("right_party", "promise", "")),
        ("debtor", "refusal", ("right_party", "refuses", "")),
        ("debtor", "plan_request", ("right_party", "plan_request", "")),
        ("family", "moved_away", ("third_party", "", "moved_away")),
        ("nobody", "address_invalid", ("no_answer", "", "address_invalid")),
        ("nobody", "", ("no_answer", "", "")),
    ],
)
def test_a_report_reads_as_a_call_outcome(met, finding, expected):
    reading = flow.read_report(met=met, finding=finding)
    assert (reading.outcome, reading.result, reading.address_finding) == expected


@pytest.mark.parametrize(
    ("met", "finding", "field"),
    [
        ("family", "promise", "finding"),  # only the debtor promises
        ("nobody", "refusal", "finding"),
        ("debtor", "moved_away", "finding"),  # meeting the debtor there proves the address
        ("debtor", "", "finding"),
        ("someone", "", "met"),
        ("debtor", "threaten", "finding"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_the_field(met, finding, field):
    with pytest.raises(flow.ReportError) as info:
        flow.read_report(met=met, finding=finding)
    assert info.value.field == field and " / " in str(info.value)


@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("北京市朝阳区建国路 88 号", "朝阳区"),
        ("广东省深圳市南山区科技园", "南山区"),
        ("内蒙古自治区呼和浩特市新城区", "新城区"),
        ("浙江省义乌市稠城街道 1 号", "义乌市"),
        ("湖南省长沙县星沙镇", "长沙县"),
        ("河南省郑州市中原区站前路48号", "中原区"),
        ("浙江省温州市瑞安市青年路377号", "瑞安市"),
        ("四川省甘孜藏族自治州康定市炉城镇", "康定市"),
        ("12 Some Road", ""),
    ],
)
def test_district_is_read_from_the_address(address, district):
    assert flow.district_of(address) == district


def test_files_are_judged_by_their_bytes():
    assert sniff(JPEG).kind == "photo"
    assert sniff(M4A).kind == "audio"
    assert sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ").label == "WAV"
    assert sniff(b"#!AMR\n" + b"\x00" * 20).kind == "audio"
    with pytest.raises(NotEvidence):
        sniff(PDF)
    with pytest.raises(NotEvidence):
        sniff(b"MZ\x90\x00" + b"\x00" * 20)  # a program named photo.jpg is still a program
    assert sha256_of([b"ab", b"c"]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_cn_profile_asks_for_two_agents_and_a_recording_the_us_profile_does_not():
    cn, us = visit_policy(load_profile("CN")), visit_policy(load_profile("US-REGF"))
    assert (cn.min_agents, cn.recording_required, cn.id_shown_required) == (2, True, True)
    assert (us.recording_required, us.id_shown_required) == (False, False)
