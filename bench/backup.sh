#!/usr/bin/env bash
# Backup client benchmark: starts the packaged pod on a fresh embedded PostgreSQL (its per-client rate limit lifted,
# since the load comes from one client), fills an account (import.sh's scenario a, or b), runs the backup client
# (target/transplant-backup.jar, its own process, default heap) through init (this bench plays the browser: log-in,
# consent, the redirect to the client's loopback port), a whole pull, an incremental pull after a few changes, and
# pack; prints each one's time, requests, rows/s, the client's peak RSS and heap, the folder's and the zip's size,
# and the pod's RSS. BENCH_CLIENT_OPTS adds JVM options to the client's runs (a -Xmx, or
# -XX:StartFlightRecording=filename=/tmp/{name}.jfr to profile them, {name} being the run: init, pull,
# pull-again, pack); BENCH_KEEP=1 keeps the pod's data and the backup folder in
# /tmp. Figures only; nothing fails on a time. Build first: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCENARIO=${1:-a}
JAR=target/quarkus-app/quarkus-run.jar
CLIENT=target/transplant-backup.jar
for f in "$JAR" "$CLIENT"; do
  [ -f "$f" ] || { echo "missing $f: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/transplant-bench-XXXXXX)
WORK=$(mktemp -d /tmp/transplant-bench-backup-XXXXXX)
TOKEN=bench-token-$RANDOM$RANDOM
mkdir -p bench/out
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
QUARKUS_HTTP_PORT=$PORT TRANSPLANT_DATA_DIR=$DATA TRANSPLANT_PUBLIC_URL=http://127.0.0.1:$PORT \
  TRANSPLANT_ADMIN_TOKEN=$TOKEN TRANSPLANT_MIGRATION_REQUESTS_PER_SECOND=1000000 TRANSPLANT_MIGRATION_BURST=1000000 \
  java @jvm.options -Xmx512m -jar "$JAR" > bench/out/backup-pod.log 2>&1 &
POD=$!
# The client's output and GC logs are kept in bench/out/backup-* for a look beside the figures.
trap 'kill $POD 2>/dev/null; wait $POD 2>/dev/null || true
  for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/*-gc.log; do [ -f "$f" ] && cp "$f" "bench/out/backup-${f##*/}" || true; done
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$DATA" "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null; do
  kill -0 $POD 2>/dev/null || { echo "pod died; see bench/out/backup-pod.log" >&2; exit 1; }
  sleep 0.2
done
javac -d "$WORK/classes" bench/BackupBench.java bench/ImportBench.java
java -cp "$WORK/classes" BackupBench "http://127.0.0.1:$PORT" "$TOKEN" "$POD" "$SCENARIO" "$WORK" "$CLIENT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
