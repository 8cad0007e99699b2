from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditorsConfig(AppConfig):
    name = "arrears.creditors"
    verbose_name = _("Creditors")

    def ready(self) -> None:
        from arrears.core.access import capability_q, case_q, register, scoped_q, to_many

        # Organisation-wide roles see all their organisation's creditors and placements; collectors
        # and team leads only those their cases come from.
        register(
            "creditors.placement",
            to_many(
                lambda user: scoped_q(
                    user, org_field="organisation_id", narrow=lambda u: case_q(u, "cases__")
                )
            ),
        )
        register(
            "creditors.creditor",
            to_many(
                lambda user: scoped_q(
                    user, org_field="organisation_id", narrow=lambda u: case_q(u, "cases__")
                )
            ),
        )
        register(
            "creditors.product",
            lambda user: capability_q(user, "manage_creditors", "creditor__organisation_id"),
        )
        register(
            "creditors.columnmapping",
            lambda user: capability_q(user, "import_cases", "creditor__organisation_id"),
        )
