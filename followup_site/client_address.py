"""Which address a request comes from, given how many proxies in front of us to trust.

Every proxy appends the address it received the request from to X-Forwarded-For, so behind
N trusted proxies the client is the N-th entry from the right; anything further left was
written by the client and may be forged. With no trusted proxy X-Forwarded-For is never
read: REMOTE_ADDR is the client.

django-axes resolves the address with django-ipware from its AXES_IPWARE_* settings, and
the throttles of ``accounts.throttle`` ask axes, so log-in lock-outs and rate limits always
agree on who the client is.
"""

from __future__ import annotations


def ipware_settings(*, trusted_proxy_count: int) -> dict[str, object]:
    """The django-axes / django-ipware settings for ``trusted_proxy_count`` proxies.

    python-ipware counts only the proxies that appear in X-Forwarded-For; the nearest one
    is not listed there (it is REMOTE_ADDR), hence ``count - 1``. "left-most" with strict
    off takes the entry just left of those proxies, ignoring any forged entries before it.
    """
    if trusted_proxy_count < 0:
        raise ValueError("trusted_proxy_count must be 0 or more")
    if trusted_proxy_count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": True,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
    }
