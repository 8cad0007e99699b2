from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "arrears.compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        register("compliance.contactdecision", lambda user: case_q(user, "case__"))
