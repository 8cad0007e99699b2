from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "arrears.debtors"
    verbose_name = _("Debtors")

    def ready(self) -> None:
        from arrears.core.access import case_q, register, to_many

        register("debtors.debtor", to_many(lambda user: case_q(user, "cases__")))
        register("debtors.contactperson", to_many(lambda user: case_q(user, "debtor__cases__")))
        register("debtors.contactpoint", to_many(lambda user: case_q(user, "debtor__cases__")))
