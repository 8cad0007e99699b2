"""What the creditor's compliance profile asks of a field visit (pure).

The reference (compliance-rules.md, "Field visits") gives the CN field-visit rules as one block:
at least two collectors, ID shown, consent to enter, and a full recording (NIFA 2018; CBA 2026 Art
22). The profile data carry that block as the ``visit_min_collectors`` rule, which the guard
enforces; the profile has no separate parameter for the recording yet. Until it does, a profile
with the field-visit rule is read as asking for the whole block, so the recording requirement can
never be dropped while the two-person rule stands. A profile without it (US-REGF) asks only what
its own rules say.

The recording is of the whole visit, in sound (or sound and picture): a photo of the door shows
the agents were there, not what was said, so photos are kept as extra evidence but never stand in
for the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

from arrears.compliance.guard import Profile


@dataclass(frozen=True)
class VisitPolicy:
    min_agents: int  # shown on the scheduling form; the guard is what refuses
    recording_required: bool  # at least one audio (or video) recording before the report is accepted
    id_shown_required: bool  # agents confirm at check-in that they showed their ID
    consent_to_enter: bool  # entering the premises needs the occupant's consent


def visit_policy(profile: Profile) -> VisitPolicy:
    block = profile.has("visit_min_collectors")
    return VisitPolicy(
        min_agents=profile.visit_min_collectors if block else 1,
        recording_required=block,
        id_shown_required=block,
        consent_to_enter=True,  # never entering without consent is the law everywhere arrears works
    )
