#!/usr/bin/env bash
# Local Neo4j Community 5.26 LTS for citegraph: an embedded DBMS (see Launcher.java) serving Bolt only,
# on 127.0.0.1, with auth on. No Docker, no download at run time beyond Maven Central on the first build.
#
#   neo4j/neo4j.sh start    build if needed (mvn, offline first), start in background, wait for Bolt
#   neo4j/neo4j.sh stop     SIGTERM via pid file, wait for a clean shutdown
#   neo4j/neo4j.sh status   exit 0 if running
#   neo4j/neo4j.sh env      print export lines for NEO4J_URI/USERNAME/DATABASE (never the password)
#                           and NEO4J_IMPORT_DIR, the only folder LOAD CSV reads file:/// URLs from
#
# Env: NEO4J_PASSWORD (password of user neo4j, >= 8 chars; defaults to "citegraph-dev" if unset; it is
#      applied on every start, so changing it and restarting changes it), NEO4J_BOLT_PORT (7687),
#      NEO4J_DATA_DIR (<repo>/.neo4j-data), NEO4J_HEAP (2g), NEO4J_PAGECACHE_MB (512),
#      NEO4J_START_TIMEOUT (120 s), NEO4J_JAVA (java; Neo4j 5.26 runs on Java 17 or 21).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA_DIR="${NEO4J_DATA_DIR:-$(dirname "$HERE")/.neo4j-data}"
PORT="${NEO4J_BOLT_PORT:-7687}"
JAR="$HERE/target/citegraph-neo4j-launcher-1.0.jar"
PID_FILE="$DATA_DIR/neo4j.pid"
LOG="$DATA_DIR/neo4j.log"
MAIN=org.citegraph.neo4j.Launcher
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-citegraph-dev}" NEO4J_BOLT_PORT="$PORT"

die() { echo "neo4j.sh: $*" >&2; exit 1; }

pid_alive() {  # our launcher, not a recycled pid
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
    [[ -n "$pid" ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q "$MAIN"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

bolt_answers() {  # Bolt handshake: magic + proposals 5.8..5.0 and 4.4; a non-zero reply is an agreed version
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" &&
        printf "\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3 &&
        v="$(head -c4 <&3 | od -An -tx1 | tr -d " \n")" && [[ -n "$v" && "$v" != 00000000 ]]' _ "$PORT" 2>/dev/null
}

build() {
    if [[ -f "$JAR" && -d "$HERE/target/lib" && -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$JAR" -print -quit)" ]]; then
        return 0
    fi
    echo "neo4j.sh: building launcher (mvn) ..."
    mvn -B -q -Dstyle.color=never -o -f "$HERE/pom.xml" clean package >/dev/null 2>&1 ||
        mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" clean package || die "maven build failed"
}

start() {
    if pid_alive; then echo "neo4j.sh: already running (pid $(cat "$PID_FILE")) on bolt://127.0.0.1:$PORT"; return 0; fi
    build
    port_open && die "port $PORT is already in use by another process (set NEO4J_BOLT_PORT)"
    mkdir -p "$DATA_DIR"
    [[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.1"
    local t0=$SECONDS timeout="${NEO4J_START_TIMEOUT:-120}"
    NEO4J_HOME_DIR="$DATA_DIR" nohup "${NEO4J_JAVA:-java}" \
        -Xms512m -Xmx"${NEO4J_HEAP:-2g}" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
        -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true \
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
        -cp "$JAR:$HERE/target/lib/*" "$MAIN" >"$LOG" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    # kill -0, not pid_alive: until the background shell has exec'd java, its command
    # line is still bash's, and a loaded machine can take a while to get there
    until grep -qs "citegraph-neo4j: ready" "$LOG" && bolt_answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"; tail -n 30 "$LOG" >&2; die "neo4j exited during startup (log: $LOG)"
        fi
        if (( SECONDS - t0 >= timeout )); then
            tail -n 30 "$LOG" >&2; stop >&2; die "Bolt did not answer within ${timeout}s (log: $LOG)"
        fi
        sleep 0.25
    done
    echo "neo4j.sh: started (pid $(cat "$PID_FILE")) on bolt://127.0.0.1:$PORT in $((SECONDS - t0))s; data in $DATA_DIR, LOAD CSV files in $DATA_DIR/import"
}

stop() {
    if ! pid_alive; then rm -f "$PID_FILE"; echo "neo4j.sh: not running"; return 0; fi
    local pid i
    pid="$(cat "$PID_FILE")"
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; echo "neo4j.sh: stopped"; return 0; }
        sleep 1
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    die "pid $pid did not stop within 60s; killed"
}

case "${1:-}" in
    build) build ;;
    start) start ;;
    stop) stop ;;
    restart) stop && start ;;
    status)
        if pid_alive; then echo "neo4j.sh: running (pid $(cat "$PID_FILE")) on bolt://127.0.0.1:$PORT"
        else echo "neo4j.sh: not running"; exit 3; fi ;;
    env)
        echo "export NEO4J_URI=bolt://127.0.0.1:$PORT"
        echo "export NEO4J_USERNAME=neo4j"
        echo "export NEO4J_DATABASE=neo4j"
        echo "export NEO4J_IMPORT_DIR=$(printf %q "$(realpath -m "$DATA_DIR/import")")" ;;
    *) echo "usage: $0 {build|start|stop|restart|status|env}" >&2; exit 2 ;;
esac
