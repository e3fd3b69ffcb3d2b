#!/usr/bin/env bash
# node-soap interop client: run.sh --endpoint URL --cacert CA --cert PEM --key KEY
#   --other-cert PEM --other-key KEY --fixtures DIR --out DIR   (see ../PROTOCOL.md)
# NODE_SOAP_MTOM=off|asis|fixed selects how binaries travel (see client.js).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -d "$here/node_modules/soap" ]; then
  # The installer normally ran `npm ci --prefix tests/interop/node`; keep stdout for result lines.
  (cd "$here" && npm ci --no-audit --no-fund) >&2
fi
exec node "$here/client.js" "$@"
