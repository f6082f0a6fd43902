#!/usr/bin/env bash
# Install the peer adapters' tools into extractors/peers/.venv (from PyPI only).
# Idempotent: re-running it reuses the venv and re-checks the pins.
# Then checks that each adapter starts and sends its handshake.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
# nervaluate, for the side-by-side figures of `cargo xtask bench`.
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/../../xtask/bench/requirements.txt"
for adapter in dateparser_adapter underthesea_adapter; do
    "$here/.venv/bin/python" "$here/$adapter.py" </dev/null | head -n 1
done
