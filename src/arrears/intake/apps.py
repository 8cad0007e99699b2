from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "arrears.intake"
    verbose_name = _("Case intake")

    def ready(self) -> None:
        from arrears.core.access import capability_q, register

        # Imports keep whole creditor files: only the roles that may import may see them.
        register(
            "intake.importbatch",
            lambda user: capability_q(user, "import_cases", "placement__organisation_id"),
        )
