from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "arrears.messaging"
    verbose_name = _("SMS and e-mail")

    def ready(self) -> None:
        from arrears.core.access import case_q, organisation_q, register
        from arrears.messaging import conf

        register("messaging.message", lambda user: case_q(user, "case__"))
        # Templates and sender details are the organisation's, like scripts: all read, managers write.
        register("messaging.messagetemplate", lambda user: organisation_q(user, "creditor__organisation_id"))
        register("messaging.sender", lambda user: organisation_q(user, "creditor__organisation_id"))
        conf.check()  # a bad ARREARS_SMS_* or ARREARS_EMAIL_* value stops start-up with its name
        # The gateways' endpoints join the one API (/api/v1/messages/…) and its OpenAPI document.
        from arrears.api.api import api
        from arrears.messaging.api import router

        if router not in [r for _prefix, r in api._routers]:
            api.add_router("/messages", router)
