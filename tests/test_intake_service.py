"""Case intake end to end: counts, row errors, idempotency, updates with history, kept files."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from arrears.cases.models import Case, CaseEvent
from arrears.core.models import ChangeLog
from arrears.creditors.models import Creditor
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.intake.models import ImportBatch
from arrears.intake.services import ImportRefused, cases_import, stored_file
from tests.intake._factory import BUSINESS_DATE, HEADER, data_row, id_for, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(placement, data: bytes, actor=None, filename="委案.xlsx"):
    return cases_import(
        actor=actor,
        creditor=placement.creditor,
        placement=placement,
        data=data,
        filename=filename,
        business_date=BUSINESS_DATE,
    )


@pytest.fixture
def messy_file() -> bytes:
    """Title row, header, 3 good rows, a bad ID, a negative amount, an invalid phone (warning)."""
    rows = table(
        data_row(1),
        data_row(2, 手机号码="+86 139-0013-9000"),
        data_row(3, 身份证号=id_for(3)[:-1] + ("0" if id_for(3)[-1] != "0" else "1")),
        data_row(4, 本金="-5", 欠款总额="245.50"),
        data_row(5, 手机号码="12345"),
        data_row(6, 本金="¥1,000.00元", 身份证号=id_for(6).lower()),
    )
    return xlsx_bytes(rows)


def test_counts_and_row_errors(placement, messy_file):
    result = run(placement, messy_file)
    assert (result.imported, result.updated, result.unchanged, result.rejected) == (4, 0, 0, 2)
    assert len(result.warnings) == 1 and result.warnings[0]["row"] == 7
    # title row 1, header row 2: data row n is spreadsheet row n + 2
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (5, "身份证号", "id_check_digit"),
        (6, "本金", "amount_negative"),
    ]
    assert all(" / " in e["reason"] for e in result.errors)  # Chinese / English
    assert Case.objects.count() == 4 and Debtor.objects.count() == 4
    # bulk creations are logged once, with the import that made them; each case has its event
    assert ChangeLog.objects.get(action="create").model == "intake.importbatch"
    assert CaseEvent.objects.filter(kind="case.imported").count() == 4
    assert set(result.as_json()) >= {"imported", "updated", "unchanged", "rejected", "warnings", "errors"}


def test_values_are_normalised_and_stored(placement, messy_file):
    run(placement, messy_file)
    case = Case.objects.get(account_number="6222020000000002")
    assert case.principal == Decimal("1000.00") and case.total == Decimal("1250.50")
    assert case.dpd_on(dt.date(2024, 8, 1)) == 61 and case.bucket == "M3"  # 2024-06-01 to 2024-08-01
    assert ContactPoint.objects.filter(
        debtor=case.debtor, value="+8613900139000", status="unverified"
    ).exists()
    invalid = ContactPoint.objects.get(value="12345")
    assert invalid.status == "invalid"
    lower_x = Case.objects.get(account_number="6222020000000006").debtor
    assert lower_x.reveal_id_number() == id_for(6).upper()


def test_console_imports_reach_the_organisations_auditors(placement, org, messy_file):
    from arrears.core.access import restrict
    from tests.conftest import make_user

    run(placement, messy_file)  # actor None: an operator at the console
    auditor = make_user("auditor", "auditor", org)
    entry = restrict(ChangeLog.objects.all(), auditor).get()
    assert (entry.model, entry.user, entry.organisation) == ("intake.importbatch", None, org)


def test_same_file_twice_changes_nothing(placement, messy_file):
    first = run(placement, messy_file)
    counts = (
        Case.objects.count(),
        CaseEvent.objects.count(),
        ChangeLog.objects.count(),
        ContactPoint.objects.count(),
    )
    second = run(placement, messy_file)
    assert (second.imported, second.updated, second.unchanged, second.rejected) == (0, 0, 4, 2)
    assert second.same_file_as == first.batch.pk
    assert second.batch.status == ImportBatch.Status.UNCHANGED
    assert second.batch.file.name == first.batch.file.name  # the kept file is not stored twice
    after = (
        Case.objects.count(),
        CaseEvent.objects.count(),
        ChangeLog.objects.count(),
        ContactPoint.objects.count(),
    )
    assert after == counts


def test_reimport_updates_and_records_what_changed(placement, messy_file):
    run(placement, messy_file)
    same_2 = data_row(2, 手机号码="+86 139-0013-9000")
    changed = xlsx_bytes(table(data_row(1, 利息="300.50", 欠款总额="1350.50"), same_2, data_row(7)))
    result = run(placement, changed)
    assert (result.imported, result.updated, result.unchanged) == (1, 1, 1)
    case = Case.objects.get(account_number="6222020000000001")
    assert case.interest == Decimal("300.50") and case.total == Decimal("1350.50")
    event = CaseEvent.objects.get(case=case, kind="case.updated")
    assert event.data["changes"]["interest"] == ["200.50", "300.50"]
    log = ChangeLog.objects.get(model="cases.case", object_id=str(case.pk), action="update")
    assert (log.before["interest"], log.after["interest"]) == ("200.50", "300.50")
    assert Case.objects.filter(account_number="6222020000000001").count() == 1


def test_reimport_with_only_a_new_phone_counts_as_updated(placement):
    run(placement, xlsx_bytes(table(data_row(1))))
    result = run(placement, xlsx_bytes(table(data_row(1, 手机号码="13800138000/13700137000"))))
    assert (result.imported, result.updated, result.unchanged) == (0, 1, 0)
    case = Case.objects.get()
    assert ContactPoint.objects.filter(debtor=case.debtor, value="+8613700137000").exists()
    event = CaseEvent.objects.get(case=case, kind="case.updated")
    assert event.data["contact_points_added"] == 1


def test_sensitive_extra_columns_are_masked_and_kept_encrypted(placement):
    from arrears.intake.writer import _unseal

    spouse_id = id_for(42)
    header = [*HEADER, "配偶身份证号", "客户等级"]
    run(placement, xlsx_bytes([header, [*data_row(1), spouse_id, "VIP"]]))
    case = Case.objects.get()
    assert case.extra == {"配偶身份证号": spouse_id[:6] + "********" + spouse_id[-4:], "客户等级": "VIP"}
    assert _unseal(case.extra_secret) == {"配偶身份证号": spouse_id}
    assert spouse_id not in str(list(CaseEvent.objects.values("data"))) + str(
        list(ChangeLog.objects.values())
    )


def test_over_long_text_is_a_row_error_not_a_crash(placement):
    result = run(placement, xlsx_bytes(table(data_row(1, 姓名="张" * 101), data_row(2))))
    assert (result.imported, result.rejected) == (1, 1)
    assert result.errors[0]["code"] == "too_long" and result.errors[0]["row"] == 3


def test_invalid_phone_warning_does_not_repeat_the_number(placement):
    result = run(placement, xlsx_bytes(table(data_row(1, 手机号码="138001380"))))
    assert result.warnings[0]["code"] == "phone_invalid"
    assert "138001380" not in result.warnings[0]["reason"]


def test_each_organisation_keeps_its_own_dossier(placement, other_org, org):
    """The same person placed with two agencies: what one learns never reaches the other."""
    from arrears.creditors.models import Placement as P

    theirs = P.objects.create(
        creditor=placement.creditor,
        organisation=other_org,
        name="外包",
        entrusted_on=BUSINESS_DATE,
        return_on=BUSINESS_DATE,
        product_type="credit_card",
    )
    run(placement, xlsx_bytes(table(data_row(1))))
    run(theirs, xlsx_bytes(table(data_row(1, 姓名="张三改", 手机号码="13700137000"))))
    ours = Debtor.objects.get(organisation=org)
    assert ours.name == "张三1"
    assert not ContactPoint.objects.filter(debtor=ours, value="+8613700137000").exists()
    assert Debtor.objects.count() == 2


def test_one_debtor_with_two_accounts(placement):
    same = {"身份证号": id_for(9), "姓名": "李雷"}
    run(placement, xlsx_bytes(table(data_row(1, **same), data_row(2, **same))))
    assert Debtor.objects.count() == 1
    assert Debtor.objects.get().cases.count() == 2


def test_unknown_columns_and_contacts_are_kept(placement):
    header = [*HEADER, "客户等级", "联系人1姓名", "联系人1关系", "联系人1电话"]
    rows = [header, [*data_row(1), "VIP", "韩梅梅", "配偶", "13600136000"]]
    run(placement, xlsx_bytes(rows))
    case = Case.objects.get()
    assert case.extra == {"客户等级": "VIP"}
    person = ContactPerson.objects.get()
    assert (person.name, person.relationship) == ("韩梅梅", "配偶")
    assert ContactPoint.objects.filter(person=person, value="+8613600136000").exists()


def test_rejected_rows_come_back_in_a_workbook_that_reimports(placement, messy_file):
    result = run(placement, messy_file)
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(stored_file(result.batch.error_file)))
    rows = book.get_sheet_by_index(0).to_python()
    reasons = [r for r in rows if any("校验位" in str(c) for c in r)]
    assert len(reasons) == 1
    assert stored_file(result.batch.file) == messy_file  # the original is kept, exactly


def test_kept_files_are_encrypted_at_rest(placement, messy_file):
    result = run(placement, messy_file)
    raw = Path(result.batch.file.path).read_bytes()
    assert raw != messy_file and b"PK" not in raw[:4]


def test_file_level_refusal_is_recorded(placement):
    with pytest.raises(ImportRefused) as info:
        run(placement, b"not a spreadsheet at all", filename="x.xlsx")
    assert info.value.batch.status == ImportBatch.Status.FAILED
    assert Case.objects.count() == 0


def test_placement_of_another_creditor_is_refused(placement, org, messy_file):
    other = Creditor.objects.create(organisation=org, code="OTHER", name="其他银行")
    with pytest.raises(ValidationError):
        cases_import(actor=None, creditor=other, placement=placement, data=messy_file, filename="f.xlsx")


def test_collector_may_not_import(placement, alice, messy_file):
    with pytest.raises(PermissionDenied):
        run(placement, messy_file, actor=alice)


def test_upload_page(client, placement, manager, messy_file):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    upload = SimpleUploadedFile("委案明细.xlsx", messy_file)
    response = client.post(
        reverse("intake:upload"), {"placement": placement.pk, "file": upload, "business_date": "2024-08-01"}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake:detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "id_check_digit" not in page and "校验位" in page
    download = client.get(reverse("intake:download", args=[batch.pk, "rejected"]))
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a real xlsx, decrypted


@pytest.mark.parametrize("persona", ["alice", "outsider"])
def test_imports_are_closed_to_collectors_and_outsiders(
    client, request, placement, alice, persona, messy_file
):
    make_case_for = alice  # alice works cases of this very placement, and still may not see its files
    batch = run(placement, messy_file).batch
    Case.objects.filter(placement=placement).update(assigned_to=make_case_for)
    client.force_login(request.getfixturevalue(persona))
    if persona == "alice":
        assert client.get(reverse("intake:upload")).status_code == 403
    for url in (
        reverse("intake:detail", args=[batch.pk]),
        reverse("intake:download", args=[batch.pk, "original"]),
        reverse("intake:download", args=[batch.pk, "rejected"]),
        f"/api/v1/imports/{batch.pk}",
    ):
        assert client.get(url).status_code == 404, url


def test_cli_json_and_no_clear_id_in_the_database_file(tmp_path, messy_file):
    """Through the real console command, on a real SQLite file: the counts as JSON, and not one
    imported ID number anywhere in the database files."""
    env = {
        **os.environ,
        "ARREARS_DEV": "1",
        "ARREARS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    arrears = [sys.executable, "-m", "arrears"]

    def call(*args: str) -> str:
        done = subprocess.run([*arrears, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    call("migrate", "--noinput", "--verbosity", "0")
    setup = "; ".join(
        [
            "from arrears.accounts.models import Organisation as O",
            "from arrears.creditors.models import Creditor as C, Placement as P",
            "o = O.objects.create(code='a', name='A')",
            "c = C.objects.create(organisation=o, code='DH', name='东湖银行')",
            "P.objects.create(creditor=c, organisation=o, name='11月', entrusted_on='2024-07-01',"
            " return_on='2024-10-01', product_type='credit_card')",
        ]
    )
    call("shell", "-c", setup)
    source = tmp_path / "委案.xlsx"
    source.write_bytes(messy_file)
    out = json.loads(
        call(
            "import-cases",
            str(source),
            "--creditor",
            "DH",
            "--placement",
            "11月",
            "--date",
            "2024-08-01",
            "--json",
        )
    )
    assert (out["imported"], out["rejected"], out["warnings"]) == (4, 2, 1)
    assert [e["row"] for e in out["errors"]] == [5, 6]
    again = json.loads(
        call(
            "import-cases",
            str(source),
            "--creditor",
            "DH",
            "--placement",
            "11月",
            "--date",
            "2024-08-01",
            "--json",
        )
    )
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 4)
    database = b"".join(p.read_bytes() for p in tmp_path.glob("db.sqlite3*"))
    for n in (1, 2, 5, 6):
        number = id_for(n)
        assert number.encode() not in database and number.encode("utf-16-le") not in database
        assert number[-4:].encode() in database  # the search column is there, so the scan is real
        # nor anything that would rebuild it beside the masked form: the birth date is not kept
        assert number[6:14].encode() not in database
