#!/usr/bin/env bash
# Pod foundation benchmark: fills accounts through the admin API (100k posts, 300k comments, 500k likes each) and
# reads them back through /api/v1 and the profile page, against the packaged jar on its own embedded PostgreSQL.
# Prints figures only; it asserts nothing. Usage: bench/fill-and-read.sh [runs=3]
# Needs the packaged pod: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${1:-3}"
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/transplant-bench-XXXXXX)
TOKEN=bench-token-$RANDOM$RANDOM
BASE=http://localhost:$PORT
mkdir -p bench/out
LOG=bench/out/pod.log

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
QUARKUS_HTTP_PORT=$PORT TRANSPLANT_DATA_DIR=$DATA TRANSPLANT_ADMIN_TOKEN=$TOKEN \
  java @jvm.options -Xmx512m -jar "$JAR" > "$LOG" 2>&1 &
POD=$!
trap 'kill $POD 2>/dev/null; wait $POD 2>/dev/null; rm -rf "$DATA"' EXIT
start=$(date +%s.%N)
until curl -sf "$BASE/q/health/ready" > /dev/null; do
  kill -0 $POD 2>/dev/null || { echo "pod died; see $LOG" >&2; exit 1; }
  sleep 0.2
done
printf 'pod ready in %.1f s (embedded PostgreSQL, fresh data folder)\n' "$(echo "$(date +%s.%N) - $start" | bc)"

admin() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

fills=()
for run in $(seq 1 "$RUNS"); do
  user=bench$run
  admin -X POST "$BASE/admin/v1/accounts" \
    -d "{\"username\":\"$user\",\"password\":\"bench password $run\",\"email\":\"$user@example.org\"}" > /dev/null
  t0=$(date +%s.%N)
  admin -X POST "$BASE/admin/v1/accounts/$user/synthetic-content" -d "{\"posts\":100000,\"commentsPerPost\":3,\
\"likesPerPost\":5,\"photos\":20,\"photoBytes\":100000,\"contacts\":500,\"conversations\":20,\
\"messagesPerConversation\":10,\"seed\":$run}" > bench/out/fill-$run.json
  secs=$(echo "$(date +%s.%N) - $t0" | bc)
  fills+=("$secs")
  printf 'fill %d: 100k posts + 300k comments + 500k likes + 500 contacts + 20 photos: %.1f s (%.0f rows/s)\n' \
    "$run" "$secs" "$(echo "900520 / $secs" | bc -l)"
done
printf 'fill median: %s s\n' "$(printf '%s\n' "${fills[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"

# Reads: first page and a deep page (after 50 pages) of the last account's posts, and its profile page.
csrf=$(curl -s -c bench/out/jar "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b bench/out/jar -c bench/out/jar -o /dev/null -d "username=bench$RUNS&password=bench password $RUNS&csrf=$csrf" "$BASE/login"
cursor=""
for i in $(seq 1 50); do
  cursor=$(curl -s -b bench/out/jar "$BASE/api/v1/posts?limit=100${cursor:+&cursor=$cursor}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
done
timing() { # url -> p50 and p99 of 200 sequential requests, in ms
  for i in $(seq 1 200); do curl -s -b bench/out/jar -o /dev/null -w '%{time_total}\n' "$1"; done \
    | sort -n | awk '{a[NR]=$1*1000} END {printf "p50 %.1f ms, p99 %.1f ms", a[int(NR*0.5)], a[int(NR*0.99)]}'
}
echo "GET /api/v1/posts?limit=100 first page: $(timing "$BASE/api/v1/posts?limit=100")"
echo "GET /api/v1/posts?limit=100 page 51:    $(timing "$BASE/api/v1/posts?limit=100&cursor=$cursor")"
echo "GET /u/bench$RUNS (20 posts):             $(timing "$BASE/u/bench$RUNS")"
echo "pod peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$POD/status); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
