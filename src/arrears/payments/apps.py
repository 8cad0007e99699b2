from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "arrears.payments"
    verbose_name = _("Payments and promises")

    def ready(self) -> None:
        from arrears.core.access import capability_q, case_q, register

        register("payments.payment", lambda user: case_q(user, "case__"))
        register("payments.promise", lambda user: case_q(user, "case__"))
        register("payments.ledgerentry", lambda user: case_q(user, "case__"))
        register("payments.waiverrequest", lambda user: case_q(user, "case__"))
        register("payments.repaymentplan", lambda user: case_q(user, "case__"))
        register("payments.planinstalment", lambda user: case_q(user, "plan__case__"))
        register("payments.paymentclaim", lambda user: case_q(user, "case__"))
        register("payments.suspenseitem", lambda user: capability_q(user, "post_payments", "organisation_id"))
