"""Steps shared by the browser tests."""

from __future__ import annotations

import re

from tests.factories import DEFAULT_PASSWORD


def log_in(page, user) -> None:
    """Log in through the real form and wait for the dashboard."""
    page.goto("/accounts/login/")
    page.fill("[name=username]", user.email)
    page.fill("[name=password]", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def watch_csp_violations(context) -> list[str]:
    """Every Content-Security-Policy violation in any page of ``context``, as it happens.

    Each page reports its violations as ``securitypolicyviolation`` events; a listener added
    before any of the page's own scripts writes them to the console, where Chromium also
    writes its own "Refused to ..." errors. The returned list fills as pages run.
    """
    violations: list[str] = []
    context.add_init_script(_CSP_LISTENER)

    def collect(message) -> None:
        text = message.text
        if text.startswith("CSP violation:") or "Content Security Policy" in text:
            violations.append(f"{message.page.url if message.page else '?'}: {text}")

    context.on("console", collect)
    return violations
