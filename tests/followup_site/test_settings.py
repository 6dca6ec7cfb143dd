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
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_BACKEND"}
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
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "example.com"},
            "EMAIL_BACKEND is not set to a backend that delivers mail",
        ),
        (
            {
                "DEBUG": "false",
                "SECRET_KEY": "k" * 60,
                "ALLOWED_HOSTS": "example.com",
                "EMAIL_BACKEND": "followup_site.mailbox.CapturedMailBackend",
            },
            "EMAIL_BACKEND is not set to a backend that delivers mail",
        ),
    ],
)
def test_production_refuses_to_start_with_insecure_settings(env, message):
    result = _settings_import(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = _settings_import(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "followup.example.com",
            "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        }
    )
    assert result.returncode == 0, result.stderr


def test_development_mode_captures_mail_without_configuration():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.MAIL_CAPTURE_ENABLED)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"},
            "DJANGO_SETTINGS_MODULE": "followup_site.settings",
            "DEBUG": "true",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["followup_site.mailbox.CapturedMailBackend", "True"]


# --- PORT and SITE_URL ----------------------------------------------------------------------


def _site_url(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "followup_site.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_links_follow_the_port_the_site_is_served_on():
    assert _site_url({"PORT": "8101"}).stdout.strip() == "http://localhost:8101"
    assert _site_url({}).stdout.strip() == "http://localhost:8000"


def test_an_explicit_site_url_wins_over_the_port():
    result = _site_url({"PORT": "8101", "SITE_URL": "https://followup.example.com/"})
    assert result.stdout.strip() == "https://followup.example.com"


def test_a_port_that_is_not_a_number_is_refused():
    result = _site_url({"PORT": "80a"})
    assert result.returncode != 0
    assert "PORT must be a TCP port number, not '80a'" in result.stderr


def test_make_run_gives_every_process_the_web_servers_site_url(tmp_path):
    """``make run`` itself, with a Procfile whose processes report their settings: honcho
    gives the worker PORT+100, yet its links must still name the web server's port."""
    report = (
        "python -c 'import os; from django.conf import settings; "
        'print(os.environ["HONCHO_PROCESS_NAME"], os.environ["PORT"], settings.SITE_URL)\''
        " && sleep 4"
    )
    procfile = tmp_path / "Procfile"
    procfile.write_text(f"web: {report}\nworker: {report}\n")
    # Procfile.dev is what `make run` starts by default: its web server listens on $PORT.
    assert "runserver 127.0.0.1:$PORT" in (ROOT / "Procfile.dev").read_text()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PORT", "SITE_URL", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="followup_site.settings", FOLLOWUP_VAR_DIR=str(tmp_path))

    result = subprocess.run(  # noqa: S603 - fixed arguments
        # -o install: never re-sync the virtualenv from a test.
        ["make", "-o", "install", "run", "PORT=8101", f"PROCFILE={procfile}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    reported = {
        tuple(line.split("|", 1)[1].split()[:3])
        for line in result.stdout.splitlines()
        if "| " in line and "http" in line
    }
    assert reported == {
        ("web.1", "8101", "http://localhost:8101"),
        ("worker.1", "8201", "http://localhost:8101"),
    }, result.stdout + result.stderr


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
