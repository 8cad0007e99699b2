"""Chinese names of legal costs, as the ledger and the court filings write them whatever the user's
language (the ledger is read by the debtor and the court in Chinese)."""

from __future__ import annotations

from arrears.legal.models import LegalCost

COST_ZH = {
    LegalCost.Kind.COURT_FEE: "诉讼费",
    LegalCost.Kind.LAWYER_FEE: "律师费",
    LegalCost.Kind.PRESERVATION_FEE: "保全费",
    LegalCost.Kind.ENFORCEMENT_FEE: "执行费",
    LegalCost.Kind.SERVICE_FEE: "送达费",
    LegalCost.Kind.OTHER: "其他法律费用",
}
