"""Each user's folder on disk: USER_FILES_DIR/<user id>/, removed with the account."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def user_folder(*, user_id: int, create: bool = False) -> Path:
    folder = Path(settings.USER_FILES_DIR) / str(int(user_id))
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def user_folder_delete(*, user_id: int) -> None:
    """Delete the user's folder and everything in it; a missing folder is fine.

    A file that cannot be deleted is logged (by user id only) for the operator, and the
    rest still goes: the account itself is already gone when this runs.
    """
    folder = user_folder(user_id=user_id)
    if not folder.exists():
        return

    def report(_function, path, error) -> None:
        logger.error("Could not delete a file of deleted user %s: %s", user_id, error)

    # Python 3.12 renamed the error hook (the image runs 3.12, the development venv 3.11).
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=report)
    else:
        shutil.rmtree(folder, onerror=lambda function, path, info: report(function, path, info[1]))
