"""Template context: what the current user's role may do, for showing only the menus that work."""

from __future__ import annotations

from django.http import HttpRequest

from arrears.core.roles import CAPABILITIES, can


def capabilities(request: HttpRequest) -> dict[str, dict[str, bool]]:
    role = getattr(getattr(request, "user", None), "role", None)
    return {"caps": {name: can(role, name) for name in CAPABILITIES}}
