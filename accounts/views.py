from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import forms, throttle
from accounts.data_export import data_export_latest
from accounts.selectors import inbound_address
from accounts.services import (
    ROTATABLE_TOKENS,
    VerificationLinkInvalid,
    VerificationSend,
    email_verification_send,
    email_verification_user,
    email_verified_by_reset,
    email_verify,
    user_sign_up,
    user_token_rotate,
    user_update_settings,
)

# The address just signed up with, to show on the "check your email" page.
_SIGNUP_EMAIL_KEY = "signup_email"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up; the answer is the same whether or not the address has an account."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.signup_allowed(request):
            return _too_many(request, "sign-ups from your network")
        user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
            timezone=form.cleaned_data["timezone"] or None,
        )
        request.session[_SIGNUP_EMAIL_KEY] = form.cleaned_data["email"]
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/signup_sent.html", {"email": request.session.get(_SIGNUP_EMAIL_KEY, "")}
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms the address."""
    try:
        if request.method == "POST":
            user = email_verify(token=token)
        else:
            user = email_verification_user(token=token)
    except VerificationLinkInvalid as error:
        return render(
            request,
            "accounts/verify_invalid.html",
            {"reason": error.messages[0], "code": error.code},
            status=400 if error.code == "invalid" else 410,
        )
    if request.method == "GET":
        return render(request, "accounts/verify_confirm.html", {"verify_user": user})
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return redirect("accounts:login")


@login_required
@require_POST
def verification_resend(request: HttpRequest) -> HttpResponse:
    outcome = email_verification_send(user=request.user)
    if outcome is VerificationSend.SENT:
        messages.success(
            request, f"We sent a new link to {request.user.email}. Follow it to confirm."
        )
    elif outcome is VerificationSend.ALREADY_VERIFIED:
        messages.info(request, "Your address is confirmed already.")
    elif outcome is VerificationSend.THROTTLED:
        messages.error(
            request,
            "We have sent you several links in the last hour, so we sent no new one. Use the "
            "latest link we sent, or try again in an hour.",
        )
    else:
        messages.error(
            request,
            "We could not send the email just now. Please try again in a few minutes; if it "
            "keeps failing, tell whoever runs this Followup.",
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = settings.LOGIN_REDIRECT_URL
    return redirect(next_url)


def _too_many(request: HttpRequest, what: str) -> HttpResponse:
    return render(request, "accounts/throttled.html", {"what": what}, status=429)


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
            "data_export": data_export_latest(user=request.user),
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
    """Log-in; an address that keeps failing on many accounts (spraying) is held back.

    Axes locks one account at one address after a few failures; that does not slow a few
    tries each on many accounts, so failures are also counted per client address
    (``accounts.throttle.on_login_failed``) and, past the limit, refused here with a page
    that says so, and by ``accounts.backends`` for any other log-in form.
    """

    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if throttle.login_blocked_for(request):
            return _too_many(request, "unsuccessful log-ins from your network")
        return super().post(request, *args, **kwargs)


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

    def form_valid(self, form: forms.PasswordResetForm) -> HttpResponse:
        # Over either limit nothing is sent, and the page is the same as when it is.
        if throttle.password_reset_allowed(self.request, email=form.cleaned_data["email"]):
            return super().form_valid(form)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: forms.SetPasswordForm) -> HttpResponse:
        # Someone who signed up with another person's address and never verified it loses
        # the account to the address's owner here, who is then verified.
        response = super().form_valid(form)
        email_verified_by_reset(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")
