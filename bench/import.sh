#!/usr/bin/env bash
# Import benchmark: starts two packaged pods (A on 127.0.0.1, B on localhost, each on a fresh embedded PostgreSQL
# and -Xmx256m), fills an account on A, moves it to B through the real flow (A's log-in and consent pages, B's
# quarkus-oidc callback), and prints the time from "Allow" to DONE, each phase, rows/s and each pod's peak RSS and
# heap. Scenario a (default): 10k posts, 30k comments, 50k likes, 500 contacts, 100 photos of 100 KB; scenario b:
# 100k posts, 300k comments, 500k likes, 5k contacts, 1k photos of 200 KB; scenario peer (for peer.sh): 10k posts
# and 100 photos of 100 KB, nothing else. With "archive" as second argument the
# move goes through an account archive instead (asked for on A with the photos included, downloaded, uploaded to B
# in 8 MiB parts, imported), each step timed. Figures only; nothing fails on a time.
# Build first: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCENARIO=${1:-a}
ROUTE=${2:-online}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
PORT_A=$(free_port); PORT_B=$(free_port)
DATA_A=$(mktemp -d /tmp/transplant-bench-a-XXXXXX); DATA_B=$(mktemp -d /tmp/transplant-bench-b-XXXXXX)
WORK=$(mktemp -d /tmp/transplant-bench-work-XXXXXX)
TOKEN=bench-token-$RANDOM$RANDOM
mkdir -p bench/out
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_pod() { # name port data public-url
  QUARKUS_HTTP_PORT=$2 TRANSPLANT_DATA_DIR=$3 TRANSPLANT_PUBLIC_URL=$4 TRANSPLANT_ADMIN_TOKEN=$TOKEN \
    TRANSPLANT_MIGRATION_REQUESTS_PER_SECOND=1000000 TRANSPLANT_MIGRATION_BURST=1000000 \
    TRANSPLANT_OUTBOUND_ALLOW_PRIVATE_ADDRESSES=true \
    java @jvm.options ${BENCH_POD_XMX:--Xmx256m} ${BENCH_POD_OPTS:+${BENCH_POD_OPTS//\{name\}/$1}} -jar "$JAR" > "bench/out/import-$1.log" 2>&1 &
}
start_pod a "$PORT_A" "$DATA_A" "http://127.0.0.1:$PORT_A"; POD_A=$!
start_pod b "$PORT_B" "$DATA_B" "http://localhost:$PORT_B"; POD_B=$!
# A killed pod's wait answers 143: under set -e that would end the trap before rm, so both are made to succeed.
trap 'kill $POD_A $POD_B 2>/dev/null || true; wait $POD_A $POD_B 2>/dev/null || true; rm -rf "$DATA_A" "$DATA_B" "$WORK"' EXIT
for url in "http://127.0.0.1:$PORT_A" "http://localhost:$PORT_B"; do
  until curl -sf "$url/q/health/ready" > /dev/null; do
    kill -0 $POD_A 2>/dev/null && kill -0 $POD_B 2>/dev/null || { echo "a pod died; see bench/out/" >&2; exit 1; }
    sleep 0.2
  done
done
javac -d "$WORK/classes" bench/ImportBench.java bench/ArchiveBench.java
MAIN=ImportBench; [ "$ROUTE" = archive ] && MAIN=ArchiveBench
# BENCH_ROUNDS=N moves N accounts, one after another, between the same two pods: the first round meets cold JVMs (their
# JIT compiles the export and import code while it runs), the later ones pods that have run for a while.
for round in $(seq 1 "${BENCH_ROUNDS:-1}"); do
  [ "${BENCH_ROUNDS:-1}" = 1 ] || echo "round $round at $(date +%T)"
  java -cp "$WORK/classes" $MAIN "http://127.0.0.1:$PORT_A" "http://localhost:$PORT_B" "$TOKEN" "$POD_A" "$POD_B" \
    "$SCENARIO" "$WORK" | tee "$WORK/round.out"
  # The floor of the same rows and files, measured at once on the same pods (BENCH_FLOOR=0 leaves it out).
  if [ "${BENCH_FLOOR:-1}" = 1 ]; then
    java -cp "$(ls target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar)" bench/FloorBench.java \
      "$DATA_A" "$DATA_B" - | tee "$WORK/floor.out"
    move=$(sed -n 's/.*to DONE in \([0-9.]*\) s.*/\1/p' "$WORK/round.out")
    floor=$(sed -n 's/^floor: \([0-9.]*\) s.*/\1/p' "$WORK/floor.out")
    [ -n "$move" ] && [ -n "$floor" ] && python3 -c "print(f'move / floor: {$move / $floor:.2f}')"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
