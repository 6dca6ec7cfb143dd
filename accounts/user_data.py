"""What of the database and the disk belongs to a user: one registry every app fills in.

Why a registry in the lowest app: the export of all a user's data and the deletion of an
account need every app, yet accounts may import none above it (tests/test_architecture.py).
So each app declares, in its ``AppConfig.ready()``, what it keeps for a user: its models
(with the lookup path from each to the user), the files it adds to the export (vCards, a
calendar, the emails as .eml), and any rows that name the user without a foreign key. The
export (``accounts.data_export``) and the deletion (``accounts.account_deletion``) read this
registry and import no app above accounts.

``models_with_a_path_to_the_user`` finds every model that reaches the user through foreign
keys, whoever wrote it; the tests compare it with the registry, so a new model that is
neither exported nor excluded (with a reason) fails the suite instead of being forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models

# A writer gets the user's id and yields (path inside the zip, content) pairs.
ExportWriter = Callable[[int], Iterator[tuple[str, bytes]]]
# A cleanup gets the user (still in the database) and removes what no foreign key reaches.
Cleanup = Callable[..., None]


@dataclass(frozen=True)
class OwnedModel:
    model: type[models.Model]
    # The lookup from the model to the user's primary key, e.g. "application__user".
    owner: str
    # Fields left out of the export: secrets (password hash, tokens) and nothing else.
    secret_fields: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, user_id: int) -> models.QuerySet:
        lookup = "pk" if self.owner == "" else f"{self.owner}_id"
        return self.model._default_manager.filter(**{lookup: user_id}).order_by("pk")


@dataclass(frozen=True)
class ExportFile:
    name: str
    # Said on the export page and in the zip's README.
    description: str
    write: ExportWriter


@dataclass
class _Registry:
    owned: dict[str, OwnedModel] = field(default_factory=dict)
    # Models that reach the user but are not the user's data, with the reason.
    excluded: dict[str, str] = field(default_factory=dict)
    files: dict[str, ExportFile] = field(default_factory=dict)
    cleanups: dict[str, Cleanup] = field(default_factory=dict)


_registry = _Registry()


def owned_model_register(
    model: type[models.Model], *, owner: str, secret_fields: Iterable[str] = ()
) -> None:
    """Declare ``model`` the user's data, reached from it by the lookup ``owner``."""
    entry = OwnedModel(model=model, owner=owner, secret_fields=frozenset(secret_fields))
    _registry.owned[entry.label] = entry


def excluded_model_register(model: type[models.Model], *, reason: str) -> None:
    """Declare that ``model`` reaches the user but is deliberately not exported."""
    _registry.excluded[model._meta.label_lower] = reason


def export_file_register(*, name: str, description: str, write: ExportWriter) -> None:
    _registry.files[name] = ExportFile(name=name, description=description, write=write)


def deletion_cleanup_register(name: str, cleanup: Cleanup) -> None:
    """``cleanup(user=...)`` runs inside the deletion's transaction, before the user row
    goes: for rows that name the user without a foreign key (a mark keyed by the user's id,
    a log-in record keyed by the address)."""
    _registry.cleanups[name] = cleanup


def owned_models() -> list[OwnedModel]:
    return list(_registry.owned.values())


def excluded_models() -> dict[str, str]:
    return dict(_registry.excluded)


def export_files() -> list[ExportFile]:
    return list(_registry.files.values())


def deletion_cleanups() -> list[Cleanup]:
    return list(_registry.cleanups.values())


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def paths_to_user(model: type[models.Model], *, max_depth: int = 6) -> list[str]:
    """Every lookup from ``model`` to the user through forward foreign keys ("" for the user
    model itself), shortest first; M2M tables Django made are followed through their keys."""
    user = _user_model()
    if model is user:
        return [""]
    found: list[str] = []
    frontier: list[tuple[type[models.Model], str, frozenset]] = [(model, "", frozenset([model]))]
    for _ in range(max_depth):
        step = []
        for current, prefix, seen in frontier:
            for f in current._meta.concrete_fields:
                if not f.is_relation or f.related_model is None:
                    continue
                target = f.related_model
                path = f"{prefix}{f.name}"
                if target is user:
                    found.append(path)
                elif target not in seen:
                    step.append((target, f"{path}__", seen | {target}))
        frontier = step
    return found


def models_with_a_path_to_the_user() -> list[type[models.Model]]:
    """Every installed model whose rows can belong to a user (the user model included)."""
    return [model for model in apps.get_models(include_auto_created=True) if paths_to_user(model)]


def unaccounted_models() -> list[str]:
    """Models that reach the user but are neither exported nor excluded with a reason.

    A through table Django made for a many-to-many field counts as exported with the model
    that declares the field: the export lists the related ids on that model's rows.
    """
    known = set(_registry.owned) | set(_registry.excluded)
    missing = []
    for model in models_with_a_path_to_the_user():
        label = model._meta.label_lower
        if label in known:
            continue
        if model._meta.auto_created and _m2m_parent(model) in known:
            continue
        missing.append(label)
    return sorted(missing)


def _m2m_parent(through: type[models.Model]) -> str | None:
    """The model that declares the many-to-many field Django made ``through`` for."""
    for model in apps.get_models():
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through is through:
                return model._meta.label_lower
    return None
