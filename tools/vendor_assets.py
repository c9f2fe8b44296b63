"""Refresh the JavaScript and CSS that `kg serve` serves itself (api/static/vendor/).

Each package is fetched from the npm registry with ``npm pack`` at the pinned
version below, its tarball is checked against the pinned Subresource Integrity
hash (sha512) before anything is unpacked, and only the listed files, with the
package's licence, are copied into ``api/static/vendor/<name>/``. A
``MANIFEST.json`` there records each file's sha256, so ``--check`` (and the
test suite) can tell whether the committed files are exactly what the pins
produce.

    python tools/vendor_assets.py            # fetch, verify, write
    python tools/vendor_assets.py --check    # verify the committed files only (no network)

To move to a new version: change ``version`` and ``integrity`` (from
``npm view NAME@VERSION dist.integrity``), run the script, look at the diff.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "api" / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"


@dataclass(frozen=True)
class Pin:
    name: str  # npm package name
    version: str
    integrity: str  # dist.integrity of the registry, "sha512-<base64>"
    files: tuple[str, ...]  # paths inside the tarball's package/ folder
    licence: str  # SPDX id from package.json
    licence_file: str | None  # the licence text inside the tarball, when it ships one

    @property
    def folder(self) -> str:
        return self.name.split("/")[-1]


PINS: tuple[Pin, ...] = (
    Pin(
        "swagger-ui-dist", "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"),
        "Apache-2.0", "LICENSE",
    ),
    Pin(
        "cytoscape", "3.34.4",
        "sha512-msY99tMY8iWTg+sIPGfSqDcPNOt4xcj+v/K/7qUFaCUxxlqnMkUYLBjRUzn9W5CU/R2hrmtJa5+UtovrEM2ctg==",
        ("dist/cytoscape.min.js",),
        "MIT", "LICENSE",
    ),
    Pin(
        "@zazuko/yasgui", "4.6.2",
        "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==",
        ("build/yasgui.min.js", "build/yasgui.min.css"),
        "MIT", None,  # the npm package ships no licence file: LICENSE is written from package.json
    ),
)


class VendorError(Exception):
    pass


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pack(pin: Pin, workdir: Path) -> Path:
    spec = f"{pin.name}@{pin.version}"
    try:
        done = subprocess.run(
            ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
            check=True, capture_output=True, text=True, cwd=workdir,
        )
    except FileNotFoundError as exc:
        raise VendorError("npm is not installed (apt-get install npm)") from exc
    except subprocess.CalledProcessError as exc:
        raise VendorError(f"npm pack {spec} failed: {exc.stderr.strip()}") from exc
    info = json.loads(done.stdout)[0]
    tarball = workdir / info["filename"]
    found = _sri(tarball.read_bytes())
    if found != pin.integrity:
        raise VendorError(f"{spec}: the tarball's integrity is {found}, the pin says {pin.integrity}")
    return tarball


def _licence_text(pin: Pin, members: dict[str, bytes]) -> bytes:
    if pin.licence_file is not None:
        return members[pin.licence_file]
    meta = json.loads(members["package.json"])
    author = meta.get("author")
    author = author.get("name") if isinstance(author, dict) else author
    who = ", ".join([a for a in [author] if a] + [c["name"] for c in meta.get("contributors", []) if "name" in c])
    repo = meta.get("repository", {})
    repo = repo.get("url") if isinstance(repo, dict) else repo
    return (
        f"{pin.name} {pin.version} is published on npm under the {meta.get('license')} licence\n"
        f"(package.json \"license\" field) by {who}; source: {repo}.\n"
        "The npm package ships no licence text; the MIT licence's terms are at\n"
        "https://opensource.org/license/mit\n"
    ).encode()


def vendor(pin: Pin, workdir: Path) -> dict[str, str]:
    tarball = _pack(pin, workdir)
    wanted = set(pin.files) | {"package.json"} | ({pin.licence_file} if pin.licence_file else set())
    members: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if name in wanted and member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None
                members[name] = handle.read()
    missing = wanted - set(members)
    if missing:
        raise VendorError(f"{pin.name}@{pin.version}: the tarball has no {', '.join(sorted(missing))}")
    meta = json.loads(members["package.json"])
    if meta.get("license") != pin.licence:
        raise VendorError(f"{pin.name}@{pin.version}: licence is {meta.get('license')!r}, the pin says {pin.licence!r}")
    target = VENDOR / pin.folder
    hashes: dict[str, str] = {}
    for name in pin.files:
        out = target / Path(name).name
        _atomic_write(out, members[name])
        hashes[out.relative_to(VENDOR).as_posix()] = _sha256(out)
    licence = target / "LICENSE"
    _atomic_write(licence, _licence_text(pin, members))
    hashes[licence.relative_to(VENDOR).as_posix()] = _sha256(licence)
    return hashes


def check() -> list[str]:
    """Problems with the committed files (empty when they match the manifest and the pins)."""
    if not MANIFEST.is_file():
        return [f"{MANIFEST} is missing: run python tools/vendor_assets.py"]
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    for pin in PINS:
        entry = manifest["packages"].get(pin.name)
        if entry is None or entry["version"] != pin.version or entry["integrity"] != pin.integrity:
            problems.append(f"{pin.name}: MANIFEST.json does not record {pin.version} ({pin.integrity})")
            continue
        for rel, digest in entry["files"].items():
            path = VENDOR / rel
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif _sha256(path) != digest:
                problems.append(f"{path}: sha256 {_sha256(path)} differs from MANIFEST.json's {digest}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files against MANIFEST.json")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(p, file=sys.stderr)
        print("vendored assets: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
        return 1 if problems else 0
    packages = {}
    with tempfile.TemporaryDirectory(prefix="aikg-vendor-") as tmp:
        for pin in PINS:
            try:
                files = vendor(pin, Path(tmp))
            except VendorError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            packages[pin.name] = {"version": pin.version, "integrity": pin.integrity, "licence": pin.licence,
                                  "files": files}
            print(f"{pin.name}@{pin.version}: {len(files)} files")
    body = {"generated_by": "tools/vendor_assets.py", "packages": packages}
    _atomic_write(MANIFEST, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
