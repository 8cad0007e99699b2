from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "arrears.intake"
    verbose_name = _("Case intake")

    def ready(self) -> None:
        from arrears.core.access import organisation_q, register

        register("intake.importbatch", lambda user: organisation_q(user, "placement__organisation_id"))
