"""Forms for the administrator's pages: users, teams, API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from arrears.accounts.models import ROLE_CHOICES, Team, User
from arrears.core.access import restrict


class _OrgForm(forms.Form):
    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "team" in self.fields:
            self.fields["team"].queryset = restrict(Team.objects.all(), actor)
        if "user" in self.fields:
            self.fields["user"].queryset = restrict(User.objects.filter(is_active=True), actor).order_by(
                "username"
            )


class UserCreateForm(_OrgForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if User.objects.filter(username=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class UserUpdateForm(_OrgForm):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)


class TokenForm(_OrgForm):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    user = forms.ModelChoiceField(label=_("Acts as user"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("With role"), choices=ROLE_CHOICES)
