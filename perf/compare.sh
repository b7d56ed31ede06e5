#!/usr/bin/env bash
# perf/compare.sh - our server side by side with the reference servers, every scenario, ONE table.
#
#   perf/compare.sh [--all] [--rounds N] [--dur SEC] [--jar PATH] [--extra NAME=JAR ...]
#                   [--transport VALUE] [--scenarios LIST] [--idle-conns N]
#
#   --jar PATH         our jar (default target/ack-fat.jar, built with 'mvn -B -q package -DskipTests' if missing)
#   --extra NAME=JAR   another build of ours measured in the same run, e.g. --extra before=/tmp/before/target/ack-fat.jar
#                      (repeatable; started exactly like ours)
#   --extra-env NAME=VAR=VALUE  an environment variable for that extra jar only, e.g. the same jar on another
#                      transport: --extra epoll=target/ack-fat.jar --extra-env epoll=ACK_TRANSPORT=epoll
#   --transport VALUE  passed to every jar of ours as ACK_TRANSPORT (auto, io_uring, epoll, nio); jars that do not
#                      know the key ignore it (unknown ACK_* variables are ignored)
#   --all              every reference configuration (Netty 1/2 loops x NIO/native, C 1/2 threads, the Vert.x peer
#                      native/NIO x 1/2 instances, the seed); default: the best of each kind (below)
#   --rounds N --dur S alternating rounds and seconds per run (default 3 x 3 s, so that the default set takes < 10
#                      minutes: the harness spends ~4 s around every run; use --rounds 9 for figures to quote)
#   --seed-rounds N    rounds of the seed, measured in a call of its own with ours (default 1; with --all it runs
#                      in saw100 with every round): its listen(5) backlog makes each 100-connection run take ~20 s
#   --scenarios LIST   comma list out of saw100,saw1,pipe,idle (default: all four)
#   --idle-conns N     connections held in the idle scenario (5000)
#   --busy-ok          measure even while other processes keep the machine busy: the harness otherwise waits up to
#                      120 s before each run for the machine to be quiet (< 25 % busy) and repeats runs disturbed by
#                      others (> 40 % of a core), which on a machine shared with builds can take hours. The per-round
#                      ratios stay side by side; the absolute figures suffer.
#
# Default set: ours (+ extras), netty_t1_native (plain Netty, 1 event loop, native epoll), epoll_t1 (C epoll, 1
# thread), vertx_peer (../shared/bench/peers/vertx, public API, native, 1 instance; --batch for lines), seed (the
# seed's threaded Python server, in saw100 only by default and side by side with ours alone, --seed-rounds rounds:
# it has no line framing, its listen(5) backlog refuses bursts, and its figures are not a target; --all adds it to
# saw100's full call, saw1 and idle).
#
# Fixed costs kept small (the default set ran 633-682 s before): 1-s warm-up runs, the seed in 1 round of its own,
# 2 s of idle holding (RSS is sampled once all connections are up), the harness and our jar built in parallel.
#
# Scenarios (each ONE call of ../shared/bench/compare.sh: all servers up at once, measured in alternating order):
#   saw100  stop-and-wait, raw, 100 connections: throughput, and server CPU microseconds per ack
#   saw1    stop-and-wait, raw, 1 connection: p50 latency
#   pipe    pipelined lines, 50 connections x 16 lines in flight (line framing): throughput, CPU per line
#   idle    N idle connections held: server RSS (and JVM live heap) per connection (../shared/bench/run.sh, one
#           server after the other)
# Our jars run with the shipped conf/config.json; only ACK_PORT (and ACK_FRAMING=line for 'pipe') and
# ACK_MANAGEMENT_PORT=0 (so that several servers and other people's 9090 do not collide) are set.
# Ratios are "ours / that server": the median of the per-round ratios (each round's runs adjacent in time).
# Throughput ratio > 1: ours is faster; p50 and memory ratio < 1: ours is better. Loopback only.
set -euo pipefail
ROUNDS=3 DUR=3 ALL=0 TRANSPORT="" SCEN="saw100,saw1,pipe,idle" IDLE_C=5000 SEED_ROUNDS=1 WARMUP=1 IDLE_SECS=2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/target/ack-fat.jar
EXTRAS=()
declare -A EXTRA_ENV=()
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seed-rounds) SEED_ROUNDS=$2; shift 2 ;;
    --dur) DUR=$2; shift 2 ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    --extra) [[ $2 == *=* ]] || usage; EXTRAS+=("${2%%=*}=$(realpath "${2#*=}")"); shift 2 ;;
    --extra-env) [[ $2 == *=*=* ]] || usage; EXTRA_ENV[${2%%=*}]="${EXTRA_ENV[${2%%=*}]:-} ${2#*=}"; shift 2 ;;
    --transport) TRANSPORT=$2; shift 2 ;;
    --all) ALL=1; shift ;;
    --scenarios) SCEN=$2; shift 2 ;;
    --idle-conns) IDLE_C=$2; shift 2 ;;
    --busy-ok) export QUIET_PCT=100000 OTHER_MAX=100000; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument $1" >&2; usage ;;
  esac
done
has() { [[ ",$SCEN," == *",$1,"* ]]; }
T0=$SECONDS
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || { echo "the reference harness is not at $SHARED (set SHARED_BENCH)" >&2; exit 2; }

# The harness is built once per version of its sources, in /tmp (the shared folder is read-only).
HASH=$(cd "$SHARED" && find . -type f \( -name '*.c' -o -name '*.java' -o -name '*.sh' -o -name '*.py' -o -name pom.xml -o -name Makefile \) \
  -not -path '*/target/*' | sort | xargs sha1sum | sha1sum | cut -c1-12)
B=/tmp/ack-perf-bench-$HASH
BUILDS=()
if [ ! -f "$B/.built" ]; then
  ( rm -rf "$B" && cp -r "$SHARED" "$B" && "$B/build.sh" >"$B/build.log" 2>&1 && touch "$B/.built" ) &
  BUILDS+=($!)
fi
if [ ! -f "$JAR" ]; then
  [ "$JAR" = "$ROOT/target/ack-fat.jar" ] || { echo "no jar at $JAR" >&2; exit 2; }
  (cd "$ROOT" && mvn -B -q package -DskipTests) &
  BUILDS+=($!)
fi
for pid in "${BUILDS[@]}"; do wait "$pid" || { [ -f "$B/build.log" ] && cat "$B/build.log"; echo "build failed" >&2; exit 1; }; done
for e in "${EXTRAS[@]}"; do [ -f "${e#*=}" ] || { echo "no jar at ${e#*=}" >&2; exit 2; }; done

CONF=$ROOT/conf/config.json
ENVS="ACK_PORT={PORT} ACK_MANAGEMENT_PORT=0${TRANSPORT:+ ACK_TRANSPORT=$TRANSPORT}"
ours_cmd() { echo "env $ENVS $1 java -jar $2 -conf $CONF"; }   # ours_cmd EXTRA_ENV JAR
NETTY="java -jar $B/peers/netty/target/netty-ack.jar"
VERTX="java -jar $B/peers/vertx/target/vertx-ack.jar"
EPOLL=$B/peers/epoll_ack
SEED="python3 $ROOT/../shared/seed/seed_server_threaded.py 127.0.0.1 {PORT}"
TAG=perf-$(date -u +%Y%m%dT%H%M%SZ)-$$
LOG=$B/results/$TAG.log
mkdir -p "$B/results"

# servers SCENARIO -> NAME 'CMD' pairs for that scenario
servers() {
  local s=$1 line="" lnetty="" lvertx=""
  if [ "$s" = pipe ]; then line="ACK_FRAMING=line"; lnetty="--line"; lvertx="--line --batch"; fi
  echo ours; ours_cmd "$line" "$JAR"
  if [ "$s" = seed ]; then echo seed; echo "$SEED"; return; fi
  local e
  for e in "${EXTRAS[@]}"; do echo "${e%%=*}"; ours_cmd "$line ${EXTRA_ENV[${e%%=*}]:-}" "${e#*=}"; done
  echo netty_t1_native; echo "$NETTY $lnetty --threads 1 --native --port {PORT}"
  echo epoll_t1; echo "$EPOLL ${lnetty:+-l} -t 1 -p {PORT}"
  echo vertx_peer; echo "$VERTX $lvertx --native --port {PORT}"
  if [ $ALL = 1 ]; then
    echo netty_t1; echo "$NETTY $lnetty --threads 1 --port {PORT}"
    echo netty_t2; echo "$NETTY $lnetty --threads 2 --port {PORT}"
    echo netty_t2_native; echo "$NETTY $lnetty --threads 2 --native --port {PORT}"
    echo epoll_t2; echo "$EPOLL ${lnetty:+-l} -t 2 -p {PORT}"
    echo vertx_peer_nio; echo "$VERTX $lvertx --port {PORT}"
    echo vertx_peer_i2; echo "$VERTX $lvertx --native --instances 2 --port {PORT}"
    [ "$s" = pipe ] && { echo vertx_peer_nobatch; echo "$VERTX --line --native --port {PORT}"; }
  fi
  if [ $ALL = 1 ] && [ "$s" != pipe ]; then
    echo seed; echo "$SEED"
  fi
}
run_compare() { # run_compare SCENARIO BASE_PORT ROUNDS COMPARE_ARGS...
  local s=$1 base=$2 rounds=$3; shift 3
  local args=() n c
  while IFS= read -r n && IFS= read -r c; do args+=("$n" "$c"); done < <(servers "$s")
  echo "== $s: $((${#args[@]} / 2)) servers, $rounds rounds x $DUR s ($(date -u +%H:%M:%S), $((SECONDS - T0)) s in)"
  "$B/compare.sh" --rounds "$rounds" --dur "$DUR" --warmup-dur "$WARMUP" --cwd "$ROOT" --base-port "$base" \
    --tag "$TAG-$s" "$@" "${args[@]}" 2>>"$LOG" | sed -n '/^compare run/,$p'
}

echo "== machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ours: $JAR${TRANSPORT:+ (ACK_TRANSPORT=$TRANSPORT)}; extras: ${EXTRAS[*]:-none}; progress log: $LOG"
has saw100 && run_compare saw100 5500 "$ROUNDS"
has saw100 && [ $ALL = 0 ] && [ "$SEED_ROUNDS" -gt 0 ] && run_compare seed 5520 "$SEED_ROUNDS"
has saw1 && run_compare saw1 5530 "$ROUNDS" --conns 1
has pipe && run_compare pipe 5560 "$ROUNDS" --conns 50 --lg-args '-l -m pipe -D 16'
if has idle; then
  echo "== idle: $IDLE_C connections, one server after the other ($(date -u +%H:%M:%S), $((SECONDS - T0)) s in)"
  i=0
  while IFS= read -r n && IFS= read -r c; do
    "$B/run.sh" --port $((5590 + i)) --cwd "$ROOT" --scenarios idle --idle-conns "$IDLE_C" --idle-secs "$IDLE_SECS" \
      --note "$TAG-idle" "$n" "$c" >>"$LOG" 2>&1 || echo "   idle: $n failed (see $LOG)"
    i=$((i + 1))
  done < <(servers idle)
fi
echo
EXTRA_NAMES=$(for e in "${EXTRAS[@]}"; do printf '%s,' "${e%%=*}"; done)
python3 "$ROOT/perf/compare_table.py" "$B/results" "$TAG" "$ROUNDS" "$DUR" "$EXTRA_NAMES"
echo "wall time: $((SECONDS - T0)) s"
