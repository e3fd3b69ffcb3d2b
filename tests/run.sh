#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing (Debian packages,
# the interop clients' pinned PyPI and npm packages), then runs every test: `cargo test`, then
# the suite again with the clock 400 days ahead (no test may depend on the day it runs), then
# the interop suite against a release build in school mode. No test skips for a missing tool.
# The installs run while the test binaries compile; each step prints its duration.
set -euo pipefail
cd "$(dirname "$0")/.."

etape() {
  local t=$SECONDS
  "$@"
  echo "== tests: $* $((SECONDS - t)) s" >&2
}

journal_installation=$(mktemp)
bash tests/interop/install.sh >"$journal_installation" 2>&1 &
installation=$!
etape cargo build --locked --tests
if ! wait "$installation"; then
  cat "$journal_installation" >&2
  echo "== tests: tests/interop/install.sh failed" >&2
  exit 1
fi
# The release binary before the tests that run it (hostile corpus, memory bounds): built alone
# on both cores rather than beside running tests.
etape cargo build --release --locked
etape cargo test --locked
# Once more with every system clock (the registry's, the school gateways', the interop dates)
# 400 days ahead: a test that registers a fixture with a fixed date on the system clock fails
# now rather than the month after it was written. Tests on an injected clock are unaffected.
etape env SNE_HORLOGE_DECALAGE_JOURS=400 cargo test --locked
etape bash tests/interop/run.sh
