#!/usr/bin/env bash
# Installs what socketlab needs on Debian 12+ or Ubuntu 24.04+, and only what is missing.
# Safe to run again: when everything is there it does nothing (no apt-get update either).
#
#   scripts/install-deps.sh            build and test: compiler, CMake, Ninja, Asio, CLI11, Catch2, and for the lessons' test Python 3, netbase (/etc/services) and iproute2 (ss)
#   scripts/install-deps.sh --ci       + Clang, MinGW-w64 and Wine (the CI's extra presets), Doxygen and Graphviz (the docs)
#   scripts/install-deps.sh --bench    + wrk, nginx-light, curl and gnuplot-nox (scripts/bench-*.sh, compare-models.sh)
#   scripts/install-deps.sh --all      all of the above
#
# Other systems (nothing is downloaded from anywhere but the system's package manager):
#   macOS:   brew install cmake ninja asio cli11 catch2 (and doxygen graphviz for the docs)
#   vcpkg:   vcpkg install (reads vcpkg.json), then configure with
#            -DCMAKE_TOOLCHAIN_FILE=$VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake
set -euo pipefail

usage() { sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

base=(g++ cmake ninja-build ccache libasio-dev libcli11-dev catch2 pkg-config python3 netbase iproute2)
ci=(clang g++-mingw-w64-x86-64-posix wine wine64 doxygen graphviz)
bench=(wrk nginx-light curl python3 gnuplot-nox)

wanted=("${base[@]}")
for arg in "$@"; do
  case "$arg" in
    --ci) wanted+=("${ci[@]}") ;;
    --bench) wanted+=("${bench[@]}") ;;
    --all) wanted+=("${ci[@]}" "${bench[@]}") ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'; use --ci, --bench, --all or --help" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps.sh: this script uses apt (Debian/Ubuntu); on macOS: brew install cmake ninja asio cli11 catch2; elsewhere see vcpkg.json" >&2
  exit 1
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: everything is installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps.sh: need root to install ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps.sh: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
