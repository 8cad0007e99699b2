from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditorsConfig(AppConfig):
    name = "arrears.creditors"
    verbose_name = _("Creditors")

    def ready(self) -> None:
        from arrears.core.access import organisation_q, register

        # Everyone in an organisation may see the creditors and placements it works for.
        register("creditors.placement", lambda user: organisation_q(user, "organisation_id"))
        register("creditors.creditor", lambda user: organisation_q(user, "organisation_id"))
        register("creditors.columnmapping", lambda user: organisation_q(user, "creditor__organisation_id"))
