#!/usr/bin/env bash
# Migration API export benchmark: starts the packaged pod on a fresh embedded PostgreSQL (its per-client rate limit
# lifted, since the load comes from one client), fills a 100k-post account, takes a token through the real OAuth
# flow, then prints pages/s and latency for early and deep pages at 1, 8 and 64 clients, NDJSON posts/s, and the
# pod's heap while streaming. Figures only; nothing fails on a time. Build first: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/transplant-bench-XXXXXX)
TOKEN=bench-token-$RANDOM$RANDOM
mkdir -p bench/out
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
QUARKUS_HTTP_PORT=$PORT TRANSPLANT_DATA_DIR=$DATA TRANSPLANT_ADMIN_TOKEN=$TOKEN \
  TRANSPLANT_MIGRATION_REQUESTS_PER_SECOND=1000000 TRANSPLANT_MIGRATION_BURST=1000000 \
  java -Xmx512m -jar "$JAR" > bench/out/export-pod.log 2>&1 &
POD=$!
trap 'kill $POD 2>/dev/null; wait $POD 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/q/health/ready" > /dev/null; do
  kill -0 $POD 2>/dev/null || { echo "pod died; see bench/out/export-pod.log" >&2; exit 1; }
  sleep 0.2
done
java bench/ExportBench.java "http://localhost:$PORT" "$TOKEN" "$POD"
