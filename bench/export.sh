#!/usr/bin/env bash
# Migration API export benchmark: starts the packaged pod on an embedded PostgreSQL (its per-client rate limit
# lifted, since the load comes from one client), fills an account (BENCH_POSTS posts, 100k by default; 1,000,000 has
# a page 10,000 of 100), takes a token through the real OAuth flow, then prints pages/s and latency for page 1 and a
# deep page (BENCH_DEEP_PAGE, 501 by default; the page reached is printed) at 1, 8 and 64 clients, with the client's
# and the pod's CPU beside them, NDJSON posts/s, and the pod's heap while streaming. Figures only; nothing fails on a
# time. Build first: ./mvnw -B -q package -DskipTests
# BENCH_DATA=<folder>: the pod's data folder, kept; the account filled there is reused by the next run on it.
# BENCH_POD_OPTS: more JVM options for the pod (a JFR recording, say). BENCH_JAR: another build of the pod.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=${BENCH_JAR:-target/quarkus-app/quarkus-run.jar}
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
if [ -n "${BENCH_DATA:-}" ]; then
  DATA=$BENCH_DATA
  mkdir -p "$DATA"
  KEEP=1
  if [ -f "$DATA/bench-user" ]; then
    export BENCH_USER; BENCH_USER=$(cat "$DATA/bench-user")
  fi
  export BENCH_USER_FILE=$DATA/bench-user
else
  DATA=$(mktemp -d /tmp/transplant-bench-XXXXXX)
  KEEP=
fi
TOKEN=bench-token-$RANDOM$RANDOM
mkdir -p bench/out
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086 # BENCH_POD_OPTS holds several options
QUARKUS_HTTP_PORT=$PORT TRANSPLANT_DATA_DIR=$DATA TRANSPLANT_ADMIN_TOKEN=$TOKEN \
  TRANSPLANT_MIGRATION_REQUESTS_PER_SECOND=1000000 TRANSPLANT_MIGRATION_BURST=1000000 \
  java @jvm.options -Xmx512m ${BENCH_POD_OPTS:-} -jar "$JAR" > bench/out/export-pod.log 2>&1 &
POD=$!
trap 'kill $POD 2>/dev/null; wait $POD 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/q/health/ready" > /dev/null; do
  kill -0 $POD 2>/dev/null || { echo "pod died; see bench/out/export-pod.log" >&2; exit 1; }
  sleep 0.2
done
# The embedded PostgreSQL's postmaster, for its CPU beside the pod's (empty with an external database).
BENCH_PG_PID=$(head -1 "$DATA/postgres/postmaster.pid" 2>/dev/null || true) \
  java bench/ExportBench.java "http://localhost:$PORT" "$TOKEN" "$POD"
