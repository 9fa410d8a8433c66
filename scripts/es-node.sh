#!/usr/bin/env bash
# A real Elasticsearch node for development and tests: scripts/es-node.sh start|stop|status
#
#   start   fetch the class path with Maven (cached under ~/.m2), start one node on a free loopback
#           port with a bounded heap, wait for cluster health; the last line printed is the node's URL.
#           A node this script already started (and that still answers) is reused; one that no longer
#           answers is stopped first (two nodes cannot share a data path). One that answers red is given
#           ES_NODE_WAIT to turn yellow, then reused as it is: an index without a shard keeps it red, and a
#           restart, which recovers that index from the data path, would never get past it.
#   stop    end the process `start` started (its pid file), nothing else: a pid now used by another
#           program (not this home's node) is left alone.
#   status  print the URL and exit 0 when the node answers, else print "stopped" and exit 3.
#
# Environment: ES_NODE_HOME (state: pid, url, log, data; default data/es-node in the repository),
# ES_NODE_HEAP (default 1g), ES_NODE_WAIT (seconds to wait for health, default 180), ES_NODE_JAVA_OPTS
# (default -XX:TieredStopAtLevel=1: C1 only starts the node in about half the time; benchmarks set it empty).
# The node is Elastic's own server run in one JVM by org.codelibs:elasticsearch-cluster-runner
# (scripts/es-node/pom.xml says which version and why); govwatch only ever sees a URL.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
POM="$ROOT/scripts/es-node/pom.xml"
HOME_DIR="${ES_NODE_HOME:-$ROOT/data/es-node}"
HEAP="${ES_NODE_HEAP:-1g}"
WAIT="${ES_NODE_WAIT:-180}"
PIDFILE="$HOME_DIR/pid" URLFILE="$HOME_DIR/url" LOG="$HOME_DIR/node.log" CP="$HOME_DIR/classpath.txt"

die() { echo "es-node: $*" >&2; exit 1; }

colour() {  # $1 = URL, $2 = query; prints this home's cluster's health colour, fails when another answers
  # The cluster name is checked: another node (another home started at the same moment may have
  # taken the port this one chose) must never be taken for this one.
  local answer
  answer="$(curl -fsS --max-time 3 "$1/_cluster/health$2" 2>/dev/null)" || return 1
  grep -qF "\"cluster_name\":\"$(cat "$HOME_DIR/cluster" 2>/dev/null)\"" <<<"$answer" || return 1
  sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$answer"
}

healthy() {  # $1 = URL; true when this home's cluster answers yellow or green within a second
  case "$(colour "$1" '?wait_for_status=yellow&timeout=1s')" in green | yellow) ;; *) return 1 ;; esac
}

answers() {  # $1 = URL; true when this home's cluster answers, in any colour
  case "$(colour "$1" '')" in green | yellow | red) ;; *) return 1 ;; esac
}

alive() {  # the pid file's process runs, and (where /proc shows it) is this home's node, not a reused pid
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -d /proc/self ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-basePath $HOME_DIR/data "
  fi
}

starting() {  # $1 = the pid `start` just launched: it still runs (as this script's child, not yet reaped)
  # Until the child has exec'd java its command line is this script's, so alive() would call it gone:
  # under `nice` on a busy machine that window (the $(cat classpath) before the exec) lasts seconds.
  # A child of this script cannot be another program's process, so no command-line check is needed.
  if [ -r "/proc/$1/stat" ]; then
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"  # after "pid (comm) ": state, ppid, ...
    [ "${stat%% *}" != Z ] && [ "$(cut -d' ' -f2 <<<"$stat")" = "$$" ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

classpath() {  # Maven resolves once; later runs reuse the list while every jar on it still exists
  if [ -s "$CP" ] && [ "$CP" -nt "$POM" ] && tr ':' '\n' <"$CP" | while read -r jar; do [ -e "$jar" ] || exit 1; done; then
    return
  fi
  command -v mvn >/dev/null || die "mvn not found (scripts/setup.sh installs maven)"
  mvn -B -q -f "$POM" dependency:build-classpath -Dmdep.outputFile="$CP" >"$HOME_DIR/maven.log" 2>&1 \
    || die "Maven could not fetch the node's class path: see $HOME_DIR/maven.log"
}

free_port() {  # the runner only accepts HTTP ports up to 9299; take the first one nothing listens on
  local port previous=""
  # a restart on the same data path keeps its URL when that port is still free
  if [ -s "$URLFILE" ]; then previous="$(cat "$URLFILE")"; previous="${previous##*:}"; fi
  for port in $previous $(seq 9201 9299); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port in 9201-9299"
}

node_settings() {  # the runner copies its own elasticsearch.yml (comments only) when the file is missing
  local yml="$HOME_DIR/data/node_1/config/elasticsearch.yml"
  mkdir -p "$(dirname "$yml")"
  # The parent breaker counts reservations, not the heap in use: with -XX:+UseSerialGC the heap holds
  # garbage until it fills, so a reused 1 GiB node refused requests with 429 "Data too large".
  grep -qs '^indices.breaker.total.use_real_memory:' "$yml" || echo 'indices.breaker.total.use_real_memory: false' >>"$yml"
}

start() {
  mkdir -p "$HOME_DIR"
  if alive && [ -s "$URLFILE" ] && healthy "$(cat "$URLFILE")"; then cat "$URLFILE"; return; fi
  if alive && [ -s "$URLFILE" ] && answers "$(cat "$URLFILE")"; then  # red: starting, or an index has no shard
    local until=$((SECONDS + WAIT))
    until healthy "$(cat "$URLFILE")"; do
      [ "$SECONDS" -lt "$until" ] || { echo "es-node: still red after ${WAIT}s: reused as it is" >&2; break; }
      sleep 1
    done
    cat "$URLFILE"
    return
  fi
  if alive; then stop >&2; fi  # this home's node, hung or still starting: it holds the data path
  command -v java >/dev/null || die "java not found (scripts/setup.sh installs openjdk-17)"
  node_settings
  command -v curl >/dev/null || die "curl not found"
  classpath
  local port url cluster
  port="$(free_port)"
  # A cluster name of its own: nodes on one machine discover each other on the loopback transport
  # ports, and two nodes with the same name would join into one cluster (a test node into a dev one).
  [ -s "$HOME_DIR/cluster" ] || echo "govwatch-$(date +%s)-$$-$RANDOM" >"$HOME_DIR/cluster"
  cluster="$(cat "$HOME_DIR/cluster")"
  url="http://127.0.0.1:$port"
  # es.distribution.flavor=default: the server then reports the flavour the official clients expect.
  # setsid: the node outlives this script and gets its own process group, so stop ends exactly it.
  setsid java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseSerialGC ${ES_NODE_JAVA_OPTS--XX:TieredStopAtLevel=1} -Des.distribution.flavor=default \
    -Djava.awt.headless=true -cp "$(cat "$CP")" org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner \
    -numOfNode 1 -baseHttpPort $((port - 1)) -basePath "$HOME_DIR/data" -clusterName "$cluster" \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  echo "$url" >"$URLFILE"
  local waited=0 pid
  pid="$(cat "$PIDFILE")"
  until healthy "$url"; do
    starting "$pid" || die "node exited during start-up; last lines of $LOG: $(tail -5 "$LOG" | tr '\n' ' ')"
    [ "$waited" -lt "$WAIT" ] || { stop; die "no cluster health after ${WAIT}s; see $LOG"; }
    sleep 1
    waited=$((waited + 1))
  done
  echo "es-node: started pid $(cat "$PIDFILE") in ${waited}s, data in $HOME_DIR/data"
  echo "$url"
}

stop() {
  if ! alive; then rm -f "$PIDFILE"; echo "es-node: not running"; return; fi
  local pid
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid"
  for _ in $(seq 30); do alive || break; sleep 1; done  # (an exited node not yet reaped is not alive)
  if alive; then kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  echo "es-node: stopped pid $pid"
}

status() {
  if alive && [ -s "$URLFILE" ] && healthy "$(cat "$URLFILE")"; then cat "$URLFILE"; else echo stopped; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
