from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arrears.accounts"
    verbose_name = _("Users and teams")

    def ready(self) -> None:
        from arrears.core.access import organisation_q, register

        register("accounts.organisation", lambda user: organisation_q(user, "pk"))
        register("accounts.user", lambda user: organisation_q(user, "organisation_id"))
        register("accounts.team", lambda user: organisation_q(user, "organisation_id"))
        register("accounts.apitoken", lambda user: organisation_q(user, "user__organisation_id"))
