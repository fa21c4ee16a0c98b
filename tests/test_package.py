"""kgraph as a real package: the wheel holds the app, its pages, the seed and the settings,
and a non-editable install seeds and serves from an empty folder.

Stays fast and offline: the wheel is built without build isolation (setuptools comes with
the dev dependencies) from a copy of just ``kgraph/``, ``pyproject.toml`` and the README,
and installed with ``--no-deps --no-index`` into a fresh venv that sees this environment's
dependencies through a ``.pth`` line. That line adds a plain folder, whose own ``.pth``
files (the editable install's) are not run, so ``import kgraph`` finds the wheel only.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import REPO

from kgraph.paths import APP

PAGES = [entry[0] for entry in ast.literal_eval(
    next(
        node.value
        for node in ast.parse(APP.read_text("utf-8")).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES"
    )
)]  # fmt: skip
DATA_FILES = [
    "kgraph/data/citydeal/nodes.yaml",
    "kgraph/data/citydeal/edges.yaml",
    "kgraph/data/curated.yaml",
    "kgraph/data/landing_places.yaml",
    "kgraph/data/organisations.yaml",
    "kgraph/texts/nl.yaml",
    "kgraph/texts/en.yaml",
    "kgraph/ui/entry/.streamlit/config.toml",
    "kgraph/py.typed",
]


def _page_names() -> list[str]:
    """The pages as paths in the wheel (they are named relative to the entry point)."""
    return [(APP.parent / page).resolve().relative_to(REPO).as_posix() for page in PAGES]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of only what the package is made of."""
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(REPO / "kgraph", src / "kgraph", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(out), str(src)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = out.glob("kgraph-*.whl")
    return built


def _dependency_folders() -> list[str]:
    """Where this environment's runtime dependencies are installed."""
    import networkx
    import streamlit
    import yaml

    return sorted(
        {str(Path(m.__file__ or "").resolve().parents[1]) for m in (streamlit, networkx, yaml)}
    )


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (not editable)."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    purelib = sysconfig.get_path("purelib", vars={"base": str(root), "platbase": str(root)})
    Path(purelib, "kgraph-test-dependencies.pth").write_text(
        "\n".join(_dependency_folders()) + "\n", encoding="utf-8"
    )
    return root


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KGRAPH_SEED")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), KGRAPH_STORE=str(home / "k.db"))
    return env


def test_the_wheel_holds_the_app_its_pages_the_seed_and_the_settings(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kgraph/ui/entry/app.py" in names
    missing = [n for n in [*_page_names(), *DATA_FILES] if n not in names]
    assert not missing, missing
    assert "kgraph/importers/seed.py" in names
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {
        "kgraph",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    message = Parser().parsestr(zipfile.ZipFile(wheel).read(meta).decode("utf-8"))
    runtime = {r.split(">")[0].split("=")[0].strip() for r in message.get_all("Requires-Dist", [])
               if "extra ==" not in r}  # fmt: skip
    assert {"numpy", "scipy", "streamlit", "pyvis", "scikit-learn"} <= runtime
    assert not runtime & {"pytest", "ruff", "mypy", "playwright"}, "dev tools are not runtime"


def test_the_entry_point_is_alone_in_its_folder() -> None:
    """Streamlit puts the entry's folder on ``sys.path`` and runs a ``pages/`` folder beside
    it without the sign-in gate: nothing may sit next to it but its settings."""
    beside = sorted(p.name for p in APP.parent.iterdir() if p.name != "__pycache__")
    assert beside == [".streamlit", "__init__.py", "app.py"]


def test_installed_kgraph_seeds_from_an_empty_folder(venv: Path, empty: Path) -> None:
    env = _env(empty.parent)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import kgraph; print(kgraph.__file__)"],
        cwd=empty, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv), "not the installed package"
    seeded = subprocess.run(
        [str(venv / "bin" / "kgraph"), "seed"], cwd=empty, env=env, capture_output=True, text=True
    )
    assert seeded.returncode == 0, seeded.stderr
    assert "seeded" in seeded.stdout and "80 nodes" in seeded.stdout, seeded.stdout
    stats = subprocess.run(
        [str(venv / "bin" / "kgraph"), "stats", "--json"],
        cwd=empty, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "knowledge_question" in json.loads(stats.stdout)["nodes"]
    assert list(empty.iterdir()) == [], "kgraph wrote into the folder it was started from"


def test_installed_app_runs_every_page(venv: Path, empty: Path) -> None:
    """The installed entry point, in Streamlit's AppTest, finds every page from any folder."""
    env = _env(empty.parent)
    subprocess.run([str(venv / "bin" / "kgraph"), "seed"], cwd=empty, env=env, check=True)
    script = (
        "import math, sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from kgraph.paths import APP\n"
        "at = AppTest.from_file(str(APP), default_timeout=math.inf).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "for page in sys.argv[1:]:\n"
        "    at.switch_page(page).run()\n"
        "    assert not at.exception, (page, [e.message for e in at.exception])\n"
        "    print(page, [t.value for t in at.title])\n"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, *PAGES],
        cwd=empty, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    assert len(out.stdout.splitlines()) == len(PAGES)
    assert "['Overzicht']" in out.stdout.splitlines()[0]


@pytest.fixture
def served(venv: Path, empty: Path) -> Iterator[str]:
    """``kgraph serve`` of the installed package from an empty folder, on a free port."""
    env = _env(empty.parent)
    subprocess.run([str(venv / "bin" / "kgraph"), "seed"], cwd=empty, env=env, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (empty.parent / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(venv / "bin" / "kgraph"), "serve", "--port", str(port)],
        cwd=empty, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:  # until it answers or exits; no deadline (a busy machine is slow)
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (empty.parent / "serve.log").read_text()
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait()
        log.close()


def test_installed_kgraph_serves_from_an_empty_folder(served: str, empty: Path) -> None:
    with urllib.request.urlopen(f"{served}/_stcore/health", timeout=30) as r:
        assert r.read() == b"ok"
    with urllib.request.urlopen(served, timeout=30) as r:
        assert r.status == 200 and b"<html" in r.read().lower()
    log = (empty.parent / "serve.log").read_text()
    assert "listening on 127.0.0.1 only" in log


def test_installed_app_brings_its_streamlit_settings(venv: Path, empty: Path) -> None:
    """No ``config.toml`` in an empty folder: Streamlit, run on the installed entry point,
    takes the settings from the ``.streamlit/`` beside it (as ``streamlit run`` and
    ``st.App`` do, by setting the main script path before reading the config)."""
    script = (
        "import json\n"
        "from streamlit import config\n"
        "from kgraph.paths import APP, STREAMLIT_CONFIG\n"
        "config._main_script_path = str(APP)\n"
        "config.get_config_options(force_reparse=True)\n"
        "names = ['client.toolbarMode', 'browser.gatherUsageStats', 'server.headless',\n"
        "         'server.fileWatcherType', 'server.runOnSave']\n"
        "print(json.dumps({'file': str(STREAMLIT_CONFIG),\n"
        "                  **{n: config.get_option(n) for n in names}}))\n"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=empty, env=_env(empty.parent), capture_output=True, text=True, check=True,
    )  # fmt: skip
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(seen.pop("file")).is_relative_to(venv)
    assert seen == {
        "client.toolbarMode": "viewer",
        "browser.gatherUsageStats": False,
        "server.headless": True,
        "server.fileWatcherType": "none",
        "server.runOnSave": False,
    }
