"""The forum runs on its runtime dependencies alone: the README's `uv run --no-dev folkmoot demo`
installs no test tools, so no module of the forum may need one.

The runtime set is read from uv.lock (folkmoot's dependencies, with their own, transitively).
A fresh Python process hides every other installed package, as `--no-dev` leaves it out (a
library's optional import then falls back as it would there), sets Django up and imports every
module of the forum.
"""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IMPORT_EVERY_MODULE_WITH_ONLY = """
import importlib, json, os, pkgutil, sys
from importlib.metadata import packages_distributions
runtime = set(json.loads(sys.argv[1]))
normal = lambda name: name.lower().replace("_", "-").replace(".", "-")
hidden = {
    module for module, owners in packages_distributions().items()
    if not any(normal(owner) in runtime for owner in owners)
}

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in hidden:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NotInstalled())
os.environ["DJANGO_SETTINGS_MODULE"] = "folkmoot.settings"
import django
django.setup()
import folkmoot
for module in pkgutil.walk_packages(folkmoot.__path__, "folkmoot."):
    importlib.import_module(module.name)
print(len(hidden))
"""


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def runtime_distributions() -> set[str]:
    """folkmoot's dependencies in uv.lock and theirs, without the dev group."""
    packages = {p["name"]: p for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"]}
    needed, waiting = set(), ["folkmoot"]
    while waiting:
        package = packages[waiting.pop()]
        if package["name"] in needed:
            continue
        needed.add(package["name"])
        waiting += [d["name"] for d in package.get("dependencies", [])]
        for extra in package.get("optional-dependencies", {}).values():
            waiting += [d["name"] for d in extra]
    return {_normalized(name) for name in needed}


def test_the_forum_imports_without_the_dev_group(tmp_path):
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_EVERY_MODULE_WITH_ONLY,
            json.dumps(sorted(runtime_distributions())),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "FOLKMOOT_DATA_DIR": str(tmp_path)},
    )
    assert imported.returncode == 0, (
        "with only the runtime dependencies installed (`uv run --no-dev`), importing the forum "
        f"failed:\n{imported.stderr[-2000:]}"
    )
    assert int(imported.stdout.split()[-1]) > 10  # pytest, Playwright and co. were hidden


def test_the_dev_group_is_not_in_the_runtime_set():
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    runtime = runtime_distributions()
    for tool in ("pytest", "playwright", "moto", "hypothesis", "aiosmtpd"):
        assert any(requirement.startswith(tool) for requirement in dev)
        assert tool not in runtime, f"{tool} would be installed by `uv run --no-dev`"
