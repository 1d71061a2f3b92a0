"""The W3C Nu Html Checker (vnu.jar), run offline with the machine's Java.

The jar comes from the `vnu-jar` npm package, fetched once from the npm registry (pinned
version, checked against the registry's sha512) into ~/.cache/folkmoot/, so a plain
`uv run pytest` has it on a fresh machine. FOLKMOOT_VNU_JAR points at a jar already on disk.
Without Java or the jar the validity tests fail saying what to install: never a silent skip."""

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import pytest

VNU_VERSION = "26.9.27"
VNU_TARBALL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VNU_VERSION}.tgz"
VNU_INTEGRITY = (  # the registry's dist.integrity for that version
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+"
    "rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
)
JAR_IN_TARBALL = "package/build/dist/vnu.jar"


def _cached_jar() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "folkmoot" / f"vnu-{VNU_VERSION}.jar"


def _fetch_jar(target: Path) -> None:
    with urllib.request.urlopen(VNU_TARBALL, timeout=120) as response:  # noqa: S310 (pinned https)
        tarball = response.read()
    algorithm, expected = VNU_INTEGRITY.split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise RuntimeError(f"{VNU_TARBALL} does not match its registry checksum")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        jar = archive.extractfile(JAR_IN_TARBALL).read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(jar)
    partial.replace(target)  # whole or not at all, even with two test workers fetching


def vnu_command() -> list[str]:
    """`java -jar vnu.jar`, fetching the jar on first use; fails the test with what's missing."""
    java = shutil.which("java")
    if java is None or subprocess.run([java, "-version"], capture_output=True).returncode:
        pytest.fail(
            "The HTML validity tests run the W3C Nu validator, which needs Java 17 or later: "
            "apt-get install default-jre-headless (or any JDK) and put `java` on the PATH."
        )
    jar = Path(os.environ.get("FOLKMOOT_VNU_JAR") or _cached_jar())
    if not jar.exists():
        try:
            _fetch_jar(jar)
        except Exception as error:  # noqa: BLE001 (any failure gets the same advice)
            pytest.fail(
                f"Could not fetch the W3C Nu validator ({VNU_TARBALL}): {error}. Download that "
                f"tarball, and set FOLKMOOT_VNU_JAR to its {JAR_IN_TARBALL}."
            )
    return [java, "-Xss2m", "-jar", str(jar)]


def validation_errors(pages: dict[str, str], workdir: Path) -> dict[str, list[str]]:
    """The validator's errors for each page ({name: html}), in one run of the JVM."""
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = workdir / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path.resolve())] = name
    # Paths, not file: URLs: given a URL the checker answers "no messages" when it cannot
    # read it.
    run = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr)["messages"]
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in messages:
        # "error", or "non-document-error" when a file could not be checked at all.
        name = files.get(message.get("url", "").removeprefix("file:"), "?")
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']}"
            f" [{(message.get('extract') or '').strip()[:120]}]"
        )
    return {name: found for name, found in errors.items() if found}
