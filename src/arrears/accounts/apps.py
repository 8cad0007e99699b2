from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arrears.accounts"
    verbose_name = _("Users and teams")

    def ready(self) -> None:
        from arrears.core.access import capability_q, organisation_q, register, scoped_q

        def teammates(user) -> Q:
            return Q(pk=user.pk) | (Q(team_id=user.team_id) if user.team_id else Q(pk__in=[]))

        register("accounts.organisation", lambda user: organisation_q(user, "pk"))
        register("accounts.user", lambda user: scoped_q(user, org_field="organisation_id", narrow=teammates))
        register(
            "accounts.team",
            lambda user: scoped_q(user, org_field="organisation_id", narrow=lambda u: Q(pk=u.team_id or 0)),
        )
        register(
            "accounts.apitoken", lambda user: capability_q(user, "manage_tokens", "user__organisation_id")
        )
