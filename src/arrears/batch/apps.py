from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BatchConfig(AppConfig):
    name = "arrears.batch"
    verbose_name = _("Nightly run and strategies")

    def ready(self) -> None:
        from arrears.core.access import capability_q, case_q, organisation_q, register

        for model in ("bucketmove", "casesnapshot", "casewarning", "strategydecision", "task"):
            register(f"batch.{model}", lambda user: case_q(user, "case__"))
        register("batch.strategy", lambda user: organisation_q(user, "creditor__organisation_id"))
        register("batch.batchrun", lambda user: capability_q(user, "view_batch_runs", "organisation_id"))
