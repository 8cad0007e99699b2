from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "arrears.contacts"
    verbose_name = _("Contact records")

    def ready(self) -> None:
        from arrears.core.access import case_q, register

        register("contacts.contactrecord", lambda user: case_q(user, "case__"))
