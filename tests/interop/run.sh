#!/usr/bin/env bash
# Interop suite runner (tests/interop/README.md, tests/interop/PROTOCOL.md).
#
#   tests/interop/run.sh [--only zeep,suds,java,node,curl,xmllint] [--out DIR]
#       starts $SNE_GATEWAY_BIN (default ${CARGO_TARGET_DIR:-target}/release/sne-gateway) in school mode on a free
#       127.0.0.1 port with its generated test PKI, runs every client against it, stops it.
#   tests/interop/run.sh --endpoint URL --cacert CA.pem --cert G1104.pem --key G1104.key \
#                        --other-cert G2201.pem --other-key G2201.key [--only ...] [--out DIR]
#       runs the same suite against a deployment of yours (no gateway is started).
#
# Every client prints `PASS|FAIL <client> <call> ...` lines; a client that exits non-zero, times
# out or prints no line counts as one more failure. The last line is `N passed, N failed`; the
# exit status is 1 when anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-python3}
CLIENT_TIMEOUT=${INTEROP_CLIENT_TIMEOUT:-240}
ALL_CLIENTS=(zeep suds java node curl xmllint)
export PYTHONDONTWRITEBYTECODE=1

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

ENDPOINT="" CACERT="" CERT="" KEY="" OTHER_CERT="" OTHER_KEY="" ONLY="" OUT=""
FIXTURES="$ROOT/fixtures"
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) ENDPOINT=$2; shift 2 ;;
    --cacert) CACERT=$2; shift 2 ;;
    --cert) CERT=$2; shift 2 ;;
    --key) KEY=$2; shift 2 ;;
    --other-cert) OTHER_CERT=$2; shift 2 ;;
    --other-key) OTHER_KEY=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --fixtures) FIXTURES=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

CLIENTS=("${ALL_CLIENTS[@]}")
if [ -n "$ONLY" ]; then
  IFS=, read -r -a WANTED <<<"$ONLY"
  for c in "${WANTED[@]}"; do
    case " ${ALL_CLIENTS[*]} " in *" $c "*) ;; *)
      echo "run.sh: --only: unknown client $c (known: ${ALL_CLIENTS[*]})" >&2; exit 2 ;;
    esac
  done
  # Always the canonical order: xmllint checks what the clients before it left behind.
  CLIENTS=()
  for c in "${ALL_CLIENTS[@]}"; do
    case ",$ONLY," in *",$c,"*) CLIENTS+=("$c") ;; esac
  done
fi

abspath() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sne-interop.XXXXXX")
if [ -z "$OUT" ]; then OUT="$WORK/out"; fi
OUT=$(abspath "$OUT")
FIXTURES=$(abspath "$FIXTURES")
mkdir -p "$OUT" "$WORK/logs"
# Counters have one month to register an application and seniority cannot be dated in the
# future: the fixtures' application files are sent dated today in Paris, as a counter would.
# Every client registers the complete example: without its refInterne, each CRE is a new
# application rather than a retry of the first client's.
# The whole file moves in time with its filing date (births, DALO decisions, income years:
# dater.py), so that every rule tied to that date holds on any day. SNE_HORLOGE_DECALAGE_JOURS
# shifts today as it shifts a school-mode gateway's clock.
TODAY=$(TZ=Europe/Paris date -d "${SNE_HORLOGE_DECALAGE_JOURS:-0} days" +%F)
cp -R "$FIXTURES" "$WORK/fixtures"
find "$WORK/fixtures/demande" -name '*.xml' -exec "$PYTHON" "$HERE/dater.py" "$TODAY" {} +
# The curl step's MTOM requests carry the same example, so they are regenerated from the copy
# dated today (make_fixtures.py is deterministic: the same bytes as fixtures/mtom/ but for the
# date, in the raw parts and in the base64 ones); dated as committed, they would be refused
# (CRE-DATE) a month after that date. Their refInterne (one per variant) stays: it is what
# makes the variants distinct registrations.
if [ -f "$WORK/fixtures/mtom/make_fixtures.py" ]; then
  "$PYTHON" "$WORK/fixtures/mtom/make_fixtures.py" >"$WORK/logs/make_fixtures.log" 2>&1 || {
    cat "$WORK/logs/make_fixtures.log" >&2; echo "run.sh: cannot regenerate the MTOM fixtures dated $TODAY" >&2; exit 2; }
fi
find "$WORK/fixtures/demande" -name '*.xml' -exec \
  sed -i -E -e 's#<ns2:refInterne>[^<]*</ns2:refInterne>##' {} +
FIXTURES="$WORK/fixtures"
LOGS="$WORK/logs"
PASSED=0
FAILED=0
GW_PID=""

cleanup() {
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$GW_PID" 2>/dev/null
    wait "$GW_PID" 2>/dev/null
  fi
  if [ "$FAILED" -eq 0 ]; then
    rm -rf "$WORK"
  else
    echo "interop: logs and gateway data kept in $WORK, received documents in $OUT" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One line counted outside a client (gateway start, absent client, crash).
fail_line() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
  exit $?
}

if [ -z "$ENDPOINT" ]; then
  # School mode: our own gateway, its own PKI.
  BIN=${SNE_GATEWAY_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/sne-gateway}
  if [ ! -x "$BIN" ]; then
    fail_line "gateway binary $BIN absent (build it with cargo build --release, or set SNE_GATEWAY_BIN)"
    finish
  fi
  PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DATA="$WORK/sne-data"
  if ! "$BIN" init --dir "$DATA" --listen "127.0.0.1:$PORT" >"$LOGS/init.log" 2>&1; then
    cat "$LOGS/init.log" >&2
    fail_line "gateway init failed"
    finish
  fi
  "$BIN" serve --config "$DATA/sne-gateway.toml" >"$LOGS/gateway.log" 2>&1 &
  GW_PID=$!
  PKI="$DATA/pki"
  ENDPOINT="https://127.0.0.1:$PORT/services/DemandeLogementImplService/"
  CACERT="$PKI/ca.pem"
  CERT="$PKI/client-G1104.pem" KEY="$PKI/client-G1104.key"
  OTHER_CERT="$PKI/client-G2201.pem" OTHER_KEY="$PKI/client-G2201.key"
  up=""
  for _ in $(seq 1 60); do
    if ! kill -0 "$GW_PID" 2>/dev/null; then break; fi
    if curl -s -o /dev/null --max-time 2 --cacert "$CACERT" "$ENDPOINT?wsdl"; then up=1; break; fi
    sleep 0.5
  done
  if [ -z "$up" ]; then
    tail -n 40 "$LOGS/gateway.log" >&2
    fail_line "gateway did not answer on 127.0.0.1:$PORT within 30 s"
    finish
  fi
  echo "interop: gateway $BIN (school mode) on $ENDPOINT" >&2
else
  for v in CACERT CERT KEY OTHER_CERT OTHER_KEY; do
    if [ -z "${!v}" ]; then
      opt=$(echo "$v" | tr 'A-Z_' 'a-z-')
      echo "run.sh: --endpoint needs --$opt too" >&2; exit 2
    fi
    if [ ! -r "${!v}" ]; then echo "run.sh: cannot read ${!v}" >&2; exit 2; fi
    printf -v "$v" '%s' "$(abspath "${!v}")"
  done
  case "$ENDPOINT" in */) ;; *) ENDPOINT="$ENDPOINT/" ;; esac
  echo "interop: publisher mode, $ENDPOINT" >&2
fi

# The tools' versions, for the record (Debian's curl and xmllint follow the release's updates).
{
  echo "interop: $(curl --version 2>/dev/null | head -n 1)"
  echo "interop: xmllint $(xmllint --version 2>&1 | head -n 1)"
  echo "interop: $("$PYTHON" -c 'import importlib.metadata as m, sys; print("Python", sys.version.split()[0], *(f"{p} {m.version(p)}" for p in ("zeep", "suds-community", "lxml", "requests")))' 2>&1)"
} >&2

PROTO_ARGS=(--endpoint "$ENDPOINT" --cacert "$CACERT" --cert "$CERT" --key "$KEY"
            --other-cert "$OTHER_CERT" --other-key "$OTHER_KEY" --fixtures "$FIXTURES" --out "$OUT")

# Runs one client: echoes its PASS/FAIL lines, counts them, and counts a crash as one failure.
run_client() {
  local name=$1; shift
  local lines="$LOGS/$name.stdout" errs="$LOGS/$name.stderr" rc
  timeout "$CLIENT_TIMEOUT" "$@" "${PROTO_ARGS[@]}" </dev/null >"$lines" 2>"$errs"
  rc=$?
  grep -E '^(PASS|FAIL) ' "$lines"
  local p f
  p=$(grep -c '^PASS ' "$lines")
  f=$(grep -c '^FAIL ' "$lines")
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  if [ "$rc" -eq 124 ]; then
    fail_line "$name timeout after ${CLIENT_TIMEOUT}s"
  elif [ "$rc" -ne 0 ]; then
    fail_line "$name exit $rc (crashed: see below)"
  elif [ $((p + f)) -eq 0 ]; then
    fail_line "$name printed no result line"
  fi
  if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ] || [ $((p + f)) -eq 0 ]; then
    echo "--- $name stderr (last 30 lines) ---" >&2
    tail -n 30 "$errs" >&2
  fi
}

for c in "${CLIENTS[@]}"; do
  case "$c" in
    zeep) run_client zeep "$PYTHON" "$HERE/python/zeep_client.py" ;;
    suds) run_client suds "$PYTHON" "$HERE/python/suds_client.py" ;;
    java|node)
      if [ -f "$HERE/$c/run.sh" ]; then
        run_client "$c" bash "$HERE/$c/run.sh"
      else
        fail_line "$c absent"
      fi ;;
    curl) run_client curl "$PYTHON" "$HERE/curl/mtom_curl.py" ;;
    xmllint) run_client xmllint "$PYTHON" "$HERE/xmllint/validate.py" ;;
  esac
done

if [ -n "$GW_PID" ] && ! kill -0 "$GW_PID" 2>/dev/null; then
  tail -n 40 "$LOGS/gateway.log" >&2
  fail_line "gateway exited during the suite"
elif [ -n "$GW_PID" ] && [ "$FAILED" -gt 0 ]; then
  echo "--- gateway log (last 40 lines) ---" >&2
  tail -n 40 "$LOGS/gateway.log" >&2
fi

finish
