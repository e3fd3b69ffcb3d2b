#!/usr/bin/env bash
# The gateway beside its transport ceiling, in one run (benches/README.md, "Side by side").
#
#   bash benches/side_by_side.sh                       # 10,000 applications, 64 connections, 20 s per row
#   SNE_BANC_DEMANDES=1000000 bash benches/side_by_side.sh
#   SNE_BANC_SECONDES=10 SNE_BANC_SCENARIOS="lire cre" bash benches/side_by_side.sh
#   SNE_BANC_GARDER=1 ...                              # keeps the temporary directory (logs, answers)
#
# Builds the release binary and `examples/side_by_side` (its two helpers), writes a school
# deployment in a temporary directory, seeds it with SNE_BANC_DEMANDES synthetic applications,
# starts the gateway as its own process, prepares each scenario's request (the MTOM bodies a
# JAX-WS client sends) and records the gateway's answer, then starts the ceiling (a bare hyper +
# rustls server with the gateway's TLS configuration, answering those recorded bytes) and drives
# both with oha 1.16 (installed when missing), the same client, one after the other for each row.
# Prints each row as a ratio to the ceiling, p50/p99 of both, the gateway's peak resident memory
# during the row, and what the store's own metrics counted: flushes per acknowledged write, and
# per journal entry of a read. Loopback only; every process it starts is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMANDES=${SNE_BANC_DEMANDES:-10000}
SECONDES=${SNE_BANC_SECONDES:-20}
CONNEXIONS=${SNE_BANC_CONNEXIONS:-64}
SCENARIOS=${SNE_BANC_SCENARIOS:-"lire doublons recherche getpiece mod cre"}
OHA_VERSION=1.16.0

etape() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

if ! command -v oha >/dev/null || [ "$(oha --version | awk '{print $2}')" != "$OHA_VERSION" ]; then
    etape "cargo install oha $OHA_VERSION"
    cargo install oha --locked --version "$OHA_VERSION"
fi

etape "cargo build --release (sne-gateway, side_by_side)"
cargo build --release --locked --bin sne-gateway --example side_by_side
BIN=target/release/sne-gateway
HELPER=target/release/examples/side_by_side

W=$(mktemp -d /tmp/sne-banc.XXXXXX)
PIDS=()
fin() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "${SNE_BANC_GARDER:-}" ]; then echo "gardé : $W"; else rm -rf "$W"; fi
}
trap fin EXIT

port_libre() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(port_libre)
METRIQUES=$(port_libre)
PLAFOND=$(port_libre)

etape "école dans $W, $DEMANDES demandes semées"
"$BIN" init --dir "$W/ecole" --listen "127.0.0.1:$PORT" >/dev/null
CONFIG="$W/ecole/sne-gateway.toml"
if [ "$DEMANDES" -gt 0 ]; then
    "$BIN" demo seed --config "$CONFIG" --count "$DEMANDES" 2>/dev/null | tail -1
fi

"$BIN" serve --config "$CONFIG" --metrics-listen "127.0.0.1:$METRIQUES" >"$W/passerelle.log" 2>&1 &
GW=$!
PIDS+=("$GW")
for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$METRIQUES/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$METRIQUES/ready" >/dev/null || { cat "$W/passerelle.log"; exit 1; }

etape "requêtes et réponses de la passerelle"
"$HELPER" prepare --port "$PORT" --pki "$W/ecole/pki" --out "$W/scenarios"

"$HELPER" ceiling --port "$PLAFOND" --pki "$W/ecole/pki" --answers "$W/scenarios" >"$W/plafond.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do grep -q prêt "$W/plafond.log" 2>/dev/null && break; sleep 0.1; done

metrique() { # name -> value (sum over labels)
    curl -sf "http://127.0.0.1:$METRIQUES/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%d\n", s }'
}
rss_max_ko() { awk '/VmHWM/ { print $2 }' "/proc/$GW/status"; }

charger() { # port scenario secondes -> oha json file
    local port=$1 s=$2 secondes=$3 sortie=$4
    oha --no-tui --output-format json -o "$sortie" -z "${secondes}s" -c "$CONNEXIONS" -m POST \
        -D "$W/scenarios/$s.body" -T "$(cat "$W/scenarios/$s.type")" -H "x-banc: $s" \
        --cacert "$W/ecole/pki/ca.pem" --cert "$W/ecole/pki/client-G1104.pem" --key "$W/ecole/pki/client-G1104.key" \
        "https://localhost:$port$(cat "$W/scenarios/$s.path")" --connect-to "localhost:$port:127.0.0.1:$port"
}

COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benches Cargo.toml || echo "+modifs")
RESULTATS="$W/resultats.tsv"
: >"$RESULTATS"
for s in $SCENARIOS; do
    etape "$s : passerelle puis plafond, $CONNEXIONS connexions, ${SECONDES} s chacun"
    charger "$PORT" "$s" 2 "$W/chauffe.json" # warm-up: caches, connections
    echo 5 >"/proc/$GW/clear_refs" # resets the peak resident memory
    v0=$(metrique sne_stockage_vidages_total); e0=$(metrique sne_stockage_ecritures_confirmees_total)
    a0=$(metrique sne_journal_entrees_confirmees_total)
    charger "$PORT" "$s" "$SECONDES" "$W/$s.passerelle.json"
    v1=$(metrique sne_stockage_vidages_total); e1=$(metrique sne_stockage_ecritures_confirmees_total)
    a1=$(metrique sne_journal_entrees_confirmees_total)
    rss=$(rss_max_ko)
    charger "$PLAFOND" "$s" 2 "$W/chauffe.json"
    charger "$PLAFOND" "$s" "$SECONDES" "$W/$s.plafond.json"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$W/$s.passerelle.json" "$W/$s.plafond.json" \
        "$rss" "$((v1 - v0))" "$((e1 - e0))" "$((a1 - a0))" \
        "$(stat -c %s "$W/scenarios/$s.body")" "$(stat -c %s "$W/scenarios/$s.answer")" >>"$RESULTATS"
done

etape "résultats ($COMMIT, $DEMANDES demandes, $CONNEXIONS connexions, ${SECONDES} s par ligne, $(nproc) cœurs)"
python3 - "$RESULTATS" <<'EOF'
import json, sys

def lire(chemin):
    with open(chemin) as f:
        d = json.load(f)
    codes = d.get("statusCodeDistribution", {})
    ok = codes.get("200", 0)
    autres = {k: v for k, v in codes.items() if k != "200"}
    erreurs = {k: v for k, v in d.get("errorDistribution", {}).items() if "deadline" not in k}
    p = d["latencyPercentiles"]
    duree = d["summary"]["total"]
    return ok / duree, p["p50"] * 1000, p["p99"] * 1000, autres, erreurs

echec = False
print("| scénario | passerelle req/s | plafond req/s | ratio | p50 ms (passerelle / plafond) | p99 ms | RSS max | vidages / écriture confirmée | vidages / entrée du journal | requête / réponse |")
print("|---|---|---|---|---|---|---|---|---|---|")
for ligne in open(sys.argv[1]):
    s, gw, pl, rss, v, e, a, corps, reponse = ligne.rstrip("\n").split("\t")
    g, c = lire(gw), lire(pl)
    for nom, r in (("passerelle", g), ("plafond", c)):
        if r[3] or r[4]:
            echec = True
            print(f"!! {s} {nom} : statuts {r[3]} erreurs {r[4]}", file=sys.stderr)
    v, e, a = int(v), int(e), int(a)
    vidages = f"{v / e:.3f} ({v}/{e})" if e else "-"
    journal = f"{v / a:.3f} ({v}/{a})" if a and not e else "-"
    print(f"| {s} | {g[0]:,.0f} | {c[0]:,.0f} | {100 * g[0] / c[0]:.1f}% | {g[1]:.1f} / {c[1]:.1f} | {g[2]:.1f} / {c[2]:.1f} "
          f"| {int(rss) / 1024:.0f} Mo | {vidages} | {journal} | {int(corps):,} / {int(reponse):,} o |")
sys.exit(1 if echec else 0)
EOF
