#!/usr/bin/env bash
# Installs what the interop suite needs on a fresh Debian machine, as root; idempotent and quiet.
#   Debian: xmllint (libxml2-utils), curl, JAX-WS tools and runtime (jaxws, libjaxws-java) for the
#           Java client; Chromium and ChromeDriver for the web tool's browser tests
#           (tests/it/navigateur.rs);
#   PyPI:   tests/interop/python/requirements.txt (zeep, suds-community, pinned);
#   npm:    tests/interop/node/package-lock.json, when the Node client is there, and
#           tools/communes/package-lock.json (Etalab's geography, which the communes-table test
#           reduces again to compare with src/registry/communes.tsv).
# .ci/run calls it before tests/interop/run.sh. PYTHON selects the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}

apt_pkgs=(libxml2-utils curl openssl jaxws libjaxws-java chromium chromium-driver fonts-dejavu-core)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pip_install() {
  "$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    -r tests/interop/python/requirements.txt "$@"
}
# A Debian-managed interpreter refuses pip (PEP 668): the suite's pins then go beside it.
pip_err=$(mktemp)
if ! pip_install 2>"$pip_err"; then
  if grep -q externally-managed "$pip_err"; then
    pip_install --break-system-packages
  else
    cat "$pip_err" >&2
    rm -f "$pip_err"
    exit 1
  fi
fi
rm -f "$pip_err"

if [ -f tests/interop/node/package-lock.json ]; then
  npm ci --prefix tests/interop/node --no-audit --no-fund --loglevel=error >/dev/null
fi
npm ci --prefix tools/communes --no-audit --no-fund --loglevel=error >/dev/null
