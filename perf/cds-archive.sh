#!/usr/bin/env bash
# perf/cds-archive.sh - make class-data-sharing archives of the jar: one training run (the server starts with the
# shipped configuration, answers one client session, and is stopped with SIGTERM; each JVM writes the classes it
# loaded to its archive at exit: the server's to ARCHIVE, the client's to CLIENT_ARCHIVE). Then start with them:
#
#   perf/cds-archive.sh [JAR] [ARCHIVE] [CLIENT_ARCHIVE]   # defaults: target/ack-fat.jar, target/ack.jsa,
#                                                          # ARCHIVE with -client before .jsa
#   java -XX:SharedArchiveFile=target/ack.jsa -jar target/ack-fat.jar -conf conf/config.json
#   java -XX:SharedArchiveFile=target/ack-client.jsa -jar target/ack-fat.jar client HOST PORT
#
# The archive only holds for the same JVM build and the same jar at the same path (the JVM checks both and silently
# ignores an archive that does not match; `-Xlog:cds` says so). Rebuild it whenever the jar or the JDK changes.
# JDK 17: a dynamic archive (-XX:ArchiveClassesAtExit) on top of the JDK's default one. Traffic: 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(realpath "${1:-target/ack-fat.jar}")
ARCHIVE=$(realpath -m "${2:-target/ack.jsa}")
CLIENT_ARCHIVE=$(realpath -m "${3:-${ARCHIVE%.jsa}-client.jsa}")
JAVA=${JAVA:-java}
CONF=${CONF:-conf/config.json}   # the configuration of the training run
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); MPORT=$(free_port)
mkdir -p "$(dirname "$ARCHIVE")"
LOG=$(mktemp)
ACK_HOST=127.0.0.1 ACK_PORT=$PORT ACK_MANAGEMENT_HOST=127.0.0.1 ACK_MANAGEMENT_PORT=$MPORT \
  "$JAVA" -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" -conf "$CONF" >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 600); do   # up to 60 s
  if curl -sf "http://127.0.0.1:$MPORT/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; echo "cds-archive: the server exited during training" >&2; exit 1; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:$MPORT/metrics" >/dev/null
echo hi | "$JAVA" -XX:ArchiveClassesAtExit="$CLIENT_ARCHIVE" -Xlog:cds=off -jar "$JAR" client 127.0.0.1 "$PORT" >/dev/null
kill -TERM $SERVER
wait $SERVER || true
rm -f "$LOG"
ls -l "$ARCHIVE" "$CLIENT_ARCHIVE"
