#!/usr/bin/env bash
# perf/compare.sh — reproduces the README's performance table in one go.
#
#   perf/compare.sh [--rounds N] [--dur SEC]       (defaults: 5 rounds of 4 s)
#
# Uses the team's reference harness (../shared/bench: C load generator, C epoll server, plain Netty server),
# copied to a temporary folder and built there, and this repository's target/ack-fat.jar (built if missing),
# started exactly as the README says (conf/config.json as shipped; only the port comes from ACK_PORT, and for
# the line-framing scenario ACK_FRAMING=line). Each scenario is ONE compare.sh call: all servers run at once and
# are measured in alternating rounds, so the ratios (rratio) are side by side. Loopback only.
set -euo pipefail
ROUNDS=5 DUR=4
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --dur) DUR=$2; shift 2 ;;
    *) echo "usage: perf/compare.sh [--rounds N] [--dur SEC]" >&2; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || { echo "the reference harness is not at $SHARED (set SHARED_BENCH)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/ack-perf.XXXXXX)
cp -r "$SHARED" "$WORK/bench"
"$WORK/bench/build.sh" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
[ -f "$ROOT/target/ack-fat.jar" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
B=$WORK/bench
JAR=$ROOT/target/ack-fat.jar
CONF=$ROOT/conf/config.json
OURS="env ACK_PORT={PORT} java -jar $JAR -conf $CONF"
NETTY="java -jar $B/peers/netty/target/netty-ack.jar"
SEED="python3 $ROOT/src/test/resources/seed/seed_server_threaded.py 127.0.0.1 {PORT}"
COMMON=(--rounds "$ROUNDS" --dur "$DUR" --cwd "$ROOT")

latency() {  # median p50/p99 per server of the latest compare.sh run, side by side
  python3 - "$B/results/compare.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
last = runs[-1]["run_id"]
by = {}
for r in runs:
    if r["run_id"] == last and r.get("round", "1") not in ("warmup", "0"):
        by.setdefault(r["name"], []).append(r)
ref = statistics.median(float(r["lat_us_p50"]) for r in by["ours"])
for name, rs in by.items():
    p50 = statistics.median(float(r["lat_us_p50"]) for r in rs)
    p99 = statistics.median(float(r["lat_us_p99"]) for r in rs)
    print(f"{name:<18} p50 {p50:8.1f} us  p99 {p99:8.1f} us  ours p50 / this p50 {ref / p50:5.2f}")
PY
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(java -version 2>&1 | head -1)"

echo "== 1. stop-and-wait, raw, 100 connections"
"$B/compare.sh" "${COMMON[@]}" \
  ours "$OURS" \
  netty_t1 "$NETTY --threads 1 --port {PORT}" netty_t2 "$NETTY --threads 2 --port {PORT}" \
  netty_t1_native "$NETTY --threads 1 --native --port {PORT}" netty_t2_native "$NETTY --threads 2 --native --port {PORT}" \
  epoll_t1 "$B/peers/epoll_ack -t 1 -p {PORT}" epoll_t2 "$B/peers/epoll_ack -t 2 -p {PORT}" \
  seed_threaded "$SEED"
latency

echo "== 2. stop-and-wait, raw, 1 connection: latency"
"$B/compare.sh" "${COMMON[@]}" --conns 1 --base-port 5200 \
  ours "$OURS" \
  netty_t1 "$NETTY --threads 1 --port {PORT}" netty_t1_native "$NETTY --threads 1 --native --port {PORT}" \
  epoll_t1 "$B/peers/epoll_ack -t 1 -p {PORT}"

latency

echo "== 3. pipelined lines, 50 connections x 16 in flight"
"$B/compare.sh" "${COMMON[@]}" --conns 50 --base-port 5300 --lg-args '-l -m pipe -D 16' \
  ours "env ACK_FRAMING=line $OURS" \
  netty_t1 "$NETTY --line --threads 1 --port {PORT}" netty_t2 "$NETTY --line --threads 2 --port {PORT}" \
  netty_t1_native "$NETTY --line --threads 1 --native --port {PORT}" netty_t2_native "$NETTY --line --threads 2 --native --port {PORT}" \
  epoll_t1 "$B/peers/epoll_ack -l -t 1 -p {PORT}" epoll_t2 "$B/peers/epoll_ack -l -t 2 -p {PORT}"

echo "== 4. 10 000 idle connections: RSS and live heap per connection"
"$B/run.sh" --port 5400 --cwd "$ROOT" --scenarios idle --idle-conns 10000 --idle-secs 5 ours "$OURS"
"$B/run.sh" --port 5401 --cwd "$ROOT" --scenarios idle --idle-conns 10000 --idle-secs 5 netty_t1 "$NETTY --threads 1 --port {PORT}"
python3 "$B/summarize.py" "$B/results" 2>/dev/null || true
echo "== records: $B/results"
