#!/usr/bin/env bash
# Drift check: install the newest versions pyproject.toml allows (ignoring the
# lock) into a throw-away venv, run the whole test suite there, and list the
# packages whose newest version differs from constraints.txt. Finds the next
# upstream break here before a user does.
#
#     bash tools/drift.sh [pytest args...]
#
# Exit status: pytest's. When it passes, `bash tools/lock.sh` moves the lock
# to those versions.
set -uo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --upgrade pip >/dev/null
extras="$(python3 tools/extras.py)"
echo "installing the newest allowed versions of aikg[$extras] into a throw-away venv"
"$tmp/venv/bin/pip" install -q -e ".[$extras]" || { echo "drift: the install itself failed"; exit 3; }
"$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^-e ' | LC_ALL=C sort -f > "$tmp/newest.txt"
echo "packages whose newest allowed version differs from constraints.txt:"
python3 - "$tmp/newest.txt" <<'PY'
import re, sys
def pins(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and "==" in line:
            name, version = line.split("==", 1)
            out[re.sub(r"[-_.]+", "-", name).lower()] = version
    return out
locked, newest = pins("constraints.txt"), pins(sys.argv[1])
rows = [(n, locked.get(n, "-"), newest.get(n, "-")) for n in sorted(locked.keys() | newest.keys())
        if locked.get(n) != newest.get(n)]
for name, old, new in rows:
    print(f"  {name:32} {old:>14} -> {new}")
if not rows:
    print("  (none: the lock is current)")
PY
echo "running the test suite against them"
"$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
status=$?
if [ $status -eq 0 ]; then
    echo "drift: PASS - the newest allowed versions work; refresh the lock with: bash tools/lock.sh"
else
    echo "drift: FAIL (pytest exit $status) - an upstream release breaks aikg; keep the lock, fix or bound the range"
fi
exit $status
