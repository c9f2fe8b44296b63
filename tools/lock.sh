#!/usr/bin/env bash
# Refresh constraints.txt, the committed lock of every third-party package
# aikg installs (runtime and every extra), from a throw-away venv that
# resolves the newest versions pyproject.toml allows.
#
#     bash tools/lock.sh            # rewrite constraints.txt
#     bash tools/lock.sh --check    # exit 1 when constraints.txt differs from a fresh resolve
#
# Run the test suite against the new lock (tools/drift.sh does both) before
# committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --upgrade pip
extras="$(python3 tools/extras.py)"
"$tmp/venv/bin/pip" install -q -e ".[$extras]"
{
    echo "# The lock: exact versions of every package aikg and its extras install,"
    echo "# tested together. Used as pip constraints by the README's install command"
    echo "# and by .ci/run:  pip install -c constraints.txt -e '.[dev]'"
    echo "# Written by tools/lock.sh (python $("$tmp/venv/bin/python" -c 'import platform; print(platform.python_version())')); do not edit by hand."
    "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^-e ' | LC_ALL=C sort -f
} > "$tmp/constraints.txt"
if [ "${1:-}" = "--check" ]; then
    if diff -u <(grep -v '^#' constraints.txt) <(grep -v '^#' "$tmp/constraints.txt"); then
        echo "constraints.txt is current"
    else
        echo "constraints.txt differs from the newest versions pyproject.toml allows (diff above)"
        exit 1
    fi
else
    cp "$tmp/constraints.txt" constraints.txt
    echo "wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)"
fi
