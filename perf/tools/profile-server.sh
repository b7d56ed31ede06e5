#!/usr/bin/env bash
# profile-server.sh - profile an ack server jar at saw C=100: perf (cpu-clock samples, JIT frames via
# -XX:+DumpPerfMapAtExit) and JFR. Usage: perf/tools/profile-server.sh [JAR]
# (BENCH: the harness copy perf/compare.sh built, default the first /tmp/ack-perf-bench-*).
# Then: perf report -i /tmp/prof/perf.data --children --sort sym -g none; jfr view hot-methods /tmp/prof/ack.jfr (JDK 21+)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${BENCH:-$(ls -d /tmp/ack-perf-bench-* | head -1)}; J=$(realpath "${1:-$ROOT/target/ack-fat.jar}"); O=/tmp/prof; mkdir -p $O
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
cd "$ROOT"
ACK_HOST=127.0.0.1 ACK_PORT=$P ACK_MANAGEMENT_PORT=0 java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
  -XX:StartFlightRecording=filename=$O/ack.jfr,settings=profile -jar $J -conf conf/config.json > $O/server.log 2>&1 &
SP=$!
for i in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$P) 2>/dev/null && break; sleep 0.1; done
$B/loadgen -H 127.0.0.1 -p $P -P $SP -m saw -c 100 -d 30 > $O/loadgen.txt 2>&1 &
LP=$!
sleep 10
perf record -F 499 -g -p $SP -o $O/perf.data -- sleep 15 > $O/perf-record.txt 2>&1
wait $LP
kill -TERM $SP; wait $SP
echo done
