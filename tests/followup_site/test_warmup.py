"""The warm-up a web worker runs before its first request (followup_site/warmup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines

from followup_site.warmup import project_template_names


def test_the_warm_up_compiles_the_projects_own_page_templates_only():
    names = project_template_names()

    assert {"base.html", "interviews/dashboard.html", "reminders/task_list.html"} <= set(names)
    # Every one is a Django template of this project, found by its usual name...
    engine = engines["django"].engine
    for name in names:
        origin = engine.find_template(name)[1]
        assert origin.template_name == name
        assert Path(origin.name).is_relative_to(settings.BASE_DIR)
    # ...never the emails' Jinja2 templates, nor another package's.
    assert not [name for name in names if name.startswith(("jinja2/", "admin/", "bootstrap5/"))]
