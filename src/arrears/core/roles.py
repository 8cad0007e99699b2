"""Roles and what each may do. Pure data, no Django: the access choke point and the views read it.

Scope says which cases a role sees; the capabilities say which sensitive actions it may take.
Keeping them in one table means a reviewer can read the whole policy in one screen.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COLLECTOR = "collector"
    FIELD_AGENT = "field_agent"
    TEAM_LEAD = "team_lead"
    MANAGER = "manager"
    LEGAL = "legal"
    FINANCE = "finance"
    QA = "qa"
    COMPLAINTS = "complaints"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Scope(StrEnum):
    OWN = "own"  # cases assigned to the user
    TEAM = "team"  # cases assigned to the user's team or its members
    ORGANISATION = "organisation"  # every case placed with the user's organisation


SCOPE: dict[Role, Scope] = {
    Role.COLLECTOR: Scope.OWN,
    Role.FIELD_AGENT: Scope.OWN,
    Role.TEAM_LEAD: Scope.TEAM,
    Role.MANAGER: Scope.ORGANISATION,
    Role.LEGAL: Scope.ORGANISATION,
    Role.FINANCE: Scope.ORGANISATION,
    Role.QA: Scope.ORGANISATION,
    Role.COMPLAINTS: Scope.ORGANISATION,
    Role.ADMIN: Scope.ORGANISATION,
    Role.AUDITOR: Scope.ORGANISATION,
}

# Capabilities beyond reading the cases in scope. Revealing personal data is limited to roles that
# need the clear value for their work (legal filings, management escalations); collectors call
# through the system and work with masked numbers.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "reveal_id_number": frozenset({Role.MANAGER, Role.LEGAL, Role.ADMIN}),
    "reveal_phone": frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.LEGAL, Role.ADMIN}),
    "manage_creditors": frozenset({Role.ADMIN, Role.MANAGER}),
    "import_cases": frozenset({Role.ADMIN, Role.MANAGER, Role.TEAM_LEAD}),
    "assign_cases": frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN}),
    "view_audit": frozenset({Role.ADMIN, Role.AUDITOR, Role.QA}),
    "manage_tokens": frozenset({Role.ADMIN}),
    "post_payments": frozenset({Role.FINANCE, Role.MANAGER, Role.ADMIN}),
    "record_promises": frozenset({Role.COLLECTOR, Role.FIELD_AGENT, Role.TEAM_LEAD, Role.MANAGER}),
    "request_waivers": frozenset({Role.COLLECTOR, Role.TEAM_LEAD, Role.MANAGER}),
    "contact_debtors": frozenset({Role.COLLECTOR, Role.FIELD_AGENT, Role.TEAM_LEAD, Role.MANAGER}),
    # Disputes are reviewed away from the collector who works the case.
    "resolve_disputes": frozenset({Role.COMPLAINTS, Role.TEAM_LEAD, Role.MANAGER}),
    # Certificates and letters printed for a debtor.
    "issue_certificates": frozenset({Role.COLLECTOR, Role.TEAM_LEAD, Role.MANAGER, Role.FINANCE}),
    # Letters in batch for the post and their delivery; the law firms, letterheads and letter wording.
    "send_letters": frozenset({Role.TEAM_LEAD, Role.MANAGER}),
    "manage_letters": frozenset({Role.MANAGER, Role.ADMIN}),
    # Managers keep the script library (话术) of their organisation.
    "manage_scripts": frozenset({Role.MANAGER, Role.ADMIN}),
    # SMS and e-mail templates and sender details; and the gateway's reports (receipts, replies).
    "manage_templates": frozenset({Role.MANAGER, Role.ADMIN}),
    "report_messages": frozenset({Role.MANAGER, Role.ADMIN}),
    # The nightly run's record, and the strategies that decide each case's treatment.
    "view_batch_runs": frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR}),
    "manage_strategies": frozenset({Role.MANAGER, Role.ADMIN}),
    # The compliance report and the profile tester: QA's daily work, and management's oversight.
    "view_compliance": frozenset({Role.QA, Role.MANAGER, Role.ADMIN, Role.AUDITOR, Role.TEAM_LEAD}),
    # Field visits (外访): collectors ask, team leads approve and staff them, field agents go.
    "request_visits": frozenset({Role.COLLECTOR, Role.TEAM_LEAD, Role.MANAGER}),
    "approve_visits": frozenset({Role.TEAM_LEAD, Role.MANAGER}),
    "make_visits": frozenset({Role.FIELD_AGENT}),
    # The legal track (法务): collectors propose a case for litigation, legal decides and keeps the
    # record (letters, suits, costs); the legal desk is read by legal and management.
    "propose_legal": frozenset({Role.COLLECTOR, Role.TEAM_LEAD, Role.MANAGER, Role.LEGAL}),
    "decide_legal": frozenset({Role.LEGAL}),
    "record_legal": frozenset({Role.LEGAL}),
    "view_legal": frozenset({Role.LEGAL, Role.MANAGER, Role.ADMIN, Role.AUDITOR}),
}


def can(role: str | None, capability: str) -> bool:
    if role is None:
        return False
    return Role(role) in CAPABILITIES[capability]


_SCOPE_RANK = {Scope.OWN: 0, Scope.TEAM: 1, Scope.ORGANISATION: 2}


def within(role: str, limit: str) -> bool:
    """Whether ``role`` sees and may do no more than ``limit`` (an API token never exceeds its user)."""
    narrow, wide = Role(role), Role(limit)
    if _SCOPE_RANK[SCOPE[narrow]] > _SCOPE_RANK[SCOPE[wide]]:
        return False
    return all(wide in holders for holders in CAPABILITIES.values() if narrow in holders)
