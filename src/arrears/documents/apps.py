from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "arrears.documents"
    verbose_name = _("Letters and documents")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        register("documents.document", lambda user: case_q(user, "case__"))
