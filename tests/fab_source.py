"""fab's own files as a git repository at a commit: what a community's CI and pre-commit configurations name
(``repo``/``rev``, ``FAB_REPOSITORY``/``FAB_COMMIT``), made from this checkout as it is, committed or not."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, git


@pytest.fixture(scope="module")
def fab_repository(tmp_path_factory) -> tuple[Path, str]:
    """A git repository holding fab's files as they are in this checkout, and its commit."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    target = tmp_path_factory.mktemp("fab-repository") / "fab"
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, target / rel)
    env = {**os.environ, "GIT_AUTHOR_NAME": "fab", "GIT_AUTHOR_EMAIL": "fab@example.org",
           "GIT_COMMITTER_NAME": "fab", "GIT_COMMITTER_EMAIL": "fab@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "fab"]):
        subprocess.run(["git", "-C", str(target), *args], check=True, env=env)
    return target, git(target, "rev-parse", "HEAD").strip()
