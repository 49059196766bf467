# shellcheck shell=bash
# How every bench script measures a run, records it and reports them all. scripts/bench/common.sh
# sources it (the scripts source only common.sh); it uses common.sh's $bench_script, $root and $tmp.
#
# Provides:
#   measuring    cpu_ns, cpu_ticks, ticks_per_second, children_cpu_seconds, run_measured,
#                load_failed
#   reading      parse_hold_report (socketlab-client hold's report)
#   recording    flag_errors, record_run, record_to, exit_if_failed
#   report       run_report (the Python programs scripts/bench/*_report.py)
# Expects, before the functions that use them: results (the file of the runs, a tab-separated
# line each) and failed (0, or 1 once a run failed); for run_report, also markdown, json,
# duration, rounds (common.sh's options) and pinning (pin_cpus).
# Sets: run_measured sets load_pid, load_status, run_seconds, run_cpu_ns, run_cpu_percent and
# load_cpu; parse_hold_report sets the hold_* figures; flag_errors sets failed.
#
# shellcheck disable=SC2034,SC2154  # the variables above cross between this file and the scripts

# --- measuring ---------------------------------------------------------------------------

# CPU time in nanoseconds used so far by a process's threads and its children's (nginx's
# worker), from the scheduler's own accounting (/proc/PID/task/TID/schedstat, first field).
cpu_ns() {
  local pid="$1" p
  local pids=("$pid")
  for p in /proc/"$pid"/task/*/children; do
    # shellcheck disable=SC2207
    [ -r "$p" ] && pids+=($(cat "$p" 2>/dev/null))  # a thread may end between the test and cat
  done
  for p in "${pids[@]}"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null || true; done |
    awk '{ns += $1} END {printf "%.0f\n", ns}'
}

# cpu_ticks PID: the CPU time in clock ticks (getconf CLK_TCK a second) that process PID has used,
# utime + stime from /proc/PID/stat, its finished threads' included (thread-per-connection's
# threads end with their connections, before cpu_ns, which adds up the live threads, could count
# them). Not its children's: give nginx's worker, not its master.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
ticks_per_second=$(getconf CLK_TCK)

# User + system CPU seconds of this shell's finished children so far, from bash's `times`
# (run in this shell, not in a $(...) subshell, whose children these are not).
children_cpu_seconds() {
  times >"$tmp/times"
  awk 'NR == 2 {
    total = 0
    for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); total += t[1] * 60 + t[2] }
    print total
  }' "$tmp/times"
}

# run_measured PID LOG COMMAND...: runs the load generator COMMAND with its output in LOG, in
# the background (load_pid) and waited for, so that a signal to this script ends it at once.
# Sets load_status (its exit status), run_seconds (wall time), run_cpu_ns (CPU time PID used
# meanwhile), run_cpu_percent (the same as a share of one core, one decimal) and load_cpu
# (COMMAND's CPU, % of one core). Call it as a plain command, not in
# `if` or `||`, which would turn off set -e inside it.
run_measured() {
  local pid="$1" log="$2" before after start end
  shift 2
  before=$(cpu_ns "$pid")
  start=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-before"
  "$@" >"$log" 2>&1 &
  load_pid=$!
  load_status=0
  wait "$load_pid" || load_status=$?
  load_pid=""
  end=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-after"
  after=$(cpu_ns "$pid")
  run_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  run_cpu_ns=$((after - before))
  run_cpu_percent=$(awk -v ns="$run_cpu_ns" -v r="$run_seconds" 'BEGIN {printf "%.1f", ns / 1e7 / r}')
  load_cpu=$(awk -v a="$(cat "$tmp/load-cpu-before")" -v b="$(cat "$tmp/load-cpu-after")" -v r="$run_seconds" 'BEGIN {printf "%.0f", 100 * (b - a) / r}')
}

# load_failed LOG HUNG FAILED: after run_measured, when the load generator did not exit 0, says
# HUNG (timeout killed it) or FAILED with its exit status, shows its output (LOG) and returns 0;
# returns 1 when it succeeded.
load_failed() {
  [ "$load_status" = 0 ] && return 1
  if [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; then
    echo "$2; its output:" >&2
  else
    echo "$3 (exit status $load_status):" >&2
  fi
  sed 's/^/  /' "$1" >&2
}

# --- reading -----------------------------------------------------------------------------

# parse_hold_report LOG: reads the report socketlab-client hold wrote to LOG and sets, each empty
# when the report does not say it:
#   hold_held             connections held once all were tried ("held: 2,000 of 2,000")
#   hold_memory_held      of those, the ones still held when the server's memory was read
#   hold_kib              the server's resident memory per connection, KiB
#   hold_probe            the median time of the fresh requests, ms
#   hold_answered         fresh requests answered, "20 of 20"
#   hold_probe_failures   why the others got no answer, "; " between reasons
#   hold_closed           held connections the server closed meanwhile: "none" or a number
#   hold_not_held         why the connections not held were not, "; " between reasons, e.g.
#                         "1,999 timed out after 5 s waiting for the response"
# (numbers without their thousands separators, reasons as hold words them).
parse_hold_report() {
  local log="$1"
  hold_held=$(sed -n 's/^held: *\([0-9,]*\) of.*/\1/p' "$log" | tr -d ,)
  hold_memory_held=$(sed -n 's/^server memory:.* with \([0-9,]*\) held.*/\1/p' "$log" | tr -d ,)
  hold_kib=$(sed -n 's/^server memory:.*: \([0-9.]*\) KiB per connection.*/\1/p' "$log")
  hold_probe=$(sed -n 's/^fresh requests:.* median \([0-9.]*\) ms.*/\1/p' "$log")
  hold_answered=$(sed -n 's/^fresh requests: *\([0-9]* of [0-9]*\) answered.*/\1/p' "$log")
  hold_closed=$(sed -n 's/^closed by server: *\([^ ]*\) .*/\1/p' "$log" | tr -d ,)
  hold_not_held=$(hold_section "$log" "not held:")
  hold_probe_failures=$(hold_section "$log" "fresh requests:" | sed 's/^[^;]*\(; \)\{0,1\}//')
}
# hold_section LOG LABEL: the lines of hold's report from LABEL's to the next label's, without
# the label, joined with "; ".
hold_section() {
  awk -v label="$2" '
    /^[^ ]/ { inside = index($0, label) == 1; if (inside) sub("^" label " *", "") }
    inside { sub(/^ +/, ""); out = out (out == "" ? "" : "; ") $0 }
    END { print out }' "$1"
}

# --- recording ---------------------------------------------------------------------------

# flag_errors LOG RUN OUTPUT: when the run's errors (the caller's $errors) are not empty, says
# "!!! ERRORS: RUN: $errors (OUTPUT below)" on stderr, shows LOG and sets failed=1.
flag_errors() {
  [ -n "$errors" ] || return 0
  echo "!!! ERRORS: $2: $errors ($3 below)" >&2
  sed 's/^/  /' "$1" >&2
  failed=1
}

# record_run FIELD...: appends the run to $results, its FIELDs on one tab-separated line.
record_run() { record_to "$results" "$@"; }
# record_to FILE FIELD...: appends the FIELDs to FILE on one tab-separated line.
record_to() {
  local file="$1" IFS=$'\t'
  shift
  printf '%s\n' "$*" >>"$file"
}

# exit_if_failed WHAT: after the report, when a run failed, says "some runs FAILED (WHAT)" on
# stderr and exits 1.
exit_if_failed() {
  if [ "$failed" != 0 ]; then
    echo "$bench_script: some runs FAILED ($1): see above" >&2
    exit 1
  fi
}

# --- report ------------------------------------------------------------------------------

# run_report PROGRAM ARG...: prints a blank line, then runs the Python program
# scripts/bench/PROGRAM.py, which prints the table and writes the --markdown and --json files.
# It gets the arguments every report takes (see scripts/bench/report.py), then ARG...
run_report() {
  local program="$1"
  shift
  echo
  # -B: no __pycache__ folder in scripts/bench from importing report.py.
  python3 -B "$root/scripts/bench/$program.py" "$results" "$markdown" "$json" "$duration" "$rounds" "$pinning" "$@"
}
