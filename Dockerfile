# One image for web, worker and beat; the command differs per service in docker-compose.yml.
FROM python:3.12-slim-bookworm

# No process writes bytecode at run time; the build compiles it instead, the packages' as uv
# installs them and the app's below. Without it every worker compiled Django and the app from
# source at each start (measured on a development machine: 1.2 s more a worker, and 240 ms
# more on its first request).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# Tesseract reads the text of photographed business cards (QR codes need nothing extra).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.8 \
    && useradd --create-home --uid 1000 followup

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY --chown=followup:followup . .
# The release steps live in scripts/build-release, which CI and the smoke test run too; at
# build time only its "static" step can run (there is no database yet). The compose web
# service runs its "migrate" step before gunicorn starts.
RUN FOLLOWUP_VAR_DIR=/tmp/build-var STATIC_ROOT=/app/staticfiles scripts/build-release static \
    && python -m compileall -q manage.py followup_site accounts interviews reminders outreach \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var /app/user-files && chown followup:followup /app/var /app/user-files

USER followup
ENV STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["gunicorn", "followup_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
