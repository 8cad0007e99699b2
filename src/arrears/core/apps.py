from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "arrears.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from arrears.core.access import organisation_q, register

        register("core.changelog", lambda user: organisation_q(user, "organisation_id"))
