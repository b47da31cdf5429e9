"""sovet as a tool: the wheel installed into a fresh virtualenv starts and builds a column in a
folder of its own, far from this repository, with the theme it carries inside.

The wheel is built from the repository as `pip install .` builds it; the new virtualenv takes
sovet from that wheel alone and finds its dependencies (already installed for the tests)
through a path file, so no download is needed and nothing of the checkout is on its path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import PROJECT

SUBCOMMANDS = ("build", "check", "serve", "new", "inbox", "init", "deploy")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `sovet` command of a fresh virtualenv holding the wheel of this repository."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(PROJECT), "-w", str(wheels)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("sovet-*.whl")
    fresh = root / "venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies the tests already have, behind the new environment's own packages.
    Path(site_packages, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return fresh / "bin" / "sovet"


def sovet(command: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [str(command), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_the_command_runs_from_the_wheel_alone(installed: Path, tmp_path: Path) -> None:
    where = sovet(
        installed.parent / "python", "-c", "import sovet; print(sovet.__file__)", cwd=tmp_path
    )
    assert str(PROJECT) not in where.stdout and "site-packages" in where.stdout
    version = sovet(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("sovet ")
    for command in SUBCOMMANDS:
        helped = sovet(installed, command, "--help", cwd=tmp_path)
        assert helped.returncode == 0 and "usage: sovet" in helped.stdout, command


def test_a_column_far_from_the_repository_builds(installed: Path, tmp_path: Path) -> None:
    started = sovet(installed, "init", "column", "--language", "en", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    column = tmp_path / "column"
    built = sovet(installed, "build", cwd=column)
    assert built.returncode == 0, built.stderr
    assert "Built " in built.stdout
    styles = list((column / "output/static").glob("style.*.css"))
    assert styles and styles[0].stat().st_size > 1000  # the theme came with the package
    assert (column / "output/pagefind/pagefind.js").is_file()
    page = (column / "output/index.html").read_text("utf-8")
    assert "Weekly advice" in page
