"""``arrears gen-key``: print a new random key for ARREARS_FIELD_KEY or ARREARS_SECRET_KEY."""

from __future__ import annotations

import base64
import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new random 32-byte key, URL-safe base64 (for ARREARS_FIELD_KEY)."

    def handle(self, *args, **opts) -> None:
        self.stdout.write(base64.urlsafe_b64encode(os.urandom(32)).decode())
