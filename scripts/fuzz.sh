#!/usr/bin/env bash
# A fuzzing campaign: builds the fuzz preset (Clang, libFuzzer, ASan and UBSan: build/fuzz), fuzzes
# each target for N minutes on a working corpus (build/fuzz/campaign/<target>), merges the inputs
# that add coverage into the repository's corpus, tests/fuzz/corpus/<target> (minimised: libFuzzer's
# -set_cover_merge=1, the set-cover form of -merge=1), and prints per target the executions, the
# coverage (cov and ft of libFuzzer's last status line), the corpus size before and after the merge,
# and the crashes, whose inputs are kept in build/fuzz/crashes/<target>/. Each campaign adds its
# rows to tests/fuzz/campaigns.tsv, and the script ends with every target's total time fuzzed.
#
#   scripts/fuzz.sh [--minutes N] [--jobs J] [--no-build] [target...]
#
#   --minutes N  how long each target is fuzzed (default 60)
#   --jobs J     how many targets are fuzzed at the same time, one process each (default 1)
#   --no-build   fuzz the targets as last built in build/fuzz (the tree may be mid-change)
#   -h, --help   this text
#   target...    some of the targets (default: all of them, the tests/fuzz/*_fuzz.cpp)
#
# CI fuzzes each target for a few seconds only (`cmake --workflow --preset fuzz`); this is the long
# run. Commit what it adds to tests/fuzz/corpus: every build then replays it (CTest fuzz.<target>).
# A crash fails the script; replay one with: build/fuzz/tests/fuzz/fuzz_<target> <crash file>.
# Do not pause a campaign (SIGSTOP): the input running then looks like a timeout once it resumes.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/fuzz
fuzzers=$build/tests/fuzz
work=$build/campaign
crashes=$build/crashes

usage_error() {
  echo "fuzz.sh: $1 (usage: scripts/fuzz.sh [--minutes N] [--jobs J] [--no-build] [target...])" >&2
  exit 2
}

all_targets=()
for source in tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$source" _fuzz.cpp)
  all_targets+=("$name")
done

minutes=60
jobs=1
build_first=1
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --minutes)
      [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage_error "--minutes needs a whole number of minutes, e.g. --minutes 60"
      minutes=$2
      shift 2
      ;;
    --jobs)
      [[ ${2-} =~ ^[1-9][0-9]*$ ]] || usage_error "--jobs needs a number of targets to fuzz at once, e.g. --jobs 2"
      jobs=$2
      shift 2
      ;;
    --no-build)
      build_first=0
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo pipefail/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      usage_error "unknown option '$1'; the options are --minutes N, --jobs J, --no-build and --help"
      ;;
    *)
      [[ " ${all_targets[*]} " == *" $1 "* ]] || usage_error "no fuzz target '$1'; the targets are: ${all_targets[*]}"
      targets+=("$1")
      shift
      ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

if [ "$build_first" = 1 ]; then
  echo "=== building the fuzz preset ($build)"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"
  # What the targets were built from, for campaigns.tsv (a tree with changes: "+" after it).
  built_from=$(git rev-parse --short HEAD 2>/dev/null || echo -)
  [ -z "$(git status --porcelain --untracked-files=no -- . ':!tests/fuzz' 2>/dev/null)" ] || built_from+=+
  for target in "${targets[@]}"; do echo "$built_from" >"$fuzzers/fuzz_$target.built-from"; done
fi
for target in "${targets[@]}"; do
  [ -x "$fuzzers/fuzz_$target" ] || usage_error "$fuzzers/fuzz_$target is not built; run without --no-build"
done

# The dictionary of target $1, as tests/fuzz/CMakeLists.txt gives it (empty when none).
dictionary_of() {
  sed -n "s|^socketlab_add_fuzz_target($1 DICT \\([^ ]*\\).*|tests/fuzz/\\1|p" tests/fuzz/CMakeLists.txt
}

# Fuzzes target $1 for the campaign's time, on its working corpus (seeded from the repository's);
# its log goes to $work/$1.log, its exit status to $work/$1.status.
fuzz_one() {
  local target=$1 options=()
  local dict
  dict=$(dictionary_of "$target")
  [ -z "$dict" ] || options+=("-dict=$dict")
  mkdir -p "$work/$target" "$crashes/$target"
  local status=0
  "$fuzzers/fuzz_$target" -max_total_time=$((minutes * 60)) -max_len=4096 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$crashes/$target/" "${options[@]}" \
    "$work/$target" "tests/fuzz/corpus/$target" >"$work/$target.log" 2>&1 || status=$?
  echo "$status" >"$work/$target.status"
}

mkdir -p "$work"
# This campaign's start: a crash counts when its file is newer (crashes/ keeps earlier campaigns'
# files, which may be under investigation, and other campaigns may run beside this one).
started=$(mktemp "$work/started.XXXXXX")
trap 'rm -f "$started"' EXIT
echo "=== fuzzing ${#targets[@]} target(s) for $minutes minute(s) each, $jobs at a time (logs: $work/<target>.log)"
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  echo "$(date -u +%H:%M:%S) $target"
  fuzz_one "$target" &
  running=$((running + 1))
done
wait

# The value of libFuzzer's final "name: value" statistic $2 in log $1 (0 when absent).
final_stat() {
  local value
  value=$(sed -n "s/^stat::$2: *//p" "$1" | tail -n 1)
  echo "${value:-0}"
}

# libFuzzer's last "cov: X ft: Y" status line in log $1, as "X Y" ("- -" when absent).
coverage() {
  local line
  line=$(grep -E '^#[0-9]+.* cov: [0-9]+ ft: [0-9]+' "$1" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "- -"
  else
    sed -E 's/.* cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/' <<<"$line"
  fi
}

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }

echo "=== merging new inputs into tests/fuzz/corpus/<target>"
failed=0
rows=()
for target in "${targets[@]}"; do
  corpus=tests/fuzz/corpus/$target
  before=$(count_files "$corpus")
  # -merge=1's variant that keeps the fewest inputs covering what the others cover (a greedy set
  # cover), counted in edges rather than hit counts (-use_counters=0): the repository keeps tens
  # of small inputs per target, not every input that once ran a loop one more time.
  "$fuzzers/fuzz_$target" -set_cover_merge=1 -use_counters=0 -max_len=4096 "$corpus" "$work/$target" \
    >"$work/$target.merge.log" 2>&1 ||
    echo "$target: the merge failed; see $work/$target.merge.log" >&2
  after=$(count_files "$corpus")
  found=$(find "$crashes/$target" -maxdepth 1 -type f -newer "$started" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  status=$(cat "$work/$target.status")
  [ "$status" = 0 ] && [ "$found" = 0 ] || failed=1
  read -r cov ft < <(coverage "$work/$target.log")
  rows+=("$(printf '%-16s %14s %7s %7s %7s %7s %8s %7s' "$target" "$(final_stat "$work/$target.log" number_of_executed_units)" \
    "$cov" "$ft" "$before" "$after" "$found" "$status")")
done

echo
printf '%-16s %14s %7s %7s %7s %7s %8s %7s\n' target executions cov ft before after crashes exit
printf '%s\n' "${rows[@]}"

# The campaign's record: one line per target (date, commit, minutes, executions, corpus, crashes).
log=tests/fuzz/campaigns.tsv
[ -f "$log" ] || printf 'date\tcommit\ttarget\tminutes\texecutions\tcorpus\tcrashes\n' >"$log"
for row in "${rows[@]}"; do
  read -r target executions _ _ _ after found _ <<<"$row"
  # What the target was built from, as fuzz.sh last recorded it ("-" when built otherwise).
  commit=$(cat "$fuzzers/fuzz_$target.built-from" 2>/dev/null || echo -)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$commit" \
    "$target" "$minutes" "$executions" "$after" "$found" >>"$log"
done
echo
echo "every campaign so far ($log):"
awk -F'\t' 'NR > 1 { minutes[$3] += $4; runs[$3]++; if ($5 != "-") executions[$3] += $5 }
  END { printf "%-16s %8s %6s %14s\n", "target", "minutes", "runs", "executions"
        for (t in minutes) printf "%-16s %8d %6d %14d\n", t, minutes[t], runs[t], executions[t] }' "$log" | sort
if [ "$failed" != 0 ]; then
  echo "a target crashed or failed: inputs in $crashes/<target>/, logs in $work/<target>.log" >&2
  exit 1
fi
