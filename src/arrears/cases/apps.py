from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "arrears.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        register("cases.case", case_q)
        register("cases.caseevent", lambda user: case_q(user, "case__"))
        register("cases.reveallog", lambda user: case_q(user, "case__"))
