# The runs of scripts/slow-clients.sh: the normal client's requests (probe, probe_all) and one
# attack on one model (attack), recorded to $attacks. Sourced by slow-clients.sh, whose options,
# temporary folder and helpers it uses; not a program of its own.
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # the options, folders and flags are slow-clients.sh's

# probe FILE: one request of the normal client; writes "HTTP-STATUS SECONDS CURL-EXIT" to FILE
# (status 000 when there was no answer; exit 28: timed out, 7: refused, 52: empty reply).
probe() {
  local status=0
  "${load_pin[@]}" curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time "$probe_timeout" \
    "http://127.0.0.1:$port/index.html" >"$1" 2>/dev/null || status=$?
  echo " $status" >>"$1"
}

# probe_all PREFIX: the normal client's requests, each in the background, their results in
# PREFIX.0, PREFIX.1...; run in the background itself (probe_pid): on TERM it stops its requests.
probe_all() {
  local pids=() i
  trap 'kill "${pids[@]}" 2>/dev/null; exit 143' TERM
  sleep "$probe_start"
  for ((i = 0; i < probes; i++)); do
    probe "$1.$i" &
    pids+=($!)
    sleep 1
  done
  wait "${pids[@]}"
}

# attack MODE MODEL: a fresh server for MODEL, slowhttptest in MODE against it for --duration
# with the normal client meanwhile, then the server stopped; prints the attack's line and records
# it in $attacks. A server that dies or a slowhttptest that fails sets failed.
attack() {
  local mode="$1" model="$2"
  local prefix="$tmp/runs/$mode-$model"
  local args=(--access-log "$prefix-access.log" --header-timeout "$header_timeout" --send-timeout "$send_timeout")
  [ "$model" = iterative ] || args+=(--max-connections $((connections + 64)))
  start_model "$model" "$tmp/www" "$prefix-server.log" "${args[@]}"
  : >"$prefix-access.log"  # wait_ready's request: not the attack's

  local how=(-H -i 2 -x 24 -u "http://127.0.0.1:$port/")
  [ "$mode" = slow-read ] && how=(-X -w 1 -y 512 -n 1 -z 32 -u "http://127.0.0.1:$port/big.bin")
  sample_server_every "$server_pid" "$prefix.samples" &
  sampler_pid=$!
  # Under timeout, so that a slowhttptest that never returns fails the attack, not the script.
  local limit=$((duration + 60)) status=0
  "${load_pin[@]}" timeout -k 5 "$limit" slowhttptest -c "$connections" -r "$rate" -l "$duration" -p 3 \
    -g -o "$prefix" "${how[@]}" >"$prefix-slowhttptest.txt" 2>&1 &
  attack_pid=$!
  probe_all "$prefix.probe" &
  probe_pid=$!
  wait "$attack_pid" || status=$?
  attack_pid=""
  wait "$probe_pid" || true
  probe_pid=""
  stop_process "$sampler_pid"
  sampler_pid=""

  local notes=""
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "slow-clients.sh: socketlab-server --model $model died during the $mode attack; its output:" >&2
    sed 's/^/  /' "$server_log" >&2
    notes="; the server DIED"
    failed=1
  fi
  stop_process "$server_pid"
  server_pid=""
  if [ "$status" != 0 ] || [ ! -s "$prefix.csv" ]; then
    echo "slow-clients.sh: slowhttptest failed ($mode, $model, exit status $status); its output:" >&2
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g; s/^/  /' "$prefix-slowhttptest.txt" >&2
    notes+="; slowhttptest FAILED (exit status $status)"
    failed=1
  fi

  # slowhttptest's CSV: Seconds,Closed,Pending,Connected,Service Available, a row a second, but
  # none for its last second: when the server closed the last connections, only its output says
  # so ("No open connections left", and the second).
  local held closed first last ended
  read -r held closed first last <<<"$(awk -F, 'NR > 1 {
      if ($4 > held) held = $4
      if ($2 > closed) { if (closed == 0) first = $1; last = $1; closed = $2 }
    } END {print held + 0, closed + 0, (first == "" ? "-" : first), (last == "" ? "-" : last)}' "$prefix.csv" 2>/dev/null || echo "0 0 - -")"
  ended=$(sed -n 's/^.*Test ended on \([0-9]*\)th second.*$/\1/p' "$prefix-slowhttptest.txt")
  if grep -q "No open connections left" "$prefix-slowhttptest.txt" && [ -n "$ended" ]; then
    closed="$held" last="$ended"
    [ "$first" != - ] || first="$ended"
  fi
  # The server's answers other than 200 to the attack (the normal client's are to /index.html).
  local answers
  answers=$(awk '$7 != "/index.html" && $(NF - 1) != 200 {n[$(NF - 1)]++}
                 END {for (s in n) printf "%s%s x%d", (out++ ? ", " : ""), s, n[s]}' "$prefix-access.log")
  # The normal client's requests: answered (200), the median and slowest of those, in ms, and why
  # the others failed.
  local answered median slowest failures
  read -r answered median slowest <<<"$(cat "$prefix".probe.* | awk '$1 == 200 {print $2 * 1000}' | sort -g |
    awk '{t[NR] = $1} END {
      if (NR == 0) { print 0, "-", "-"; exit }
      m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%d %.1f %.1f\n", NR, m, t[NR]}')"
  failures=$(cat "$prefix".probe.* | awk -v limit="$probe_timeout" '$1 != 200 {
      why = $3 == 28 ? "timed out after " limit " s" : $1 != "000" ? "got " $1 : $3 == 7 ? "refused" : "curl exit " $3
      n[why]++
    } END {for (w in n) printf "%s%d %s", (out++ ? ", " : ""), n[w], w}')
  local threads
  threads=$(awk '$1 > t {t = $1} END {print t + 0}' "$prefix.samples")

  local what="closed $closed"
  [ "$closed" = 0 ] || [ "$first" != "$last" ] || what+=" in s $first"
  [ "$closed" = 0 ] || [ "$first" = "$last" ] || what+=" in s $first-$last"
  [ -z "$answers" ] || what+=" ($answers)"
  printf '%-9s  %-21s  %6d held  %-36s  normal client: %d of %d answered, median %s ms, max %s ms  threads %d%s\n' \
    "$mode" "$model" "$held" "$what" "$answered" "$probes" "$median" "$slowest" "$threads" "$notes"
  [ -z "$failures" ] || echo "           normal client's failures: $failures"
  record_to "$attacks" "$mode" "$model" "$held" "$closed" "$first" "$last" "${answers:--}" "$probes" "$answered" \
    "$median" "$slowest" "${failures:--}" "$threads"
}
