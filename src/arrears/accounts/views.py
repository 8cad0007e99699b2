"""The administrator's pages: users and teams of the organisation, and API tokens."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.accounts import services
from arrears.accounts.forms import TeamForm, TokenForm, UserCreateForm, UserUpdateForm
from arrears.accounts.models import ApiToken, Team, User
from arrears.core.access import restrict
from arrears.core.roles import can


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can(request.user.role, "manage_tokens"):
            return HttpResponse(_("Not permitted"), status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _form_error(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@admin_only
def users(request: HttpRequest) -> HttpResponse:
    create = UserCreateForm(request.POST or None, actor=request.user, prefix="user")
    team_form = TeamForm(request.POST or None, prefix="team")
    if request.method == "POST" and "user-username" in request.POST and create.is_valid():
        try:
            services.user_create(actor=request.user, **create.cleaned_data)
        except ValidationError as exc:
            _form_error(create, exc)
        else:
            messages.success(request, _("User created."))
            return redirect("accounts:users")
    if request.method == "POST" and "team-name" in request.POST and team_form.is_valid():
        try:
            services.team_create(actor=request.user, name=team_form.cleaned_data["name"])
        except ValidationError as exc:
            _form_error(team_form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("accounts:users")
    people = restrict(User.objects.select_related("team"), request.user).order_by("role", "username")
    return render(
        request,
        "accounts/users.html",
        {
            "people": people,
            "create": create,
            "team_form": team_form,
            "teams": restrict(Team.objects.all(), request.user),
        },
    )


@admin_only
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(restrict(User.objects.all(), request.user), pk=pk)
    initial = {
        "display_name": person.display_name,
        "role": person.role,
        "team": person.team_id,
        "is_active": person.is_active,
    }
    form = UserUpdateForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"person": person, "form": form})


@admin_only
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, actor=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_issue(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            form = TokenForm(actor=request.user)
    listed = restrict(ApiToken.objects.select_related("user", "created_by"), request.user).order_by(
        "-created_at"
    )
    return render(request, "accounts/tokens.html", {"form": form, "tokens": listed, "secret": secret})


@admin_only
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(restrict(ApiToken.objects.all(), request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
