#!/usr/bin/env bash
# diaspora* import benchmark: generates (once, cached under bench/out/ by its options and the generator's source) a
# "Download my data" export of 20,000 posts (3 comments and 5 likes per post on average, each signed by its author;
# 500 contacts; 100 photos with the photos zip), starts one packaged pod on a fresh embedded PostgreSQL with -Xmx256m,
# uploads both files in 8 MiB parts, starts the import (POST /api/v1/imports, multipart) and polls it to DONE. Prints
# the upload, the start request (the pod reads the export, checks every signature and converts it before its 201),
# start to DONE with each phase, rows/s, the pod's peak RSS, its largest sampled heap and its largest heap after a GC.
# "small" as argument: 2,000 posts (same contacts and photos), to compare the heap. Extra JVM options for the pod
# (a JFR recording, say) in BENCH_POD_OPTS. Figures only; nothing fails on a time.
# Build first: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCENARIO=${1:-big}
JAR=target/quarkus-app/quarkus-run.jar
GENERATOR=src/test/java/org/transplant/diaspora/DiasporaExportGenerator.java
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
WORK=$(mktemp -d /tmp/transplant-bench-work-XXXXXX)
DATA=""
POD=""
trap '[ -n "$POD" ] && { kill $POD 2>/dev/null; wait $POD 2>/dev/null; }; rm -rf "$WORK" ${DATA:+"$DATA"}' EXIT
mkdir -p bench/out
echo "machine: $(nproc) cores; load at the outset: $(cut -d' ' -f1-3 /proc/loadavg)"
javac -d "$WORK/classes" bench/DiasporaBench.java bench/ImportBench.java "$GENERATOR"
EXPORT=$(java -cp "$WORK/classes" DiasporaBench generate "$SCENARIO" bench/out \
  "$(sha256sum "$GENERATOR" | cut -c1-8)")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/transplant-bench-d-XXXXXX)
GC_LOG=bench/out/diaspora-pod-gc.log
rm -f "$GC_LOG"
# shellcheck disable=SC2086 # BENCH_POD_OPTS holds several options
QUARKUS_HTTP_PORT=$PORT TRANSPLANT_DATA_DIR=$DATA TRANSPLANT_PUBLIC_URL=http://localhost:$PORT \
  java @jvm.options -Xmx256m "-Xlog:gc:file=$GC_LOG" ${BENCH_POD_OPTS:-} -jar "$JAR" > bench/out/diaspora-pod.log 2>&1 &
POD=$!
until curl -sf "http://localhost:$PORT/q/health/ready" > /dev/null; do
  kill -0 $POD 2>/dev/null || { echo "the pod died; see bench/out/diaspora-pod.log" >&2; exit 1; }
  sleep 0.2
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$WORK/classes" DiasporaBench run "$SCENARIO" "$EXPORT" "http://localhost:$PORT" "$POD" "$GC_LOG"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
