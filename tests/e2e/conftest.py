"""What the end-to-end tests share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the sample column, to edit and build."""
    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(PROJECT / "site.toml", folder / "site.toml")
    shutil.copytree(PROJECT / "content", folder / "content")
    return folder
