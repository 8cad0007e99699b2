from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _worked(user):
    from arrears.core.access import case_q

    return case_q(user, "creditor__cases__")


class BatchConfig(AppConfig):
    name = "arrears.batch"
    verbose_name = _("Nightly run and strategies")

    def ready(self) -> None:
        from arrears.core.access import capability_q, case_q, register, scoped_q, to_many

        for model in ("bucketmove", "casesnapshot", "casewarning", "strategydecision", "task"):
            register(f"batch.{model}", lambda user: case_q(user, "case__"))
        register(
            "batch.strategy",
            to_many(
                lambda user: scoped_q(
                    user, org_field="creditor__organisation_id", narrow=_worked
                )
            ),
        )
        register("batch.batchrun", lambda user: capability_q(user, "view_batch_runs", "organisation_id"))
        # Strategies are the creditor's: organisation-wide roles read them all, a collector those of
        # the creditors whose cases they work (why a case got its treatment); managers change them.
