"""What a web worker does once at its start, so that its first requests do not.

A fresh worker imports the views only when its first request resolves a URL, compiles each
template the first time a page draws it, and builds the time zone and country lists the
first time a form offers them. Measured in one process on the bench user: the first
dashboard took 160 ms instead of 8 (400 ms where no bytecode had been compiled), and the
first settings page after it 150 ms more, importing every holiday calendar to list the
countries. Warmed, the first dashboard takes about 70 ms, most of it the database connection
and its statements' first planning, and the first settings page 8 ms.

The hook in gunicorn.conf.py runs :func:`warm_up` before the worker takes its first request.
Nothing here touches the database or the cache: a worker's connections open with its first
request, as before.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.urls import get_resolver

_TEMPLATE_SUFFIXES = {".html", ".txt"}


def warm_up() -> None:
    # Imports every URLconf and view module, and compiles and indexes every pattern for
    # resolve() and reverse() (the index is built once per language; the site has one).
    get_resolver().reverse_dict  # noqa: B018
    engine = engines["django"].engine
    for name in project_template_names():
        engine.get_template(name)
    _warm_choice_lists()


def project_template_names() -> list[str]:
    """The names of the project's own page and partial templates: those in the Django
    engine's directories and in the templates/ folder of each app of this project. (The
    reminder emails' Jinja2 templates, under templates/jinja2/, are left out: the Celery
    worker sends those.)"""
    engine = engines["django"].engine
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for folder in engine.dirs]
    # The project's apps are its top-level packages (a virtualenv may live in the folder too).
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    ]
    names = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for file in folder.rglob("*"):
            relative = file.relative_to(folder)
            if file.suffix in _TEMPLATE_SUFFIXES and relative.parts[0] != "jinja2":
                names.add(relative.as_posix())
    return sorted(names)


def _warm_choice_lists() -> None:
    """The long selects' lists and their options' markup: the interview form's zones, the
    settings form's zones with their offsets now, and its countries (whose holiday
    calendars are imported to be listed)."""
    from accounts.forms import country_select_choices, zone_choices
    from interviews.interview_forms import timezone_choices

    for choices in (timezone_choices(), zone_choices(), country_select_choices()):
        choices.joined()
