"""The nightly run's contactability step (失联): the lost-contact state of every open case brought in
line with what is on file about the debtor's numbers, in two set-based statements.

The contact history moves the state at once: every recorded call outcome re-reads the guard's own
definition (``compliance.facts.lost_now``: every own number invalid, or the last calls all
unanswered), so a history-driven change never waits for the night. What changes without a call is
the register of numbers: an import marks numbers invalid, a visit or a creditor's file brings a new
one. So the night
- marks lost the cases whose debtor's own phone numbers are now all invalid, and
- brings back the lost cases whose debtor has a number added since they were lost that is not known
  to be invalid: there is someone to dial, and the case returns to the queue.
Each change is written on the case's event log; running the date again changes nothing more.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from arrears.batch.scope import Scope
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.contacts.services import WORKING
from arrears.core import bulk

OPEN = ", ".join(f"'{s}'" for s in (*WORKING, CaseStatus.PROMISED, CaseStatus.PLAN, CaseStatus.DISPUTED))
OWN_PHONES = "p.debtor_id = cases_case.debtor_id AND p.person_id IS NULL AND p.kind <> 'email'"


def contactability(*, scope: Scope) -> dict[str, int]:
    now = timezone.now()
    within = scope.on_cases("cases_case")
    lost = _returning(
        f"""UPDATE cases_case SET lost_contact_since = %s
            WHERE lost_contact_since IS NULL AND status IN ({OPEN}){within}
              AND debtor_id IN (SELECT p.debtor_id FROM debtors_contactpoint p
                                WHERE p.person_id IS NULL AND p.kind <> 'email' AND p.status = 'invalid')
              AND NOT EXISTS (SELECT 1 FROM debtors_contactpoint p
                              WHERE {OWN_PHONES} AND p.status <> 'invalid')
            RETURNING id""",
        [connection.ops.adapt_datetimefield_value(now)],  # as the ORM stores it (SQLite: naive UTC text)
    )  # fmt: skip
    regained = _returning(
        f"""UPDATE cases_case SET lost_contact_since = NULL
            WHERE lost_contact_since IS NOT NULL{within}
              AND EXISTS (SELECT 1 FROM debtors_contactpoint p WHERE {OWN_PHONES} AND p.status <> 'invalid'
                          AND p.created_at > cases_case.lost_contact_since)
            RETURNING id""",
        [],
    )  # fmt: skip
    moves = (
        (lost, WORKING, CaseStatus.LOST_CONTACT),
        (regained, [CaseStatus.LOST_CONTACT], CaseStatus.IN_PROGRESS),
    )
    for ids, status_from, status_to in moves:
        for part in bulk.chunks(ids):
            Case.objects.filter(pk__in=part, status__in=status_from).update(status=status_to)
    noted = [(pk, "contact.lost", "numbers_invalid") for pk in lost]
    noted += [(pk, "contact.regained", "new_number") for pk in regained]
    events.record_many(events.event(Case(pk=pk), kind, actor=None, reason=why) for pk, kind, why in noted)
    return {"lost": len(lost), "regained": len(regained)}


def _returning(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
