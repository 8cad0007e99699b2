"""``arrears create-token USER --role ROLE --name NAME``: issue an API token (shown once)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arrears.accounts.models import ROLE_CHOICES, User
from arrears.accounts.services import token_issue


class Command(BaseCommand):
    help = "Issue an API token acting as USER with ROLE. The token is printed once; only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[value for value, _label in ROLE_CHOICES])
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'creditor upload job'")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist:
            raise CommandError(f"用户不存在 / no such user: {opts['username']}") from None
        token, secret = token_issue(actor=None, user=user, name=opts["name"], role=opts["role"])
        if opts["json"]:
            self.stdout.write(json.dumps({"id": token.pk, "token": secret, "role": token.role}))
        else:
            self.stdout.write(secret)
