# shellcheck shell=bash
# What the two benches against the references, scripts/bench-server.sh (wrk and socketlab-client
# hold load socketlab-server and nginx) and scripts/bench-client.sh (socketlab-client bench and wrk
# load nginx), share:
# finding the tools, running nginx beside the program measured, the tools' versions and reading
# wrk's report. scripts/bench/common.sh sources it (the scripts source only common.sh).
#
# Provides: find_tools, start_nginx, nginx_worker, nginx_version, wrk_version, parse_wrk_report
# Expects: common.sh's root, tmp, server_pin, die and missing_tool.
# Sets: nginx_bin (find_tools), nginx_args and nginx_pid (start_nginx); parse_wrk_report sets
# rps and errors (declare them local in the caller).
#
# shellcheck disable=SC2034,SC2154  # the variables above cross between this file and the scripts

# Finds wrk, nginx (sets nginx_bin: $NGINX, else on PATH, else /usr/sbin/nginx), curl, python3.
find_tools() {
  nginx_bin="${NGINX:-$(command -v nginx || true)}"
  [ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; }
  command -v wrk >/dev/null 2>&1 || missing_tool wrk wrk
  if [ -z "$nginx_bin" ] || [ ! -x "$nginx_bin" ]; then missing_tool nginx nginx-light; fi
  command -v curl >/dev/null 2>&1 || missing_tool curl curl
  command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
}

# start_nginx PORT [ACCESS_LOG [CONNECTIONS [deferred]]]: writes $tmp/nginx/nginx.conf from
# scripts/bench/nginx.conf.in, checks it and starts nginx under server_pin in the background (sets
# nginx_args and nginx_pid). It serves the greeting at / and the files of $tmp/www elsewhere;
# ACCESS_LOG is off (the default) or a file for Common Log Format lines; CONNECTIONS is its
# worker_connections (default 1024), with open files for them and 256 more; "deferred" makes the
# listener defer accept (TCP_DEFER_ACCEPT) until a connection's first bytes.
start_nginx() {
  local port="$1" access_log="${2:-off}" connections="${3:-1024}" deferred="${4:-}" user temp_paths nginx_build module line
  mkdir -p "$tmp/nginx"
  [ "$access_log" = off ] || access_log="$access_log clf"
  # Started by root, nginx would run its worker as nobody, who may not read the files in $tmp.
  user="# the worker runs as the current user"
  [ "$(id -u)" != 0 ] || user="user $(id -un) $(id -gn);  # else nginx started by root runs its worker as nobody"
  temp_paths="  client_body_temp_path $tmp/nginx/client_body;"
  nginx_build=$("$nginx_bin" -V 2>&1)
  for module in proxy fastcgi uwsgi scgi; do
    [[ "$nginx_build" == *"--without-http_${module}_module"* ]] ||
      temp_paths+=$'\n'"  ${module}_temp_path $tmp/nginx/$module;"
  done
  sed -e "s|@DIR@|$tmp/nginx|g" -e "s|@PORT@|$port|g" -e "s|@FILES@|$tmp/www|g" \
    -e "s|@ACCESS_LOG@|$access_log|g" -e "s|@CONNECTIONS@|$connections|g" \
    -e "s|@OPEN_FILES@|$((connections + 256))|g" -e "s|@DEFERRED@|$deferred|g" "$root/scripts/bench/nginx.conf.in" |
    while IFS= read -r line; do
      case "$line" in
        @USER@) printf '%s\n' "$user" ;;
        @TEMP_PATHS@) printf '%s\n' "$temp_paths" ;;
        *) printf '%s\n' "$line" ;;
      esac
    done >"$tmp/nginx/nginx.conf"
  nginx_args=(-p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf")
  # -e (nginx 1.19.5+) keeps even the start-up messages out of /var/log/nginx.
  "$nginx_bin" -h 2>&1 | grep -q -- '-e filename' && nginx_args+=(-e "$tmp/nginx/error.log")
  if ! "$nginx_bin" -t -q "${nginx_args[@]}" >"$tmp/nginx/test.log" 2>&1; then
    echo "$bench_script: nginx rejected the generated configuration:" >&2
    sed 's/^/  /' "$tmp/nginx/test.log" >&2
    exit 1
  fi
  "${server_pin[@]}" "$nginx_bin" "${nginx_args[@]}" >"$tmp/nginx/stdout.log" 2>&1 &
  nginx_pid=$!
}

# Prints the process id of nginx's one worker, the child of nginx_pid that serves (once nginx
# answers); nothing when there is not exactly one.
nginx_worker() {
  local children
  read -r -a children 2>/dev/null <"/proc/$nginx_pid/task/$nginx_pid/children" || true
  [ "${#children[@]}" = 1 ] && echo "${children[0]}"
  return 0
}

# Prints nginx's version, e.g. 1.22.1.
nginx_version() { "$nginx_bin" -v 2>&1 | sed 's|.*nginx/||'; }
# Prints wrk's version, e.g. debian/4.1.0-3+b2.
wrk_version() { wrk -v 2>&1 | head -n 1 | awk '{print $2}'; }

# parse_wrk_report LOG WHAT: reads wrk's report (socketlab-client bench prints the same) in LOG;
# sets rps (0 if none) and errors (what went wrong, "" if nothing; WHAT names LOG in it).
parse_wrk_report() {
  local log="$1" non2xx sockerr
  errors=""
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")
  sockerr=$(sed -n 's/^ *Socket errors: *//p' "$log")
  [ -n "$rps" ] || { errors="no Requests/sec in $2"; rps=0; }
  [ -z "$non2xx" ] || errors="${errors:+$errors; }$non2xx non-2xx responses"
  [ -z "$sockerr" ] || errors="${errors:+$errors; }socket errors: $sockerr"
}
