from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "arrears.legal"
    verbose_name = _("Legal")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        for model in ("escalation", "lawyerletter", "suit", "legalcost"):
            register(f"legal.{model}", lambda user: case_q(user, "case__"))
        register("legal.hearing", lambda user: case_q(user, "suit__case__"))
