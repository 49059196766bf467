# The servers and the runs of scripts/compare-models.sh: starting socketlab-server with a model,
# one bench run (requests per second), one hold run (idle connections) and the search for the
# most connections a model holds, each recorded. Sourced by compare-models.sh, whose options and
# temporary folder it uses; not a program of its own (slow-clients.sh sources it for start_model).
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # the options, folders and flags are compare-models.sh's

# --- servers -----------------------------------------------------------------------------

# start_server MODEL SCENARIO [N]: start_model for MODEL, the greeting in English, its output in
# $tmp/MODEL-SCENARIO[-N].log. For the idle scenario, room for N connections: --max-connections
# N+64 (not for the iterative model, which refuses it: it serves one connection and leaves the
# rest in the listen queue), and header and idle timeouts long enough that the server closes none
# of the connections while hold opens and holds them.
start_server() {
  local model="$1" scenario="$2" n="${3:-}"
  local args=(--access-log off)
  [ "$scenario" = work ] && args+=(--work-ms "$work_ms")
  if [ "$scenario" = idle ]; then
    [ "$model" = iterative ] || args+=(--max-connections $((n + 64)))
    args+=(--header-timeout "$idle_server_timeout" --idle-timeout "$idle_server_timeout")
  fi
  start_model "$model" en "$tmp/$model-$scenario${n:+-$n}.log" "${args[@]}"
}

# start_model MODEL SITE LOG ARG...: starts socketlab-server --site PORT=SITE --model MODEL
# [--threads $pool_threads] ARG... under server_pin on a free port, its output in LOG; sets port,
# server_pid and server_log, and waits until it answers the greeting at / (SITE: a language, or a
# folder whose index.html is the greeting).
start_model() {
  local model="$1" site="$2"
  local args=(--model "$model")
  [ "$model" = thread-pool ] && args+=(--threads "$pool_threads")
  server_log="$3"
  shift 3
  port=$(free_ports 1)
  "${server_pin[@]}" "$server" --site "$port=$site" "${args[@]}" "$@" >"$server_log" 2>&1 &
  server_pid=$!
  wait_ready "socketlab-server --model $model" "$server_pid" "$port" "$server_log"
}

# --- requests per second -----------------------------------------------------------------

# round scenario model connections status req/s timeouts errors non-2xx server-cpu%
results="$tmp/results.tsv"
: >"$results"
failed=0
mkdir -p "$tmp/runs"

# run_bench MODEL SCENARIO CONNECTIONS ROUND: one socketlab-client bench run against the server;
# prints its line and records it (round 0 is the warm-up: neither). A client that fails or hangs
# is recorded as such; a server that dies ends the script.
run_bench() {
  local model="$1" scenario="$2" c="$3" round="$4" seconds="$duration"
  local args=(-c "$c" --timeout "${request_timeout}s" --json)
  [ "$scenario" = close ] && args+=(--no-keepalive)
  [ "$round" = 0 ] && seconds=1
  local log="$tmp/runs/round$round-$scenario-$model-$c.json"
  # Under timeout, so that a client that never returns fails the run instead of the script; the
  # limit allows for the run, the requests under way at its end and a slow start.
  local limit=$((seconds + 2 * request_timeout + 30)) ticks server_cpu
  ticks=$(cpu_ticks "$server_pid")
  run_measured "$server_pid" "$log" timeout -k 5 "$limit" "${load_pin[@]}" \
    "$client" bench "http://127.0.0.1:$port/" -d "${seconds}s" "${args[@]}"
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "compare-models.sh: socketlab-server --model $model died during the $scenario run at $c connections; its output:" >&2
    sed 's/^/  /' "$server_log" >&2
    exit 1
  fi
  ticks=$(($(cpu_ticks "$server_pid") - ticks))
  server_cpu=$(awk -v t="$ticks" -v hz="$ticks_per_second" -v r="$run_seconds" 'BEGIN {printf "%.1f", 100 * t / hz / r}')

  local status=ok rps=0 timeouts=0 errors=0 non2xx=0
  if load_failed "$log" \
    "compare-models.sh: socketlab-client bench did not finish within $limit s ($model, $scenario, $c connections: hung)" \
    "compare-models.sh: socketlab-client bench failed ($model, $scenario, $c connections)"; then
    status="exit $load_status"
    { [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; } && status=hung
    failed=1
  else
    # The JSON summary (skipping anything else the client may have printed before it).
    local summary
    summary=$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
r, _ = json.JSONDecoder().raw_decode(text[text.index("{"):])
e = r["errors"]
print(r["requests_per_sec"], e["timeout"], e["connect"] + e["read"] + e["write"], r["non_2xx_3xx"])' "$log" 2>/dev/null) ||
      summary=""
    read -r rps timeouts errors non2xx <<<"$summary"
    if [ -z "$rps" ]; then
      echo "compare-models.sh: no JSON summary from socketlab-client bench ($model, $scenario, $c connections):" >&2
      sed 's/^/  /' "$log" >&2
      status="no summary"
      rps=0 timeouts=0 errors=0 non2xx=0
      failed=1
    fi
  fi
  [ "$round" = 0 ] && return 0

  local notes=""
  ((timeouts == 0)) || notes+=", $timeouts timeouts"
  ((errors == 0)) || notes+=", $errors errors"
  ((non2xx == 0)) || notes+=", $non2xx non-2xx"
  [ "$status" = ok ] || notes+=", FAILED ($status)"
  printf 'round %d  %-10s  %-21s  %3d conn  %10.0f req/s   server CPU %5s%%%s\n' \
    "$round" "$scenario" "$model" "$c" "$rps" "$server_cpu" "$notes"
  record_run "$round" "$scenario" "$model" "$c" "$status" "$rps" "$timeouts" "$errors" "$non2xx" "$server_cpu"
}

# --- idle connections --------------------------------------------------------------------

# One line a hold: model connections status held memory-held KiB/connection threads-before
# threads-peak virtual-KiB-before virtual-KiB-peak kernel-stacks-KiB-before kernel-stacks-KiB-peak
# probe-ms answered probe-failures not-held closed timeout-s tries seconds
idle_results="$tmp/idle.tsv"
# One line a model: model cap cap-reason the-connection-counts-tried
idle_search_results="$tmp/idle-search.tsv"
: >"$idle_results"
: >"$idle_search_results"
declare -A held_all  # "MODEL N": 1 when a hold of N kept all N open, 0 when not (measured once)

# hold_timeout N: hold's --timeout for N connections, in seconds: 5, and 1 more per 1,000. Opened
# all at once, they overflow the listen queue; the kernel drops the SYNs it has no room for and the
# client sends them again 1, 3 and 7 s later, so 20,000 take about 10 s to open on loopback.
hold_timeout() { echo $((5 + $1 / 1000)); }

# sample_server PID: prints PID's threads, its virtual size in KiB and the kernel stacks of every
# process on the machine in KiB (/proc/PID/status, /proc/meminfo) on one line; nothing once PID is
# gone.
sample_server() {
  awk '/^Threads:/ {t = $2} /^VmSize:/ {v = $2} /^KernelStack:/ {k = $2}
       END {if (t != "" && v != "" && k != "") print t, v, k}' "/proc/$1/status" /proc/meminfo 2>/dev/null || true
}

# sample_server_every PID FILE: sample_server PID every 0.1 s, appended to FILE, until it is
# stopped (by pid, sampler_pid) or PID ends.
sample_server_every() {
  while kill -0 "$1" 2>/dev/null; do
    sample_server "$1" >>"$2"
    sleep 0.1
  done
}

# run_hold MODEL N: starts a fresh server for MODEL, holds N idle keep-alive connections on it
# with socketlab-client hold (which times fresh requests meanwhile and reads the server's RSS),
# samples the server's threads and size and the kernel's stacks meanwhile, stops it; prints the
# hold's line, records it in $idle_results and held_all. When the connections not held all timed
# out while the server answered every fresh request, the opening was too slow for the machine
# (other work on it), not the server: the hold is made once more, afresh, with three times the
# timeout, and that one counts. A hold that hangs or says nothing, or a server that dies, is
# recorded as such and sets failed.
run_hold() {
  local model="$1" n="$2" timeout
  timeout=$(hold_timeout "$n")
  local tries=1
  hold_once "$model" "$n" "$timeout"
  if [ "$hold_status" = ok ] && [ "${held_all["$model $n"]}" = 0 ] && only_timeouts "$hold_not_held" &&
    [ -n "$hold_answered" ] && [ "${hold_answered% of *}" = "${hold_answered#* of }" ]; then
    echo "idle  $model, $n: the others only timed out, the server answering meanwhile: once more, with a $((3 * timeout)) s timeout"
    hold_once "$model" "$n" $((3 * timeout))
    tries=2
  fi
  [ "$hold_status" = ok ] || failed=1

  local peaks
  peaks=$(awk 'NR == 1 {print $1, $2, $3; t = $1; v = $2; k = $3}
               {if ($1 > t) t = $1; if ($2 > v) v = $2; if ($3 > k) k = $3}
               END {print t, v, k}' "$hold_samples" | paste -sd ' ')
  local threads0 virtual0 stacks0 threads virtual stacks
  read -r threads0 virtual0 stacks0 threads virtual stacks <<<"$peaks"

  local what="RSS ${hold_kib:-?} KiB each, threads ${threads:-?}, "
  if [ -n "$hold_probe" ]; then what+="fresh request $hold_probe ms"; else what+="no fresh request answered"; fi
  [ "${held_all["$model $n"]}" = 1 ] || what+="; ${hold_not_held:-$hold_status}"
  printf 'idle  %-21s  %6d asked  %6s held   %s\n' "$model" "$n" "${hold_held:-?}" "$what"
  record_to "$idle_results" "$model" "$n" "$hold_status" "${hold_held:-0}" "${hold_memory_held:-0}" "$hold_kib" \
    "$threads0" "$threads" "$virtual0" "$virtual" "$stacks0" "$stacks" "$hold_probe" "$hold_answered" \
    "$hold_probe_failures" "$hold_not_held" "$hold_closed" "$hold_timeout_used" "$tries" "$run_seconds"
}

# only_timeouts REASONS: whether REASONS (parse_hold_report's hold_not_held) is not empty and
# every one of them a timeout.
only_timeouts() {
  local reason
  [ -n "$1" ] || return 1
  while IFS= read -r reason; do
    [[ "$reason" == *" timed out "* ]] || return 1
  done <<<"${1//; /$'\n'}"
}

# hold_once MODEL N TIMEOUT: run_hold's measurement, hold's --timeout TIMEOUT seconds; sets the
# hold_* figures (parse_hold_report), hold_status (ok, died, "stopped by a signal from elsewhere",
# hung or "no report"),
# hold_timeout_used, hold_samples (the file of the samples, the first line before the hold) and
# held_all["MODEL N"].
hold_once() {
  local model="$1" n="$2" timeout="$3" limit
  local log="$tmp/runs/idle-$model-$n-${3}s.txt"
  hold_samples="$tmp/runs/idle-$model-$n-${3}s.samples"
  hold_status=ok
  hold_timeout_used="$timeout"
  # Opening (timeout), the fresh requests (the first that times out ends them), --hold 1, and room.
  limit=$((3 * timeout + 30))
  start_server "$model" idle "$n"
  sample_server "$server_pid" >"$hold_samples"  # the first line: before
  sample_server_every "$server_pid" "$hold_samples" &
  sampler_pid=$!
  # --hold 1: a second more with all of them open, for the samples.
  run_measured "$server_pid" "$log" timeout -k 5 "$limit" "${load_pin[@]}" \
    "$client" hold -n "$n" --server-pid "$server_pid" --timeout "$timeout" --hold 1 "http://127.0.0.1:$port/"
  stop_process "$sampler_pid"
  sampler_pid=""
  if ! kill -0 "$server_pid" 2>/dev/null; then
    hold_status=died
    # Not by this script: something else on the machine (a pkill?) stopped it.
    grep -Eq '(SIGTERM|SIGINT) received' "$server_log" && hold_status="stopped by a signal from elsewhere"
    echo "compare-models.sh: socketlab-server --model $model ended ($hold_status) while $n connections were opened or held; its output:" >&2
    sed 's/^/  /' "$server_log" >&2
  fi
  stop_process "$server_pid"
  server_pid=""

  parse_hold_report "$log"
  if [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; then
    hold_status=hung
    echo "compare-models.sh: socketlab-client hold -n $n did not finish within $limit s ($model); its output:" >&2
    sed 's/^/  /' "$log" >&2
  elif [ -z "$hold_held" ]; then
    [ "$hold_status" != ok ] || hold_status="no report"
    echo "compare-models.sh: no report from socketlab-client hold -n $n ($model, exit status $load_status):" >&2
    sed 's/^/  /' "$log" >&2
  fi
  held_all["$model $n"]=0
  [ "$hold_status" = ok ] && [ "$hold_held" = "$n" ] && [ "$hold_closed" = none ] && held_all["$model $n"]=1
  return 0
}

# idle_cap MODEL: sets cap, the most connections the search asks MODEL to hold, and cap_reason,
# what set it: --idle-max; the open-file limit (files_cap); half the memory available at 128 KiB a
# connection (more than any model here takes); for thread-per-connection, the threads the system
# allows (kernel.pid_max, kernel.threads-max, ulimit -u) less those running and 4,096 for the
# rest of the machine.
idle_cap() {
  local limit
  cap="$idle_max"
  cap_reason="--idle-max $idle_max"
  if ((files_cap < cap)); then
    cap="$files_cap"
    cap_reason="the open-file limit, $(ulimit -n), less 64: the server and hold each need a file a connection"
  fi
  limit=$(awk '/^MemAvailable:/ {print int($2 / 2 / 128)}' /proc/meminfo)
  if [ -n "$limit" ] && ((limit < cap)); then
    cap="$limit"
    cap_reason="half the memory available, at 128 KiB a connection"
  fi
  if [ "$1" = thread-per-connection ]; then
    limit=$(thread_room)
    if ((limit < cap)); then
      cap="$limit"
      cap_reason="the threads the system allows (kernel.pid_max, kernel.threads-max, ulimit -u) less those running and 4,096 left for the rest of the machine"
    fi
  fi
}

# thread_room: how many more threads this script may start, leaving 4,096 for the rest of the machine.
thread_room() {
  local most tasks
  most=$(cat /proc/sys/kernel/pid_max)
  tasks=$(cat /proc/sys/kernel/threads-max)
  ((tasks < most)) && most="$tasks"
  [ "$(ulimit -u)" = unlimited ] || (($(ulimit -u) >= most)) || most=$(ulimit -u)
  tasks=$(awk '{split($4, n, "/"); print n[2]}' /proc/loadavg)  # the threads there are now
  echo $((most - tasks - 4096))
}

# search_idle MODEL: the most connections MODEL holds: the --idle-connections counts (already
# measured), smallest first, then twice the largest, and twice that, up to the cap (idle_cap),
# stopping at the first count MODEL does not hold all of. Records the counts tried in
# $idle_search_results.
search_idle() {
  local model="$1" n=0 tried=()
  idle_cap "$model"
  for n in $(tr ' ' '\n' <<<"$idle_connections" | sort -n -u); do
    ((n <= cap)) || break
    tried+=("$n")
    [ -n "${held_all["$model $n"]:-}" ] || run_hold "$model" "$n"
    [ "${held_all["$model $n"]}" = 1 ] || break
  done
  if [ "${#tried[@]}" = 0 ] || [ "${held_all["$model ${tried[-1]}"]}" = 1 ]; then
    n="${tried[-1]:-0}"
    while ((n < cap)); do
      n=$((2 * n < cap && n > 0 ? 2 * n : cap))
      tried+=("$n")
      run_hold "$model" "$n"
      [ "${held_all["$model $n"]}" = 1 ] || break
    done
  fi
  record_to "$idle_search_results" "$model" "$cap" "$cap_reason" "${tried[*]}"
}
