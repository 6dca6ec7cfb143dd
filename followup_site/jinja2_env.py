"""The Jinja2 environment for the emails the reminder sweep sends in bulk.

Why Jinja2 there: a sweep renders three templates per reminder, and the Django template
language spent more time on that than the rest of the sweep together; Jinja2 compiles a
template to Python once. The output must stay what the Django templates gave (the golden
renders in tests/reminders/email_golden/ prove it), so:

- HTML (``.html``) is autoescaped, and escaped by Django's ``conditional_escape`` rather
  than markupsafe's, which writes ``'`` and ``"`` differently; text parts are not escaped.
- A template's last newline is kept, and a missing attribute renders as nothing (as the
  Django templates did), also in development where the backend would print it instead.
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from jinja2 import Environment, Undefined, pass_eval_context, select_autoescape


@pass_eval_context
def _finalize(eval_ctx, value):
    # Django's escaping returns a SafeString, which markupsafe leaves as it is.
    if eval_ctx.autoescape:
        return conditional_escape(value)
    return value


def environment(**options) -> Environment:
    for name in ("autoescape", "keep_trailing_newline", "undefined", "finalize"):
        options.pop(name, None)  # the backend's defaults for these would change the output
    return Environment(
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        keep_trailing_newline=True,
        undefined=Undefined,
        finalize=_finalize,
        **options,
    )
