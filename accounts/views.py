from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import forms
from accounts.selectors import inbound_address
from accounts.services import ROTATABLE_TOKENS, user_create, user_token_rotate, user_update_settings

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                timezone=form.cleaned_data["timezone"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=_MODEL_BACKEND)
            messages.success(request, "Welcome to Followup! Your account is ready.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    # The form works on a copy so a rejected value never shows up elsewhere on the page.
    form = forms.SettingsForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user_update_settings(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "now": timezone.localtime(),
            "inbound_address": inbound_address(user=request.user),
        },
    )


# What replacing each secret token means for the user, shown before and after.
_TOKEN_PAGES = {
    "inbound": {
        "title": "Replace your reply address",
        "explain": "Mail sent to your current reply address will no longer be recorded. "
        "Use the new address from now on, in BCC and in any forwarding filter.",
        "done": "Your reply address is new. Mail to the old one is no longer recorded.",
        "anchor": "inbound-settings",
    },
    "calendar": {
        "title": "Replace your calendar address",
        "explain": "Calendars subscribed to the current address stop updating at once. "
        "Subscribe again with the new address.",
        "done": "Your calendar has a new address. Subscribe to it again; the old one is gone.",
        "anchor": "calendar-feed",
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def token_rotate(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm on GET, replace on POST: a secret address someone else has learned is
    useless to them once the user replaces it."""
    if token not in ROTATABLE_TOKENS:
        raise Http404("No such address.")
    page = _TOKEN_PAGES[token]
    if request.method == "POST":
        user_token_rotate(user=request.user, token=token)
        messages.success(request, page["done"])
        return redirect(f"{reverse('accounts:settings')}#{page['anchor']}")
    return render(request, "accounts/token_rotate_confirm.html", {"token": token, **page})


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), then back to the log-in page with a goodbye."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You're logged out. See you next time.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")
