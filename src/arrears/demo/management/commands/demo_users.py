"""``arrears demo-users``: print the demo users, their roles and the demo password."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from arrears.demo.services import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def handle(self, *args, **opts) -> None:
        self.stdout.write(f"演示用户 / demo users (密码 password: {DEMO_PASSWORD})")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} {user.role.value:<12} {user.display_name}")
