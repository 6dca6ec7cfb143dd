from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILES = [ROOT / "followup_site" / "settings.py"]
ENV_READ = re.compile(r"""(?:env(?:\.\w+)?|_env_bool)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _documented() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_every_environment_variable_the_settings_read_is_in_env_example():
    read = {name for path in SETTINGS_FILES for name in ENV_READ.findall(path.read_text())}
    assert "SECRET_KEY" in read  # the pattern finds real reads
    assert read - _documented() == set()


def test_every_variable_in_env_example_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in _documented() if f"`{name}`" not in readme}
    assert missing == set()


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "followup_site.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "example.com"}, "SECRET_KEY is missing or insecure"),
        (
            {"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "example.com"},
            "SECRET_KEY is missing or insecure",
        ),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 60}, "ALLOWED_HOSTS is empty"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_production_refuses_to_start_with_insecure_settings(env, message):
    result = _settings_import(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = _settings_import(
        {"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "followup.example.com"}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
        # The old setting trusted whatever X-Forwarded-For a client sent: refuse it loudly.
        (
            {"DEBUG": "true", "AXES_IP_HEADERS": "HTTP_X_FORWARDED_FOR"},
            "set TRUSTED_PROXY_COUNT",
        ),
        ({"DEBUG": "true", "THROTTLE_PASSWORD_RESETS_PER_TARGET": "3 per hour"}, "a rate like"),
        ({"DEBUG": "true", "DAILY_SEND_LIMIT": "-5"}, "DAILY_SEND_LIMIT must be 0 or more"),
    ],
)
def test_throttle_settings_refuse_malformed_values(env, message):
    result = _settings_import(env)
    assert result.returncode != 0
    assert message in result.stderr
