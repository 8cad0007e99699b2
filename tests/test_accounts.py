"""The administrator's pages: users, teams and API tokens, with their change log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arrears.accounts.models import ApiToken, Team, User
from arrears.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def test_admin_creates_a_team_and_a_user(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("accounts:users"), {"team-name": "三组"})
    team = Team.objects.get(name="三组")
    response = client.post(
        reverse("accounts:users"),
        {
            "user-username": "newbie",
            "user-display_name": "新同事",
            "user-role": "collector",
            "user-team": team.pk,
            "user-password": "a-long-enough-pass",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.organisation, user.team, user.role) == (admin_user.organisation, team, "collector")
    assert user.check_password("a-long-enough-pass")
    log = ChangeLog.objects.get(model="accounts.user", action="create")
    assert "password" not in log.after and log.user == admin_user


def test_weak_password_is_refused(client, admin_user):
    client.force_login(admin_user)
    client.post(
        reverse("accounts:users"), {"user-username": "weak", "user-role": "collector", "user-password": "123"}
    )
    assert not User.objects.filter(username="weak").exists()


def test_admin_changes_a_role_and_it_is_logged(client, admin_user, alice):
    client.force_login(admin_user)
    client.post(
        reverse("accounts:user_edit", args=[alice.pk]),
        {"role": "team_lead", "team": alice.team_id, "display_name": "alice", "is_active": "on"},
    )
    alice.refresh_from_db()
    assert alice.role == "team_lead"
    log = ChangeLog.objects.get(model="accounts.user", action="update")
    assert (log.before["role"], log.after["role"]) == ("collector", "team_lead")


def test_token_is_shown_once_stored_hashed_and_revocable(client, admin_user, manager):
    client.force_login(admin_user)
    page = client.post(
        reverse("accounts:tokens"), {"name": "催收系统对接", "user": manager.pk, "role": "manager"}
    )
    secret = page.context["secret"]
    assert secret.startswith("arr_") and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(secret) and secret not in str(ChangeLog.objects.values())
    assert client.get(reverse("accounts:tokens")).context["secret"] is None
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.parametrize("persona", ["manager", "alice", "lead_a"])
def test_only_administrators_reach_these_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:tokens")).status_code == 403


def test_an_administrator_elsewhere_cannot_touch_our_users(client, other_org, alice):
    from tests.conftest import make_user

    stranger = make_user("stranger_admin", "admin", other_org)
    client.force_login(stranger)
    assert client.get(reverse("accounts:user_edit", args=[alice.pk])).status_code == 404
    assert "alice" not in client.get(reverse("accounts:users")).content.decode()


def test_a_token_never_exceeds_its_users_role(client, admin_user, alice):
    client.force_login(admin_user)
    page = client.post(reverse("accounts:tokens"), {"name": "x", "user": alice.pk, "role": "manager"})
    assert page.context["secret"] is None and page.context["form"].non_field_errors()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("role", "limit", "ok"),
    [
        ("collector", "manager", True),
        ("manager", "collector", False),
        ("team_lead", "collector", False),
        ("collector", "collector", True),
        ("auditor", "admin", True),
        ("admin", "manager", False),
    ],
)
def test_role_within(role, limit, ok):
    from arrears.core.roles import within

    assert within(role, limit) is ok
