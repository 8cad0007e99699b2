"""Which part of the book a run covers: all of it, some creditors (a partition a worker takes), or
some cases (an at-once re-evaluation). Every read and every write of the run is narrowed by it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q


def _ints(values: tuple[int, ...]) -> str:
    return ", ".join(str(int(v)) for v in values)


@dataclass(frozen=True)
class Scope:
    case_ids: tuple[int, ...] = ()
    creditor_ids: tuple[int, ...] = ()

    @property
    def creditors(self) -> list[int] | None:
        """The creditors of a partition, for the money steps; None for the whole book."""
        return list(self.creditor_ids) if self.creditor_ids else None

    @property
    def label(self) -> str:
        if self.creditor_ids:
            return f"creditors {','.join(str(c) for c in self.creditor_ids)}"
        return f"{len(self.case_ids)} cases" if self.case_ids else ""

    def on_cases(self, alias: str) -> str:
        """An ``AND`` clause narrowing the cases table (as ``alias``) to the scope."""
        if self.case_ids:
            return f" AND {alias}.id IN ({_ints(self.case_ids)})"
        if self.creditor_ids:
            return f" AND {alias}.creditor_id IN ({_ints(self.creditor_ids)})"
        return ""

    def on_case_id(self) -> str:
        """An ``AND`` clause narrowing a table with a ``case_id`` column to the scope."""
        if self.case_ids:
            return f" AND case_id IN ({_ints(self.case_ids)})"
        if self.creditor_ids:
            cases = f"SELECT id FROM cases_case WHERE creditor_id IN ({_ints(self.creditor_ids)})"
            return f" AND case_id IN ({cases})"
        return ""

    def q(self, prefix: str = "case__") -> Q:
        """The scope as a filter on a model reaching the case through ``prefix``."""
        if self.case_ids:
            return Q(**{f"{prefix}id__in": self.case_ids})
        if self.creditor_ids:
            return Q(**{f"{prefix}creditor_id__in": self.creditor_ids})
        return Q()


WHOLE_BOOK = Scope()
