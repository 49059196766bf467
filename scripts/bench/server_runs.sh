# The servers and the runs of scripts/bench-server.sh: starting socketlab-server and nginx,
# one wrk run, one hold run, each recorded in results.tsv. Sourced by bench-server.sh, whose
# options and temporary folder it uses; not a program of its own.
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # the options, folders and flags are bench-server.sh's

# --- servers -----------------------------------------------------------------------------

socketlab_access_log="$tmp/socketlab-access.log"
nginx_access_log="$tmp/nginx/access.log"

# start_server NAME MODE: starts socketlab or nginx afresh under server_pin on free ports and
# waits until it answers. MODE: plain (access log off), log (access log to a file) or idle (room
# for --idle-connections). Sets, for socketlab, socketlab_pid, socketlab_port (the greeting) and
# socketlab_files_port (the folder); for nginx, nginx_pid, nginx_port (both) and nginx_worker.
start_server() {
  local name="$1" mode="$2"
  if [ "$name" = socketlab ]; then
    local args=(--threads 1 --access-log off)
    [ "$mode" = log ] && args=(--threads 1 --access-log "$socketlab_access_log")
    [ "$mode" = idle ] && args+=(--max-connections $((idle_connections + 64)))
    [ "$mode" = deferred ] && args+=(--defer-accept)
    read -r socketlab_port socketlab_files_port <<<"$(free_ports 2)"
    "${server_pin[@]}" "$server" --site "$socketlab_port=en" --site "$socketlab_files_port=$tmp/www" "${args[@]}" \
      >>"$tmp/socketlab.log" 2>&1 &
    socketlab_pid=$!
    wait_ready socketlab-server "$socketlab_pid" "$socketlab_port" "$tmp/socketlab.log"
  else
    local access_log=off connections=1024 deferred=""
    [ "$mode" = log ] && access_log="$nginx_access_log"
    [ "$mode" = deferred ] && deferred=deferred
    [ "$mode" = idle ] && connections="$nginx_idle_connections"
    nginx_port=$(free_ports 1)
    start_nginx "$nginx_port" "$access_log" "$connections" "$deferred"
    wait_ready nginx "$nginx_pid" "$nginx_port" "$tmp/nginx/error.log" "$tmp/nginx/stdout.log"
    nginx_worker=$(nginx_worker)
    [ -n "$nginx_worker" ] || die "cannot find nginx's worker process (the child of $nginx_pid)"
  fi
}

# stop_server NAME: stops socketlab or nginx (nginx's master stops its worker).
stop_server() {
  if [ "$1" = socketlab ]; then
    stop_process "$socketlab_pid"
    socketlab_pid=""
  else
    stop_process "$nginx_pid"
    nginx_pid=""
  fi
}

# The process whose CPU time and memory count for NAME: socketlab-server, or nginx's worker.
measured_pid() { if [ "$1" = socketlab ]; then echo "$socketlab_pid"; else echo "$nginx_worker"; fi; }

# url NAME PATH: where NAME serves PATH (/ the greeting, /4k.bin and /1m.bin the files).
url() {
  if [ "$1" = nginx ]; then
    echo "http://127.0.0.1:$nginx_port$2"
  elif [ "$2" = / ]; then
    echo "http://127.0.0.1:$socketlab_port/"
  else
    echo "http://127.0.0.1:$socketlab_files_port$2"
  fi
}

# The bytes of the response (header and body) at URL.
response_bytes() { curl -s -o /dev/null -w '%{size_header} %{size_download}\n' "$1" | awk '{print $1 + $2}'; }

# Once, with both servers up: the size of their responses, which differ in their headers; then a
# blank line before the runs.
described=0
describe_responses() {
  [ "$described" = 0 ] || return 0
  described=1
  local name
  for name in socketlab nginx; do
    printf '%-18s%s bytes for the greeting, %s for the 4 KiB file (header and body)\n' "$name:" \
      "$(response_bytes "$(url "$name" /)")" "$(response_bytes "$(url "$name" /4k.bin)")"
  done
  echo
}

# --- runs --------------------------------------------------------------------------------

# round scenario server req/s requests bytes cpu-seconds server-cpu% wrk-cpu% KiB/connection
# probe-ms errors; a run leaves empty what it does not measure.
results="$tmp/results.tsv"
: >"$results"
failed=0
mkdir -p "$tmp/runs"

# run_wrk NAME SCENARIO ROUND: one wrk run against NAME (socketlab or nginx); prints its line and
# records it (warm-up and warm-up-log, 1 s of keep-alive: neither).
run_wrk() {
  local name="$1" scenario="$2" round="$3"
  local path=/ seconds="$duration" extra=() c
  case "$scenario" in
    keep-alive|keep-alive-log|warm-up*) c=64 ;;
    close|close-log|close-deferred) c=32; extra=(-H "Connection: close") ;;
    static-4k) c=16; path=/4k.bin ;;
    static-1m) c=16; path=/1m.bin ;;
  esac
  [[ "$scenario" != warm-up* ]] || seconds=1
  local pid log="$tmp/runs/round$round-$scenario-$name.txt" ticks size=0
  pid=$(measured_pid "$name")
  [ "$scenario" = static-1m ] && size=$(response_bytes "$(url "$name" "$path")")
  ticks=$(cpu_ticks "$pid")
  run_measured "$pid" "$log" "${load_pin[@]}" wrk -t "$wrk_threads" -d "${seconds}s" -c "$c" "${extra[@]}" "$(url "$name" "$path")"
  if ! kill -0 "$pid" 2>/dev/null; then
    die "$name died during the $scenario run (round $round)"
  fi
  ticks=$(($(cpu_ticks "$pid") - ticks))
  if [ "$load_status" != 0 ]; then
    echo "bench-server.sh: wrk failed against $name ($scenario, round $round):" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
    return 0
  fi

  # The access log's lines (none would mean it was off), then an empty file for the next run.
  local logged="" access_log="$socketlab_access_log"
  [ "$name" = nginx ] && access_log="$nginx_access_log"
  [[ "$scenario" == *-log ]] && logged=$(wc -l <"$access_log")
  if [ -f "$access_log" ]; then : >"$access_log"; fi
  [[ "$scenario" != warm-up* ]] || return 0

  local rps errors requests cpu_seconds server_cpu per_request bytes="" figures
  parse_wrk_report "$log" "wrk's output"
  requests=$(awk '/ requests in / {print $1; exit}' "$log")
  requests=${requests:-0}
  cpu_seconds=$(awk -v t="$ticks" -v hz="$ticks_per_second" 'BEGIN {printf "%.2f", t / hz}')
  server_cpu=$(awk -v s="$cpu_seconds" -v r="$run_seconds" 'BEGIN {printf "%.1f", 100 * s / r}')
  per_request=$(awk -v s="$cpu_seconds" -v n="$requests" 'BEGIN {printf "%.2f", n ? 1e6 * s / n : 0}')
  figures=$(printf '%10s req/s  %8s us CPU/request' "$rps" "$per_request")
  if [ "$scenario" = static-1m ]; then
    bytes=$((requests * size))
    figures+=$(awk -v rps="$rps" -v size="$size" -v s="$cpu_seconds" -v b="$bytes" \
      'BEGIN {printf "  %7.0f MB/s  %6.3f s CPU/GB", rps * size / 1e6, b ? s / (b / 1e9) : 0}')
  fi
  if [ -n "$logged" ]; then
    figures+="  access log $logged lines"
    [ "$logged" != 0 ] || errors="${errors:+$errors; }no access-log line written"
  fi

  printf 'round %d  %-14s  %-9s  %s   server CPU %5s%%   wrk CPU %3s%%\n' \
    "$round" "$scenario" "$name" "$figures" "$server_cpu" "$load_cpu"
  flag_errors "$log" "$name, $scenario, round $round" "see wrk's output"
  record_run "$round" "$scenario" "$name" "$rps" "$requests" "$bytes" "$cpu_seconds" "$server_cpu" "$load_cpu" "" "" "$errors"
}

# run_hold NAME KIND ROUND: starts NAME afresh, holds --idle-connections connections idle on it,
# each after one greeting (KIND greeting) or one 4 KiB file (KIND file), with socketlab-client
# hold, and stops it; prints the run's line and records it.
run_hold() {
  local name="$1" kind="$2" round="$3" path=/
  [ "$kind" = file ] && path=/4k.bin
  start_server "$name" idle
  local pid log="$tmp/runs/round$round-idle-$kind-$name.txt"
  pid=$(measured_pid "$name")
  # Opening is quick (about 1 s for 10,000 on loopback) but not bounded: allow for a slow machine.
  local limit=$((60 + idle_connections / 100))
  run_measured "$pid" "$log" timeout -k 5 "$limit" "${load_pin[@]}" \
    "$client" hold -n "$idle_connections" --server-pid "$pid" --timeout 10 "$(url "$name" "$path")"
  kill -0 "$pid" 2>/dev/null || die "$name died while holding $idle_connections connections (round $round)"
  stop_server "$name"

  local errors=""
  parse_hold_report "$log"
  if [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; then
    errors="hold did not finish within $limit s"
  elif [ -z "$hold_held" ]; then
    errors="no report from hold (exit status $load_status)"
  else
    [ "$hold_held" = "$idle_connections" ] || errors="only $hold_held of $idle_connections held"
    [ -n "$hold_kib" ] || errors="${errors:+$errors; }no memory figure"
    [ -n "$hold_probe" ] || errors="${errors:+$errors; }no fresh request answered"
    [ -z "$hold_answered" ] || [ "${hold_answered% of *}" = "${hold_answered#* of }" ] ||
      errors="${errors:+$errors; }$hold_answered fresh requests answered"
    [ "$hold_closed" = none ] || errors="${errors:+$errors; }$hold_closed closed by the server (its idle timeout, 15 s?)"
  fi

  printf 'round %d  %-14s  %-9s  %8s KiB per connection (%s held)   fresh request %s ms\n' \
    "$round" "idle-$kind" "$name" "${hold_kib:-?}" "${hold_held:-?}" "${hold_probe:-?}"
  flag_errors "$log" "$name, idle after a $kind, round $round" "see hold's output"
  record_run "$round" "idle-$kind" "$name" "" "" "" "" "" "" "$hold_kib" "$hold_probe" "$errors"
}
