from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "arrears.workbench"
    verbose_name = _("Collector workbench")

    def ready(self) -> None:
        from arrears.core.access import organisation_q, register

        # Every user of an organisation reads its scripts; only managers change them (services).
        register("workbench.script", lambda user: organisation_q(user, "organisation_id"))
