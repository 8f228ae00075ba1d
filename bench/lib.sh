# Shared by the bench/ scripts (sourced, not run): paths, CPU pinning, installing the anchors, starting and stopping
# the servers under test, and running the load generator. Every server and load generator started here is stopped
# on exit.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/results}"
LOGS="$RESULTS/logs"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
APP_JAR="$ROOT/app/target/switchboard.jar"
# The servers get one core, the load generators (and the echo peers) the other.
SERVER_CPU="${BENCH_SERVER_CPU:-0}"
LOAD_CPU="${BENCH_LOAD_CPU:-1}"
# bin/switchboard's defaults for one CPU, since the servers are pinned to one core.
SWITCHBOARD_JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:--XX:+UseSerialGC -Xmn32m -Xmx1g}"
LOAD_JAVA_OPTS="${BENCH_LOAD_JAVA_OPTS:--Xmx2g}"
REALM="example.org"
TURN_USER="alice:secret"
RELAY_MIN=10000
RELAY_MAX=29999
QUICK=0
STARTED_PIDS=()

mkdir -p "$RESULTS" "$LOGS"

parse_common() {
  for arg in "$@"; do
    case "$arg" in
      --quick) QUICK=1; export BENCH_QUIET_WAIT="${BENCH_QUIET_WAIT:-2}" ;;
      -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "unknown option: $arg (expected --quick)" >&2; exit 64 ;;
    esac
  done
}

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Appends a command line to the log that the report quotes as "the exact commands".
record_command() { printf '%s\n' "$*" | sed "s|$ROOT/||g" >> "$RESULTS/commands.log"; }

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]:-}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() {
  local pid="$1" kept=() p
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${STARTED_PIDS[@]:-}"; do [ "$p" != "$pid" ] && kept+=("$p"); done
  STARTED_PIDS=("${kept[@]:-}")
}

ensure_bench_jar() {
  if [ ! -f "$BENCH_JAR" ]; then
    say "building bench/target/benchmarks.jar (mvn package, tests skipped)"
    (cd "$ROOT" && mvn -B -q -DskipTests -pl bench -am package >&2)
  fi
}

ensure_app_jar() {
  if [ ! -f "$APP_JAR" ]; then
    say "building app/target/switchboard.jar (mvn package, tests skipped)"
    (cd "$ROOT" && mvn -B -q -DskipTests -pl app -am package >&2)
  fi
}

ensure_coturn() {
  if ! command -v turnserver >/dev/null || ! command -v turnutils_uclient >/dev/null; then
    say "installing coturn (apt-get)"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq coturn >&2
  fi
}

ensure_peerjs() {
  if [ ! -d "$BENCH_DIR/peerjs/node_modules/peer" ]; then
    say "installing PeerJS server (npm package peer) into bench/peerjs"
    (cd "$BENCH_DIR/peerjs" && npm install --no-audit --no-fund --loglevel=error >&2)
  fi
}

# A free TCP and UDP port on loopback above the ephemeral range, so load generator sockets never take it.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((61000 + RANDOM % 4500))
    if [ -z "$(ss -Hlnu "sport = :$p" 2>/dev/null)" ] && [ -z "$(ss -Hlnt "sport = :$p" 2>/dev/null)" ] \
        && [ -z "$(ss -Hlnt "sport = :$((p + 1))" 2>/dev/null)" ]; then
      echo "$p"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

wait_for_line() { # FILE PATTERN SECONDS PID
  local file="$1" pattern="$2" seconds="$3" pid="$4"
  for _ in $(seq $((seconds * 10))); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "server exited; its log:" >&2; tail -20 "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $file" >&2
  return 1
}

wait_for_udp() { # PORT SECONDS PID
  for _ in $(seq $(($2 * 10))); do
    [ -n "$(ss -Hlnu "sport = :$1" 2>/dev/null)" ] && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Starts coturn on 127.0.0.1:$1 pinned to the server core; sets COTURN_PID and COTURN_PORT.
start_coturn() {
  COTURN_PORT="$(free_port)"
  local log="$LOGS/coturn-$COTURN_PORT.log"
  local cmd=(taskset -c "$SERVER_CPU" turnserver -n --no-cli --no-tls --no-dtls
    --listening-ip 127.0.0.1 --listening-port "$COTURN_PORT" --relay-ip 127.0.0.1
    --min-port "$RELAY_MIN" --max-port "$RELAY_MAX" --user "$TURN_USER" --realm "$REALM" --lt-cred-mech
    --allow-loopback-peers --no-multicast-peers --log-file stdout --simple-log --pidfile "$LOGS/coturn.pid"
    ${COTURN_OPTS:-})
  record_command "${cmd[@]}"
  "${cmd[@]}" > "$log" 2>&1 &
  COTURN_PID=$!
  STARTED_PIDS+=("$COTURN_PID")
  wait_for_udp "$COTURN_PORT" 20 "$COTURN_PID" || { tail -20 "$log" >&2; return 1; }
  say "coturn $(turnserver --version 2>/dev/null | head -1 || true) pid $COTURN_PID on udp 127.0.0.1:$COTURN_PORT"
}

# Starts Switchboard pinned to the server core; extra options after the defaults. Sets SB_PID, SB_TURN_PORT,
# SB_HTTP_PORT from the "listening ..." lines it prints.
start_switchboard() {
  local turn_port log
  turn_port="$(free_port)"
  log="$LOGS/switchboard-$turn_port.log"
  SB_LOG="$log"
  local cmd=(taskset -c "$SERVER_CPU" java $SWITCHBOARD_JAVA_OPTS -jar "$APP_JAR" serve
    --bind 127.0.0.1 --http-port 0 --turn-port "$turn_port" --admin-port 0 --tls false --drain-timeout 0
    --relay-ports "$RELAY_MIN-$RELAY_MAX" --realm "$REALM" --user "$TURN_USER"
    --allow-peer 127.0.0.0/8 --total-quota 30000 --user-quota 30000
    --message-rate 100000 "$@")
  record_command "${cmd[@]}"
  "${cmd[@]}" > "$log" 2>&1 &
  SB_PID=$!
  STARTED_PIDS+=("$SB_PID")
  wait_for_line "$log" "switchboard ready" 90 "$SB_PID"
  SB_TURN_PORT="$(sed -n 's/.*listening turn-udp [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)"
  SB_HTTP_PORT="$(sed -n 's/.*listening http [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)"
  say "switchboard pid $SB_PID: turn udp 127.0.0.1:$SB_TURN_PORT, http 127.0.0.1:$SB_HTTP_PORT"
}

# Starts PeerJS server pinned to the server core; sets PEERJS_PID and PEERJS_PORT.
start_peerjs() {
  local port log
  port="$(free_port)"
  log="$LOGS/peerjs-$port.log"
  local cmd=(taskset -c "$SERVER_CPU" node --expose-gc "$BENCH_DIR/peerjs/server.js" "$port")
  record_command "${cmd[@]}"
  "${cmd[@]}" > "$log" 2>&1 &
  PEERJS_PID=$!
  STARTED_PIDS+=("$PEERJS_PID")
  wait_for_line "$log" "listening http" 30 "$PEERJS_PID"
  PEERJS_PORT="$port"
  say "PeerJS server $(node -p "require('$BENCH_DIR/peerjs/node_modules/peer/package.json').version") pid $PEERJS_PID on 127.0.0.1:$PEERJS_PORT"
}

# Runs the load generator pinned to the load core: load SUBCOMMAND --option value ...
load() {
  local cmd=(taskset -c "$LOAD_CPU" java $LOAD_JAVA_OPTS -jar "$BENCH_JAR" "$@")
  record_command "${cmd[@]}"
  "${cmd[@]}"
}

cpu_seconds() { # PID
  awk '{ sub(/^.*\) /, ""); print ($12 + $13) / 100 }' "/proc/$1/stat"
}

# Prints the ratio a/b with two decimals, or "n/a".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# The value of key in a "key=value key=value" line.
field() { # LINE KEY
  printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
