#!/usr/bin/env bash
# Installs what socketlab needs on Debian 12+ or Ubuntu 24.04+, and only what is missing.
# Safe to run again: when everything is there it does nothing (no apt-get update either).
# Packages come without their recommended extras (libasio-dev would bring all of Boost);
# what the kit needs is named here.
#
#   scripts/install-deps.sh            build and test: compiler, CMake, Ninja, Asio, CLI11, Catch2, and for the tests Python 3, netbase (/etc/services), iproute2 (ss), groff (the manual pages), tcpdump and strace (the lessons show the wire and the system calls), nftables (the lossy-link lab) and curl with its CA certificates (lessons 08 and 18 show what curl does with a connection nobody closes, and with a server that speaks no TLS)
#   scripts/install-deps.sh --docs     + Doxygen and Graphviz (the docs site)
#   scripts/install-deps.sh --package  + the docs' tools, dpkg-dev and file (the .deb: cmake --workflow --preset package)
#   scripts/install-deps.sh --ci       + all of those, and Clang, MinGW-w64 and Wine (the CI's extra presets), debootstrap (its Debian roots)
#   scripts/install-deps.sh --bench    + wrk, nginx-light, curl, gnuplot-nox and slowhttptest (scripts/bench-*.sh, compare-models.sh, slow-clients.sh)
#   scripts/install-deps.sh --all      all of the above
#
# Other systems (nothing is downloaded from anywhere but the system's package manager):
#   macOS:   brew install cmake ninja asio cli11 catch2 (and doxygen graphviz for the docs)
#   vcpkg:   vcpkg install (reads vcpkg.json), then configure with
#            -DCMAKE_TOOLCHAIN_FILE=$VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake
set -euo pipefail

usage() { sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

base=(g++ cmake ninja-build ccache libasio-dev libcli11-dev catch2 pkg-config python3 netbase iproute2 groff-base tcpdump strace nftables curl ca-certificates)
docs=(doxygen graphviz fonts-liberation2)  # Graphviz lays out a diagram's text with a font's metrics
package=("${docs[@]}" dpkg-dev file)
ci=("${package[@]}" clang libclang-rt-dev g++-mingw-w64-x86-64-posix wine wine64 debootstrap zstd)
bench=(wrk nginx-light curl python3 gnuplot-nox slowhttptest)

wanted=("${base[@]}")
for arg in "$@"; do
  case "$arg" in
    --docs) wanted+=("${docs[@]}") ;;
    --package) wanted+=("${package[@]}") ;;
    --ci) wanted+=("${ci[@]}") ;;
    --bench) wanted+=("${bench[@]}") ;;
    --all) wanted+=("${ci[@]}" "${bench[@]}") ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'; use --docs, --package, --ci, --bench, --all or --help" >&2; exit 2 ;;
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
start=$SECONDS
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps.sh: installed ${#missing[@]} packages and what they need in $((SECONDS - start)) s"
