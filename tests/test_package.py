"""kgraph as a real package and as a checkout: the wheel holds the app, its pages, the
importers, the seed and the settings, and a non-editable install seeds and serves from an
empty folder; an editable install finds ``kgraph.importers`` in ``importers/``; a fresh
checkout's ``streamlit run app.py`` serves the dashboard behind the host check.

Stays fast and offline: the wheel is built without build isolation (setuptools comes with
the dev dependencies) from a copy of just ``kgraph/``, ``importers/``, ``pyproject.toml``
and the README, and installed with ``--no-deps --no-index`` into a fresh venv that sees
this environment's dependencies through a ``.pth`` line. That line adds a plain folder,
whose own ``.pth`` files (the editable install's) are not run, so ``import kgraph`` finds
the wheel only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import REPO, chromium_or_skip

from kgraph.paths import APP, STREAMLIT_CONFIG
from kgraph.ui import pages
from kgraph.ui.i18n import STRINGS

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
    """The pages as paths in the wheel."""
    return [page.path.relative_to(REPO).as_posix() for page in pages.PAGES]


def _package_source(dest: Path) -> Path:
    """A copy of only what the package is made of, its ``kgraph/importers`` link kept."""
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("kgraph", "importers"):
        shutil.copytree(REPO / folder, dest / folder, symlinks=True, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of only what the package is made of."""
    src = _package_source(tmp_path_factory.mktemp("src"))
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
    importers = {f"kgraph/importers/{p.name}" for p in (REPO / "importers").glob("*.py")}
    assert "kgraph/importers/seed.py" in importers and importers <= names
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


def test_importers_are_one_package_kgraph_importers_in_a_checkout() -> None:
    """``importers/`` at the top of the repository is ``kgraph.importers``: the link makes
    Python, setuptools, mypy and pytest see one package (see the README's layout)."""
    link = REPO / "kgraph" / "importers"
    assert link.is_symlink() and os.readlink(link) == "../importers"
    import kgraph.importers.table

    assert Path(kgraph.importers.table.__file__).resolve().parent == REPO / "importers"
    assert not list((REPO / "importers").glob("**/importers")), "no second link inside"


def test_the_checkouts_streamlit_settings_are_the_packages_on_loopback() -> None:
    """``streamlit run app.py`` reads ``.streamlit/config.toml`` beside it: the installed
    dashboard's settings, and 127.0.0.1 as ``kgraph serve`` listens without sign-in."""
    package = tomllib.loads(STREAMLIT_CONFIG.read_text("utf-8"))
    checkout = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    assert checkout["server"].pop("address") == "127.0.0.1"
    assert checkout == package


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
        "import math\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from kgraph.paths import APP\n"
        "from kgraph.ui.pages import PAGES\n"
        "at = AppTest.from_file(str(APP), default_timeout=math.inf).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "for page in PAGES:\n"
        "    at.switch_page(str(page.path)).run()\n"
        "    assert not at.exception, (page, [e.message for e in at.exception])\n"
        "    print(page.path, [t.value for t in at.title])\n"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=empty, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    assert len(out.stdout.splitlines()) == len(pages.PAGES)
    assert all(line.startswith(str(venv)) for line in out.stdout.splitlines()), out.stdout
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


def test_an_editable_install_finds_the_importers_in_their_folder(
    tmp_path_factory: pytest.TempPathFactory, empty: Path
) -> None:
    """``pip install -e .``: the checkout's own files are imported, ``kgraph.importers``
    from ``importers/``, from any folder."""
    src = _package_source(tmp_path_factory.mktemp("editable-src"))
    root = tmp_path_factory.mktemp("editable-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    # first the dependencies (setuptools among them: the build runs in that venv)
    purelib = sysconfig.get_path("purelib", vars={"base": str(root), "platbase": str(root)})
    Path(purelib, "kgraph-test-dependencies.pth").write_text(
        "\n".join(_dependency_folders()) + "\n", encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-build-isolation", "--no-index", "--editable", str(src)],
        check=True, capture_output=True,
    )  # fmt: skip
    out = subprocess.run(
        [str(python), "-c", "import kgraph.importers.table as t, kgraph.ui.dashboard as d; "
         "print(t.__file__); print(d.__file__)"],
        cwd=empty, env=_env(empty.parent), capture_output=True, text=True, check=True,
    )  # fmt: skip
    table, dashboard = (Path(line).resolve() for line in out.stdout.split())
    assert table == src / "importers" / "table.py"
    assert dashboard == src / "kgraph" / "ui" / "dashboard.py"


def _fresh_checkout(dest: Path) -> Path:
    """The files a clone of this working tree holds (tracked and new, not ignored), links
    kept: no build folder, no egg-info, no caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source, target = REPO / name, dest / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet committed
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return dest


def test_a_fresh_checkout_serves_the_dashboard_with_streamlit_run_app_py(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """``streamlit run app.py`` in a fresh checkout: its own code, on 127.0.0.1, 403 for a
    request naming another host, and the dashboard's first page in a real browser."""
    checkout = _fresh_checkout(tmp_path_factory.mktemp("checkout"))
    assert not (checkout / "pages").exists(), "Streamlit would run a pages/ folder ungated"
    home = tmp_path_factory.mktemp("checkout-home")
    env = _env(home)
    env["KGRAPH_USERS"] = str(home / "no-users.json")
    env.pop("KGRAPH_ALLOWED_HOSTS", None)
    where = subprocess.run(
        [sys.executable, "-c", "import kgraph.importers, kgraph; "
         "print(kgraph.__file__); print(kgraph.importers.__file__)"],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert all(Path(p).is_relative_to(checkout) for p in where.stdout.split()), where.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (home / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT,
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
            assert proc.poll() is None, (home / "streamlit.log").read_text()
            time.sleep(0.3)
        forged = urllib.request.Request(url, headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=30)
        assert refused.value.code == 403
        chromium = chromium_or_skip()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])  # fmt: skip
            try:
                page = browser.new_page()
                page.goto(url)
                page.get_by_role("heading", name="Overzicht").first.wait_for(timeout=300_000)
                assert page.get_by_text(STRINGS["your_name"]["nl"]).count() >= 1
            finally:
                browser.close()
    finally:
        proc.terminate()
        proc.wait()
        log.close()
    assert "refused http" in (home / "streamlit.log").read_text()
