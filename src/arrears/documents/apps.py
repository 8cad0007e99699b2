from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "arrears.documents"
    verbose_name = _("Letters and documents")

    def ready(self) -> None:
        from arrears.core.access import capability_q, case_q, organisation_q, register

        register("documents.document", lambda user: case_q(user, "case__"))
        register("documents.dispatch", lambda user: case_q(user, "case__"))
        # Everyone of the organisation may pick a law firm and read a letterhead (they print on letters).
        register("documents.lawfirm", lambda user: organisation_q(user, "organisation_id"))
        register("documents.letterhead", lambda user: organisation_q(user, "creditor__organisation_id"))
        register(
            "documents.lettertemplate",
            lambda user: capability_q(user, "manage_letters", "creditor__organisation_id"),
        )
        register("documents.mailing", lambda user: capability_q(user, "send_letters", "organisation_id"))
