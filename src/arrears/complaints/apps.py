from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "arrears.complaints"
    verbose_name = _("Complaints and disputes")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        register("complaints.dispute", lambda user: case_q(user, "case__"))
