from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "arrears.visits"
    verbose_name = _("Field visits")

    def ready(self) -> None:
        from arrears.core.access import register, to_many
        from arrears.visits.selectors import visit_q

        # A field agent sees the visits they are sent on, not the rest of the case's work.
        register("visits.visit", to_many(lambda user: visit_q(user)))
        register("visits.visitevidence", to_many(lambda user: visit_q(user, "visit__")))
