#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing (Debian packages,
# the interop clients' pinned PyPI and npm packages), then runs every test: `cargo test`, then
# the interop suite against a release build in school mode. No test skips for a missing tool.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/interop/install.sh
cargo test --locked
cargo build --release --locked
bash tests/interop/run.sh
